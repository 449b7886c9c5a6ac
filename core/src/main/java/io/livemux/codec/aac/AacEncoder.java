package io.livemux.codec.aac;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A pure-Java AAC-LC encoder (ISO/IEC 14496-3 subpart 4): 16-bit PCM, mono or stereo, 8 to 48
 * kHz, in; raw access units of 1024 samples per channel out, each ready for MP4 ({@code mdat} with
 * {@link #audioSpecificConfig()} in {@code esds}), FLV/RTMP, or ADTS with {@link
 * AdtsHeader#forFrame}.
 *
 * <p>Long (2048) and eight short (256) sine windows switched on detected attacks, a
 * spreading-function masking model, per-band mid/side stereo, quantization in a rate loop (exact
 * bit counts) inside a distortion loop that measures each band's quantization noise against its
 * masking threshold (ISO/IEC 13818-7 B.7), the eleven spectrum codebooks with dynamic-programming
 * sectioning, and a bit reservoir that holds the configured bitrate (filled with fill elements
 * when the input needs fewer bits); no frame exceeds 6144 bits per channel.
 *
 * <p>Timing: the decoded stream starts with {@link #encoderDelaySamples()} (1024) priming samples
 * that precede the first input sample; a container should skip them (an MP4 edit list, {@code
 * iTunSMPB}). {@link #flush()} pads the end with silence so that every input sample is decoded.
 *
 * <p>Threads: not thread-safe. One owner thread (or a caller that serializes access) calls {@code
 * encode}, {@code flush} and the getters; output buffers belong to the caller.
 */
public final class AacEncoder {
  /** Samples per channel in each access unit. */
  public static final int SAMPLES_PER_FRAME = 1024;

  /** The rates ADTS and the AudioSpecificConfig index in Table 1.18, from 8 to 48 kHz. */
  private static final int[] SAMPLE_RATES_HZ = {
    48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000
  };

  /** A validated encoder configuration. Immutable; safe to share between threads. */
  public static final class Config {
    public static final int MIN_BITRATE_BPS = 32_000;
    public static final int MAX_BITRATE_BPS = 320_000;

    private final int sampleRateHz;
    private final int channelCount;
    private final int bitrateBps;

    private Config(Builder builder) {
      this.sampleRateHz = builder.sampleRateHz;
      this.channelCount = builder.channelCount;
      this.bitrateBps = builder.bitrateBps;
    }

    public static Builder builder() {
      return new Builder();
    }

    public int sampleRateHz() {
      return sampleRateHz;
    }

    public int channelCount() {
      return channelCount;
    }

    public int bitrateBps() {
      return bitrateBps;
    }

    @Override
    public String toString() {
      return "AacEncoder.Config{"
          + sampleRateHz
          + " Hz, "
          + channelCount
          + " ch, "
          + bitrateBps
          + " bit/s}";
    }

    /**
     * Builds a {@link Config}; defaults: 48000 Hz, 2 channels, 128000 bit/s. Not thread-safe: one
     * thread fills and builds it.
     */
    public static final class Builder {
      private int sampleRateHz = 48_000;
      private int channelCount = 2;
      private int bitrateBps = 128_000;

      private Builder() {}

      /** One of 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000. */
      public Builder sampleRateHz(int sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        return this;
      }

      /** 1 or 2. */
      public Builder channelCount(int channelCount) {
        this.channelCount = channelCount;
        return this;
      }

      /**
       * 32000..320000, and at most what 6144 bits per channel and frame allow at the sample rate.
       */
      public Builder bitrateBps(int bitrateBps) {
        this.bitrateBps = bitrateBps;
        return this;
      }

      /** @throws IllegalArgumentException naming the first bad value */
      public Config build() {
        if (samplingFrequencyIndex(sampleRateHz) < 0) {
          throw new IllegalArgumentException(
              "sampleRateHz not one of 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100,"
                  + " 48000: "
                  + sampleRateHz);
        }
        if (channelCount != 1 && channelCount != 2) {
          throw new IllegalArgumentException("channelCount not 1 or 2: " + channelCount);
        }
        if (bitrateBps < MIN_BITRATE_BPS || bitrateBps > MAX_BITRATE_BPS) {
          throw new IllegalArgumentException(
              "bitrateBps out of range "
                  + MIN_BITRATE_BPS
                  + ".."
                  + MAX_BITRATE_BPS
                  + ": "
                  + bitrateBps);
        }
        long maxBps =
            (long) FrameEncoder.MAX_BITS_PER_CHANNEL * channelCount * sampleRateHz
                / SAMPLES_PER_FRAME;
        if (bitrateBps > maxBps * 3 / 4) {
          throw new IllegalArgumentException(
              "bitrateBps "
                  + bitrateBps
                  + " too high for "
                  + channelCount
                  + " channel(s) at "
                  + sampleRateHz
                  + " Hz: at most "
                  + maxBps * 3 / 4);
        }
        return new Config(this);
      }
    }
  }

  private final Config config;
  private final AudioSpecificConfig audioSpecificConfig;
  private final FrameEncoder engine;
  private final double[][] block;
  /** Whole sample frames of interleaved values, read from the caller's buffer in bulk. */
  private final short[] scratch;
  private int filled;
  private boolean flushed;

  private AacEncoder(Config config) {
    this.config = config;
    int index = samplingFrequencyIndex(config.sampleRateHz);
    this.audioSpecificConfig = AudioSpecificConfig.of(2, config.sampleRateHz, config.channelCount);
    this.engine =
        new FrameEncoder(config.sampleRateHz, index, config.channelCount, config.bitrateBps);
    this.block = new double[config.channelCount][SAMPLES_PER_FRAME];
    this.scratch = new short[SAMPLES_PER_FRAME * config.channelCount];
  }

  /** An encoder for {@code config}. */
  public static AacEncoder create(Config config) {
    if (config == null) {
      throw new NullPointerException("config");
    }
    return new AacEncoder(config);
  }

  private static int samplingFrequencyIndex(int sampleRateHz) {
    int[] tableIndex = {3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (int i = 0; i < SAMPLE_RATES_HZ.length; i++) {
      if (SAMPLE_RATES_HZ[i] == sampleRateHz) {
        return tableIndex[i];
      }
    }
    return -1;
  }

  public Config config() {
    return config;
  }

  /** AAC LC (object type 2) at the configured rate and channels, for {@code esds} or FLV. */
  public AudioSpecificConfig audioSpecificConfig() {
    return audioSpecificConfig;
  }

  /**
   * Priming samples per channel at the start of the decoded stream that precede the first input
   * sample: 1024 (one frame).
   */
  public int encoderDelaySamples() {
    return SAMPLES_PER_FRAME;
  }

  /**
   * Encodes all remaining interleaved samples of {@code pcm} (its position moves to its limit) and
   * returns the access units completed, in order, possibly none (an unmodifiable list; each buffer
   * is the caller's). Any number of whole sample frames (one value per channel) may be passed.
   *
   * @throws IllegalArgumentException if the remaining values are not whole sample frames
   * @throws IllegalStateException after {@link #flush()}
   */
  public List<ByteBuffer> encode(ShortBuffer pcm) {
    checkOpen();
    int values = pcm.remaining();
    if (values % config.channelCount != 0) {
      throw new IllegalArgumentException(
          "PCM values not a multiple of channelCount " + config.channelCount + ": " + values);
    }
    List<ByteBuffer> frames = new ArrayList<>();
    int channels = config.channelCount;
    while (pcm.hasRemaining()) {
      int count = Math.min(pcm.remaining(), scratch.length);
      pcm.get(scratch, 0, count);
      for (int i = 0; i < count; ) {
        for (int c = 0; c < channels; c++) {
          block[c][filled] = scratch[i++];
        }
        if (++filled == SAMPLES_PER_FRAME) {
          pushBlock(frames);
        }
      }
    }
    return Collections.unmodifiableList(frames);
  }

  /**
   * Encodes all remaining bytes of {@code pcm}, signed 16-bit little-endian interleaved (whatever
   * the buffer's byte order); its position moves to its limit.
   *
   * @throws IllegalArgumentException if the remaining bytes are not whole sample frames
   * @throws IllegalStateException after {@link #flush()}
   */
  public List<ByteBuffer> encode(ByteBuffer pcm) {
    checkOpen();
    int bytes = pcm.remaining();
    int frameBytes = 2 * config.channelCount;
    if (bytes % frameBytes != 0) {
      throw new IllegalArgumentException(
          "PCM bytes not a multiple of " + frameBytes + " (16-bit sample frames): " + bytes);
    }
    List<ByteBuffer> frames = new ArrayList<>();
    int channels = config.channelCount;
    int position = pcm.position();
    int limit = pcm.limit();
    while (position < limit) {
      for (int c = 0; c < channels; c++) {
        block[c][filled] = (short) ((pcm.get(position) & 0xFF) | (pcm.get(position + 1) << 8));
        position += 2;
      }
      if (++filled == SAMPLES_PER_FRAME) {
        pushBlock(frames);
      }
    }
    ((Buffer) pcm).position(limit);
    return Collections.unmodifiableList(frames);
  }

  /**
   * Pads the input with silence and returns the remaining access units, after which every input
   * sample is covered. The encoder accepts nothing more afterwards.
   *
   * @throws IllegalStateException if already flushed
   */
  public List<ByteBuffer> flush() {
    checkOpen();
    flushed = true;
    List<ByteBuffer> frames = new ArrayList<>();
    if (filled > 0) {
      for (int c = 0; c < config.channelCount; c++) {
        java.util.Arrays.fill(block[c], filled, SAMPLES_PER_FRAME, 0);
      }
      filled = SAMPLES_PER_FRAME;
      pushBlock(frames);
    }
    // Two more silent blocks: one completes the last frame, one is its look-ahead.
    for (int i = 0; i < 2; i++) {
      for (int c = 0; c < config.channelCount; c++) {
        java.util.Arrays.fill(block[c], 0);
      }
      filled = SAMPLES_PER_FRAME;
      pushBlock(frames);
    }
    return Collections.unmodifiableList(frames);
  }

  private void pushBlock(List<ByteBuffer> frames) {
    filled = 0;
    byte[] frame = engine.push(block);
    if (frame != null) {
      frames.add(ByteBuffer.wrap(frame));
    }
  }

  private void checkOpen() {
    if (flushed) {
      throw new IllegalStateException("encoder already flushed");
    }
  }
}
