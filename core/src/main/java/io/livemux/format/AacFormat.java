package io.livemux.format;

import io.livemux.LivemuxException;
import io.livemux.codec.aac.AdtsHeader;
import io.livemux.codec.aac.AudioSpecificConfig;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * AAC audio (MPEG-4 Audio, ISO/IEC 14496-3), described by its AudioSpecificConfig. Immutable.
 *
 * <p>The config bytes are kept exactly as given to {@link #fromAudioSpecificConfig}, so a muxer
 * writes the {@code esds} (or RTMP sequence header) the encoder produced, SBR signalling and all;
 * {@link #fromAdtsHeader} and {@link #of} use the encoding of {@link
 * AudioSpecificConfig#toBytes()}. Two formats are equal when their config bytes and encoder delays
 * are. Sample rate,
 * channel count and frame size are what the decoder outputs (see {@link AudioSpecificConfig}), and
 * each sample is one access unit of {@link #samplesPerFrame()} samples at {@link #sampleRateHz()}.
 *
 * <p>The factories copy what they read and never move a buffer's position. Safe to share between
 * threads.
 */
public final class AacFormat extends AudioFormat {
  private final AudioSpecificConfig config;
  private final byte[] configBytes;
  private final int encoderDelaySamples;

  private AacFormat(AudioSpecificConfig config, byte[] configBytes) {
    this(config, configBytes, 0);
  }

  private AacFormat(AudioSpecificConfig config, byte[] configBytes, int encoderDelaySamples) {
    this.config = config;
    this.configBytes = configBytes;
    this.encoderDelaySamples = encoderDelaySamples;
  }

  /**
   * This format, with {@code samples} of encoder delay ("priming", per channel, at {@link
   * #sampleRateHz()}): the decoded output of the first access unit starts that many samples before
   * the first input sample, which is presented at the first access unit's time. An MP4 writer
   * hides the priming with an edit list (ISO/IEC 14496-12 8.6.6), so a decoder that honours edit
   * lists gives back the input's samples at their times.
   *
   * @throws IllegalArgumentException if {@code samples} is negative or over 1 s
   */
  public AacFormat withEncoderDelaySamples(int samples) {
    if (samples < 0 || samples > sampleRateHz()) {
      throw new IllegalArgumentException(
          "encoder delay out of range 0.." + sampleRateHz() + " samples: " + samples);
    }
    return new AacFormat(config, configBytes, samples);
  }

  /** The encoder delay in samples per channel; 0 when not known. */
  public int encoderDelaySamples() {
    return encoderDelaySamples;
  }

  /**
   * The encoder delay in ticks of {@code timescale} (an MP4 track's, FLV's milliseconds), rounded
   * half up, exact when it can be; 0 when not known.
   */
  public long encoderDelayTicks(int timescale) {
    return encoderDelaySamples == 0 ? 0
        : MediaTime.rescaleTicks(encoderDelaySamples, sampleRateHz(), timescale, RoundingMode.HALF_UP);
  }

  /**
   * The format of an AudioSpecificConfig: the remaining bytes of {@code audioSpecificConfig}, all
   * of them one config (an {@code esds} DecoderSpecificInfo, an RTMP AAC sequence header's body,
   * Android's {@code csd-0}).
   *
   * @throws LivemuxException if the config is malformed or of a kind {@link AudioSpecificConfig}
   *     refuses
   */
  public static AacFormat fromAudioSpecificConfig(ByteBuffer audioSpecificConfig)
      throws LivemuxException {
    AudioSpecificConfig config = AudioSpecificConfig.parse(audioSpecificConfig);
    byte[] bytes = new byte[audioSpecificConfig.remaining()];
    audioSpecificConfig.duplicate().get(bytes);
    return new AacFormat(config, bytes);
  }

  /**
   * The format of the ADTS stream whose header is at the position of {@code adtsHeader}: the AAC
   * core it names (SBR and PS, if any, are implicit in ADTS and not reported).
   *
   * @throws LivemuxException if the header is malformed or refused by {@link AdtsHeader#parse}
   */
  public static AacFormat fromAdtsHeader(ByteBuffer adtsHeader) throws LivemuxException {
    return of(AdtsHeader.parse(adtsHeader).toAudioSpecificConfig());
  }

  /**
   * AAC LC at {@code sampleRateHz} with {@code channelCount} (1..8) channels, as {@link
   * AudioSpecificConfig#of} encodes it.
   *
   * @throws IllegalArgumentException if the rate or the channel count is out of range
   */
  public static AacFormat of(int sampleRateHz, int channelCount) {
    return of(AudioSpecificConfig.of(2, sampleRateHz, channelCount));
  }

  /** The format of {@code config}, with the bytes of {@link AudioSpecificConfig#toBytes()}. */
  public static AacFormat of(AudioSpecificConfig config) {
    return new AacFormat(config, config.toBytes());
  }

  @Override
  public int sampleRateHz() {
    return config.sampleRateHz();
  }

  @Override
  public int channelCount() {
    return config.channelCount();
  }

  /**
   * The object type that names the profile, as in {@code mp4a.40.N}: 2 for AAC LC, 5 with SBR
   * (HE-AAC), 29 with PS (HE-AAC v2), 39 for ELD; see {@link
   * AudioSpecificConfig#audioObjectType()}.
   */
  public int audioObjectType() {
    return config.audioObjectType();
  }

  /** Samples per channel in one access unit at {@link #sampleRateHz()}: 1024, 960, 2048, 512… */
  public int samplesPerFrame() {
    return config.samplesPerFrame();
  }

  /** The decoded config. */
  public AudioSpecificConfig config() {
    return config;
  }

  /** The AudioSpecificConfig bytes: a new read-only view each call (position 0), no copy. */
  public ByteBuffer audioSpecificConfig() {
    return ByteBuffer.wrap(configBytes).asReadOnlyBuffer();
  }

  /**
   * The RFC 6381 codec string, {@code mp4a.40.} and the {@link #audioObjectType()}: "mp4a.40.2".
   */
  public String codecString() {
    return "mp4a.40." + audioObjectType();
  }

  @Override
  public String mimeType() {
    return "audio/mp4a-latm";
  }

  @Override
  public boolean isRaw() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AacFormat && Arrays.equals(((AacFormat) o).configBytes, configBytes)
        && ((AacFormat) o).encoderDelaySamples == encoderDelaySamples;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(configBytes) * 31 + encoderDelaySamples;
  }

  @Override
  public String toString() {
    StringBuilder hex = new StringBuilder();
    for (byte b : configBytes) {
      hex.append(String.format("%02x", b & 0xFF));
    }
    return "AacFormat{"
        + codecString()
        + ", "
        + sampleRateHz()
        + " Hz, "
        + channelCount()
        + " ch, "
        + samplesPerFrame()
        + " samples/frame, asc "
        + hex
        + (encoderDelaySamples > 0 ? ", delay " + encoderDelaySamples : "")
        + "}";
  }
}
