package io.livemux.format;

/**
 * Raw PCM, signed 16-bit little-endian, channels interleaved. Immutable.
 *
 * <p>A PCM sample payload holds whole frames: {@code channelCount * 2} bytes each.
 */
public final class PcmFormat extends AudioFormat {
  /** Highest sample rate accepted, in Hz. */
  public static final int MAX_SAMPLE_RATE_HZ = 384_000;
  /** Highest channel count accepted. */
  public static final int MAX_CHANNELS = 8;

  private final int sampleRateHz;
  private final int channelCount;

  private PcmFormat(int sampleRateHz, int channelCount) {
    this.sampleRateHz = sampleRateHz;
    this.channelCount = channelCount;
  }

  /** PCM s16le at {@code sampleRateHz} (1..384000) with {@code channelCount} (1..8) channels. */
  public static PcmFormat s16le(int sampleRateHz, int channelCount) {
    if (sampleRateHz < 1 || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
      throw new IllegalArgumentException(
          "sampleRateHz out of range 1.." + MAX_SAMPLE_RATE_HZ + ": " + sampleRateHz);
    }
    if (channelCount < 1 || channelCount > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "channelCount out of range 1.." + MAX_CHANNELS + ": " + channelCount);
    }
    return new PcmFormat(sampleRateHz, channelCount);
  }

  @Override
  public int sampleRateHz() {
    return sampleRateHz;
  }

  @Override
  public int channelCount() {
    return channelCount;
  }

  /** Bytes in one frame (one 16-bit value per channel). */
  public int bytesPerFrame() {
    return 2 * channelCount;
  }

  @Override
  public String mimeType() {
    return "audio/raw";
  }

  @Override
  public boolean isRaw() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PcmFormat
        && ((PcmFormat) o).sampleRateHz == sampleRateHz
        && ((PcmFormat) o).channelCount == channelCount;
  }

  @Override
  public int hashCode() {
    return sampleRateHz * 31 + channelCount;
  }

  @Override
  public String toString() {
    return "PcmFormat{s16le, " + sampleRateHz + " Hz, " + channelCount + " ch}";
  }
}
