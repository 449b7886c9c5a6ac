package io.livemux.pipeline;

/**
 * How one sink is fed: its queue bounds and what happens when the queue is full. Immutable; build
 * with {@link #lossless()} or {@link #realTime()} and the {@code with*} methods.
 *
 * <p>A <b>lossless</b> sink (a recording) holds back a producer that is not real-time: the input
 * reports not-ready while this queue is full. Fed by a real-time input, which must never wait, it
 * drops by the real-time policy like any other sink. A <b>real-time</b> sink (a network publisher)
 * never holds anyone back: when full it drops by policy — disposable video frames first, then video
 * up to the next keyframe, audio only when no video is left — and counts every drop.
 *
 * <p>The queue is bounded three ways: samples, payload bytes, and media duration (the span of decode
 * times from the oldest queued sample to the newest, on the inputs' common clock). A sample is
 * taken while the queue is below all three bounds, so each may be passed by at most one sample per
 * concurrent producer.
 */
public final class SinkOptions {
  public static final int DEFAULT_MAX_QUEUED_SAMPLES = 4096;
  public static final long DEFAULT_MAX_QUEUED_BYTES = 32L << 20;
  public static final long DEFAULT_MAX_QUEUED_DURATION_US = 5_000_000;

  private final String name;
  private final boolean lossless;
  private final int maxQueuedSamples;
  private final long maxQueuedBytes;
  private final long maxQueuedDurationUs;

  private SinkOptions(
      String name, boolean lossless, int maxQueuedSamples, long maxQueuedBytes, long maxQueuedDurationUs) {
    this.name = name;
    this.lossless = lossless;
    this.maxQueuedSamples = maxQueuedSamples;
    this.maxQueuedBytes = maxQueuedBytes;
    this.maxQueuedDurationUs = maxQueuedDurationUs;
  }

  /** A sink that must get every sample (a recording), with the default bounds. */
  public static SinkOptions lossless() {
    return new SinkOptions(
        "lossless", true, DEFAULT_MAX_QUEUED_SAMPLES, DEFAULT_MAX_QUEUED_BYTES,
        DEFAULT_MAX_QUEUED_DURATION_US);
  }

  /** A sink that drops by policy rather than hold anyone back (a network publisher). */
  public static SinkOptions realTime() {
    return new SinkOptions(
        "real-time", false, DEFAULT_MAX_QUEUED_SAMPLES, DEFAULT_MAX_QUEUED_BYTES,
        DEFAULT_MAX_QUEUED_DURATION_US);
  }

  /** A name for logs, statistics and the worker thread. */
  public SinkOptions withName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("name is empty");
    }
    return new SinkOptions(name, lossless, maxQueuedSamples, maxQueuedBytes, maxQueuedDurationUs);
  }

  public SinkOptions withMaxQueuedSamples(int maxQueuedSamples) {
    if (maxQueuedSamples < 1 || maxQueuedSamples > (1 << 24)) {
      throw new IllegalArgumentException("maxQueuedSamples out of range 1..2^24: " + maxQueuedSamples);
    }
    return new SinkOptions(name, lossless, maxQueuedSamples, maxQueuedBytes, maxQueuedDurationUs);
  }

  public SinkOptions withMaxQueuedBytes(long maxQueuedBytes) {
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException("maxQueuedBytes < 1: " + maxQueuedBytes);
    }
    return new SinkOptions(name, lossless, maxQueuedSamples, maxQueuedBytes, maxQueuedDurationUs);
  }

  public SinkOptions withMaxQueuedDurationUs(long maxQueuedDurationUs) {
    if (maxQueuedDurationUs < 1) {
      throw new IllegalArgumentException("maxQueuedDurationUs < 1: " + maxQueuedDurationUs);
    }
    return new SinkOptions(name, lossless, maxQueuedSamples, maxQueuedBytes, maxQueuedDurationUs);
  }

  public String name() {
    return name;
  }

  public boolean isLossless() {
    return lossless;
  }

  public int maxQueuedSamples() {
    return maxQueuedSamples;
  }

  public long maxQueuedBytes() {
    return maxQueuedBytes;
  }

  public long maxQueuedDurationUs() {
    return maxQueuedDurationUs;
  }

  @Override
  public String toString() {
    return "SinkOptions{" + name + (lossless ? ", lossless" : ", real-time")
        + ", maxQueuedSamples=" + maxQueuedSamples + ", maxQueuedBytes=" + maxQueuedBytes
        + ", maxQueuedDurationUs=" + maxQueuedDurationUs + "}";
  }
}
