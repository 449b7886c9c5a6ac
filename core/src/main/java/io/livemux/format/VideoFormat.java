package io.livemux.format;

/** A video track's format: its display size in pixels (after cropping). Immutable. */
public abstract class VideoFormat extends MediaFormat {
  VideoFormat() {}

  /** Display width in pixels, after cropping. */
  public abstract int width();

  /** Display height in pixels, after cropping. */
  public abstract int height();

  @Override
  public final TrackType trackType() {
    return TrackType.VIDEO;
  }

  /** 90 kHz, the MPEG convention for video. */
  @Override
  public int defaultTimescale() {
    return 90_000;
  }
}
