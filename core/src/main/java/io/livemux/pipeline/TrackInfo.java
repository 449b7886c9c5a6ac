package io.livemux.pipeline;

import io.livemux.format.MediaFormat;

/** A track as sinks see it when the pipeline starts: its index and first format. Immutable. */
public final class TrackInfo {
  private final int index;
  private final MediaFormat format;
  private final boolean realTime;

  TrackInfo(int index, MediaFormat format, boolean realTime) {
    this.index = index;
    this.format = format;
    this.realTime = realTime;
  }

  /**
   * A track for a caller that drives a {@link SampleSink} itself, on one thread, without a
   * pipeline (a file-to-file remux that writes each sample before reading the next).
   */
  public static TrackInfo of(int index, MediaFormat format, boolean realTime) {
    if (format == null) {
      throw new NullPointerException("format");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index < 0: " + index);
    }
    return new TrackInfo(index, format, realTime);
  }

  /** 0-based, in the order the inputs were added. */
  public int index() {
    return index;
  }

  /** The format the track starts with; later changes arrive through {@link SampleSink#formatChanged}. */
  public MediaFormat format() {
    return format;
  }

  /** True when the producer feeds this track in real time (a camera, a network). */
  public boolean isRealTime() {
    return realTime;
  }

  @Override
  public String toString() {
    return "TrackInfo{" + index + ", " + format + (realTime ? ", real-time" : "") + "}";
  }
}
