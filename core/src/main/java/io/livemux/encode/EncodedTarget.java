package io.livemux.encode;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.util.concurrent.TimeUnit;

/**
 * Where {@link EncoderEngine} delivers encoded samples: a pipeline {@link WriterInput} in the
 * library, a recording fake in tests. Called only from the engine's delivery thread.
 */
interface EncodedTarget {
  /** As {@link WriterInput#append}; only called once {@link #isReadyForMoreMediaData()} was true once. */
  AppendResult append(Sample sample);

  boolean isReadyForMoreMediaData();

  /** As {@link WriterInput#awaitReady}. */
  boolean awaitReady(long timeoutNanos) throws InterruptedException;

  boolean isFinished();

  void markAsFinished();

  /** The pipeline input itself. */
  static EncodedTarget of(WriterInput input) {
    return new EncodedTarget() {
      @Override
      public AppendResult append(Sample sample) {
        return input.append(sample);
      }

      @Override
      public boolean isReadyForMoreMediaData() {
        return input.isReadyForMoreMediaData();
      }

      @Override
      public boolean awaitReady(long timeoutNanos) throws InterruptedException {
        return input.awaitReady(timeoutNanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public boolean isFinished() {
        return input.isFinished();
      }

      @Override
      public void markAsFinished() {
        input.markAsFinished();
      }
    };
  }
}
