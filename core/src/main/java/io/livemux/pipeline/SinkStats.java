package io.livemux.pipeline;

import java.util.Arrays;

/**
 * A snapshot of one sink's counters. Immutable.
 *
 * <p>Every sample offered to a sink is accounted for exactly once: {@code offered() == written() +
 * dropped() + queuedSamples() + inFlightSamples()}, and once the pipeline has ended the last two are
 * zero.
 */
public final class SinkStats {
  private final String name;
  private final SinkOutcome outcome;
  private final long offered;
  private final long accepted;
  private final long written;
  private final long[] droppedByReason;
  private final int queuedSamples;
  private final int inFlightSamples;
  private final long queuedBytes;
  private final long queuedDurationUs;
  private final long worstQueueLatencyUs;
  private final Throwable failure;

  SinkStats(
      String name, SinkOutcome outcome, long offered, long accepted, long written,
      long[] droppedByReason, int queuedSamples, int inFlightSamples, long queuedBytes,
      long queuedDurationUs, long worstQueueLatencyUs, Throwable failure) {
    this.name = name;
    this.outcome = outcome;
    this.offered = offered;
    this.accepted = accepted;
    this.written = written;
    this.droppedByReason = droppedByReason.clone();
    this.queuedSamples = queuedSamples;
    this.inFlightSamples = inFlightSamples;
    this.queuedBytes = queuedBytes;
    this.queuedDurationUs = queuedDurationUs;
    this.worstQueueLatencyUs = worstQueueLatencyUs;
    this.failure = failure;
  }

  public String name() {
    return name;
  }

  public SinkOutcome outcome() {
    return outcome;
  }

  /** Samples appended to an input and offered to this sink. */
  public long offered() {
    return offered;
  }

  /** Samples this sink's queue took (some may have been evicted later by the drop policy). */
  public long accepted() {
    return accepted;
  }

  /** Samples the sink's {@code write} returned from. */
  public long written() {
    return written;
  }

  /** All dropped samples, every reason. */
  public long dropped() {
    long sum = 0;
    for (long d : droppedByReason) {
      sum += d;
    }
    return sum;
  }

  public long dropped(DropReason reason) {
    return droppedByReason[reason.ordinal()];
  }

  public int queuedSamples() {
    return queuedSamples;
  }

  /** Samples taken off the queue by the worker and not yet written. */
  public int inFlightSamples() {
    return inFlightSamples;
  }

  public long queuedBytes() {
    return queuedBytes;
  }

  public long queuedDurationUs() {
    return queuedDurationUs;
  }

  /** The longest time a sample waited in the queue before the sink took it. */
  public long worstQueueLatencyUs() {
    return worstQueueLatencyUs;
  }

  /** Why the sink failed, or null. */
  public Throwable failure() {
    return failure;
  }

  @Override
  public String toString() {
    StringBuilder drops = new StringBuilder();
    for (DropReason reason : DropReason.values()) {
      if (droppedByReason[reason.ordinal()] > 0) {
        drops.append(drops.length() == 0 ? "" : ", ").append(reason).append('=')
            .append(droppedByReason[reason.ordinal()]);
      }
    }
    return "SinkStats{" + name + " " + outcome + ": offered=" + offered + ", accepted=" + accepted
        + ", written=" + written + ", dropped={" + drops + "}, queued=" + queuedSamples
        + " (" + queuedBytes + " bytes, " + queuedDurationUs + " us), worstLatencyUs="
        + worstQueueLatencyUs + (failure != null ? ", failure=" + failure : "") + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SinkStats)) {
      return false;
    }
    SinkStats s = (SinkStats) o;
    return name.equals(s.name) && outcome == s.outcome && offered == s.offered
        && accepted == s.accepted && written == s.written
        && Arrays.equals(droppedByReason, s.droppedByReason) && queuedSamples == s.queuedSamples;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Long.hashCode(written);
  }
}
