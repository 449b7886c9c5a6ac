package io.livemux.encode;

/**
 * What an encoder input did, as counts of items (raw pictures, PCM blocks) and encoded samples.
 * While the input runs, a snapshot; the last one comes with the {@link VideoEncoderInput#finish()}
 * future. Immutable and thread-safe.
 *
 * <p>For a one-to-one codec (H.264: one picture in, one access unit out), once the input has ended:
 * {@code acceptedCount == deliveredCount + discardedCount}.
 */
public final class EncoderStats {
  /** How the input ended; {@link #RUNNING} in snapshots taken before that. */
  public enum Outcome {
    /** Still taking items. */
    RUNNING,
    /** Finished: every accepted item was encoded and handed to the pipeline. */
    COMPLETED,
    /** The finish bound ran out first: what was still queued or encoding was discarded. */
    TIMED_OUT,
    /** Cancelled: what was queued or encoding was discarded. */
    CANCELLED,
    /** The pipeline (or its input) finished first and refused the rest, which was discarded. */
    PIPELINE_ENDED,
    /** The encoder failed (see the {@code finish()} future's exception); the rest was discarded. */
    FAILED
  }

  private final long acceptedCount;
  private final long droppedFullCount;
  private final long rejectedCount;
  private final long encodedCount;
  private final long deliveredCount;
  private final long discardedCount;
  private final int maxInFlight;
  private final int capacity;
  private final Outcome outcome;

  EncoderStats(
      long acceptedCount,
      long droppedFullCount,
      long rejectedCount,
      long encodedCount,
      long deliveredCount,
      long discardedCount,
      int maxInFlight,
      int capacity,
      Outcome outcome) {
    this.acceptedCount = acceptedCount;
    this.droppedFullCount = droppedFullCount;
    this.rejectedCount = rejectedCount;
    this.encodedCount = encodedCount;
    this.deliveredCount = deliveredCount;
    this.discardedCount = discardedCount;
    this.maxInFlight = maxInFlight;
    this.capacity = capacity;
    this.outcome = outcome;
  }

  /** Items taken by {@code append} ({@code ACCEPTED}). */
  public long acceptedCount() {
    return acceptedCount;
  }

  /** Items a real-time input dropped because its queue was full ({@code DROPPED}). */
  public long droppedFullCount() {
    return droppedFullCount;
  }

  /** Items refused because the input had finished ({@code REJECTED_FINISHED}). */
  public long rejectedCount() {
    return rejectedCount;
  }

  /** Items the codec has encoded. */
  public long encodedCount() {
    return encodedCount;
  }

  /**
   * Encoded samples handed to the pipeline input (which may still have dropped some by its sinks'
   * policy: see the pipeline's sink statistics).
   */
  public long deliveredCount() {
    return deliveredCount;
  }

  /**
   * Items and encoded samples never handed to the pipeline: discarded by cancel, by the finish
   * bound, by a pipeline that ended first, or after a failure.
   */
  public long discardedCount() {
    return discardedCount;
  }

  /** The most items and undelivered encoded samples held at once; never above {@link #capacity()} for H.264. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** The queue bound the input was built with. */
  public int capacity() {
    return capacity;
  }

  public Outcome outcome() {
    return outcome;
  }

  @Override
  public String toString() {
    return "EncoderStats{" + outcome
        + ", accepted=" + acceptedCount
        + ", encoded=" + encodedCount
        + ", delivered=" + deliveredCount
        + ", discarded=" + discardedCount
        + ", droppedFull=" + droppedFullCount
        + ", rejected=" + rejectedCount
        + ", maxInFlight=" + maxInFlight + "/" + capacity
        + "}";
  }
}
