package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.util.List;

/**
 * Where a pipeline delivers samples: a file recorder, a network publisher.
 *
 * <p><b>Threads.</b> {@link #start}, {@link #formatChanged}, {@link #write} and {@link #finish} are
 * called in that order from one thread the pipeline owns for this sink, never concurrently.
 * {@link #cancel} may be called from any other thread, at any time, even while {@code write} or
 * {@code finish} is blocked (a stalled disk, a dead network): it must make them return soon and
 * leave what was already written valid. The worker thread is also interrupted.
 *
 * <p>Samples arrive in the order producers appended them, per track; tracks are interleaved in
 * arrival order. A sample's payload must not be kept beyond {@code write} unless the sink copies it
 * or the producer's ownership rule allows it. Any exception fails this sink only: it is counted,
 * its queue dropped, and the other sinks go on.
 */
public interface SampleSink {
  /** Called once before any sample, with every track of the pipeline. */
  void start(List<TrackInfo> tracks) throws IOException;

  /**
   * The next sample of {@code track} uses {@code newFormat} (new SPS/PPS, a new AudioSpecificConfig):
   * the sink must not write it under the old sample description.
   */
  void formatChanged(int track, MediaFormat newFormat) throws IOException;

  /** Writes one sample of {@code track}. */
  void write(int track, Sample sample) throws IOException;

  /** Every input has finished and every queued sample was written: complete the output. */
  void finish() throws IOException;

  /**
   * Stop at once, from any thread: abandon queued work, leave the output valid up to what was
   * completely written. The default does nothing (the worker thread is interrupted regardless).
   */
  default void cancel() {}
}
