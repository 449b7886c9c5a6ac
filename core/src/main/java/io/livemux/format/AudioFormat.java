package io.livemux.format;

/** An audio track's format: sample rate and channel count. Immutable. */
public abstract class AudioFormat extends MediaFormat {
  AudioFormat() {}

  /** Output sample rate in Hz. */
  public abstract int sampleRateHz();

  /** Number of output channels. */
  public abstract int channelCount();

  @Override
  public final TrackType trackType() {
    return TrackType.AUDIO;
  }

  /** The sample rate, so every audio sample has an exact time. */
  @Override
  public int defaultTimescale() {
    return sampleRateHz();
  }
}
