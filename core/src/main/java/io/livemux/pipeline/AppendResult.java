package io.livemux.pipeline;

/**
 * What {@link WriterInput#append} did with a sample. Only {@link #NOT_READY} leaves the sample with
 * the producer; every other outcome is final and counted in the statistics.
 */
public enum AppendResult {
  /** Every live sink queued the sample. */
  ACCEPTED,
  /** At least one sink queued it and at least one dropped it; {@link SinkStats} says which and why. */
  ACCEPTED_WITH_DROPS,
  /** Every sink dropped it (congestion policy, a track waiting for its next keyframe, a failed sink). */
  DROPPED,
  /**
   * Not taken: a lossless sink's queue is full and the input is not real-time. Nothing was queued;
   * wait ({@link WriterInput#awaitReady}) and append the same sample again.
   */
  NOT_READY,
  /** Not taken: the input was marked finished, or the pipeline is finishing or cancelled. */
  REJECTED_FINISHED
}
