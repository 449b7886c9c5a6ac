package io.livemux.pipeline;

import java.util.Collections;
import java.util.List;

/** How a pipeline ended: each sink's outcome and counters, and what the inputs refused. Immutable. */
public final class PipelineResult {
  private final List<SinkStats> sinks;
  private final long[] rejectedByInput;
  private final long elapsedUs;

  PipelineResult(List<SinkStats> sinks, long[] rejectedByInput, long elapsedUs) {
    this.sinks = Collections.unmodifiableList(sinks);
    this.rejectedByInput = rejectedByInput.clone();
    this.elapsedUs = elapsedUs;
  }

  /** One entry per sink, in the order they were added. */
  public List<SinkStats> sinks() {
    return sinks;
  }

  public SinkStats sink(int index) {
    return sinks.get(index);
  }

  /** Samples input {@code track} refused with {@link AppendResult#REJECTED_FINISHED}. */
  public long rejected(int track) {
    return rejectedByInput[track];
  }

  /** True when every sink completed. */
  public boolean isComplete() {
    for (SinkStats s : sinks) {
      if (s.outcome() != SinkOutcome.COMPLETED) {
        return false;
      }
    }
    return true;
  }

  /** From the call to finish (or cancel) to this result. */
  public long finishElapsedUs() {
    return elapsedUs;
  }

  @Override
  public String toString() {
    return "PipelineResult{" + sinks + ", finishElapsedUs=" + elapsedUs + "}";
  }
}
