package io.livemux.pipeline;

/** How a sink's part of a pipeline ended. */
public enum SinkOutcome {
  /** Still running: the pipeline has not finished. */
  RUNNING,
  /** Every queued sample was written and {@link SampleSink#finish()} returned. */
  COMPLETED,
  /** The sink threw; {@link SinkStats#failure()} holds the cause. */
  FAILED,
  /** The finish bound ran out first; the sink was cancelled. */
  TIMED_OUT,
  /** The pipeline was cancelled. */
  CANCELLED
}
