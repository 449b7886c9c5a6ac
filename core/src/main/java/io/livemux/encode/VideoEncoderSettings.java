package io.livemux.encode;

import java.time.Duration;

/**
 * How a {@link VideoEncoderInput} encodes: picture size, keyframe interval in time, rate control,
 * queue bound and encoder threads. Immutable and thread-safe; built and validated by {@link
 * #builder}.
 *
 * <p><b>Rate control.</b> The encoder is JCodec 0.2.5's H.264 encoder, with what it offers:
 * Baseline profile, CAVLC, one reference frame, I16x16 and P16x16 macroblocks only, no skipped
 * macroblocks, no B-frames. On top of it:
 *
 * <ul>
 *   <li>{@link Builder#constantQp(int)} (the default, QP {@value #DEFAULT_QP}): every macroblock at
 *       that QP, except that one which would take more than {@value H264Codec#MAX_BITS_PER_MACROBLOCK}
 *       bits is re-encoded one QP higher (JCodec's slice buffer holds 8 bits per pixel and does not
 *       grow), and the rest of that picture stays at the raised QP.
 *   <li>{@link Builder#bitrateBps(int)}: our picture-level control through JCodec's rate-control
 *       hook (JCodec's own {@code H264FixedRateControl} restarts every picture at QP 26/30 and does
 *       not follow its target): one QP per picture, moved from the last P picture's towards the
 *       budget {@code bitrateBps x duration} (the duration from the presentation times, {@link
 *       Builder#nominalFrameDurationUs} before there are two), repaying what the stream over- or
 *       under-spent so far over the next ~15 pictures, at most 4 QP a picture, within 10..51.
 *       There is no VBV/HRD model: single pictures (IDRs above all) may be far above the average.
 *       Because JCodec codes every macroblock, a simple picture has a floor (at 320x240, the test
 *       pattern costs about 0.5 Mbit/s at 30 fps even at QP 51): below it, the target is not met.
 *       The control's state lives in each encoder thread, so with {@link Builder#encoderThreads}
 *       &gt; 1 the stream is not bit-identical to a serial encode (with constant QP it is).
 * </ul>
 */
public final class VideoEncoderSettings {
  /** Keyframe interval unless told otherwise: 2 s. */
  public static final long DEFAULT_KEYFRAME_INTERVAL_US = 2_000_000;
  /** QP unless told otherwise. */
  public static final int DEFAULT_QP = 24;
  /** Pictures held (queued, encoding, or encoded and not yet in the pipeline) unless told otherwise. */
  public static final int DEFAULT_QUEUE_CAPACITY = 8;
  /** How long {@link VideoEncoderInput#finish()} may take unless told otherwise. */
  public static final Duration DEFAULT_FINISH_TIMEOUT = Duration.ofSeconds(2);
  /** Largest width or height: JCodec writes level 4.0, and larger pictures are asking for trouble. */
  public static final int MAX_DIMENSION = 4096;
  /** Most encoder threads. */
  public static final int MAX_ENCODER_THREADS = 16;

  private final int width;
  private final int height;
  private final long keyframeIntervalUs;
  private final int qp;
  private final int bitrateBps;
  private final long nominalFrameDurationUs;
  private final int queueCapacity;
  private final int encoderThreads;
  private final Duration finishTimeout;

  private VideoEncoderSettings(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.keyframeIntervalUs = b.keyframeIntervalUs;
    this.qp = b.qp;
    this.bitrateBps = b.bitrateBps;
    this.nominalFrameDurationUs = b.nominalFrameDurationUs;
    this.queueCapacity = b.queueCapacity;
    this.encoderThreads = b.encoderThreads;
    this.finishTimeout = b.finishTimeout;
  }

  /** Settings for {@code width x height} pictures; both even, 2..{@value #MAX_DIMENSION}. */
  public static Builder builder(int width, int height) {
    return new Builder(width, height);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * A picture becomes an IDR when at least this long (presentation time) has passed since the last
   * IDR; the first picture always is one.
   */
  public long keyframeIntervalUs() {
    return keyframeIntervalUs;
  }

  /** True for bitrate rate control, false for constant QP. */
  public boolean hasBitrate() {
    return bitrateBps > 0;
  }

  /** The QP for constant-QP rate control; meaningless when {@link #hasBitrate()}. */
  public int qp() {
    return qp;
  }

  /** The bitrate target, 0 for constant QP. */
  public int bitrateBps() {
    return bitrateBps;
  }

  /** The frame duration the bitrate budget assumes before two presentation times are known. */
  public long nominalFrameDurationUs() {
    return nominalFrameDurationUs;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public int encoderThreads() {
    return encoderThreads;
  }

  public Duration finishTimeout() {
    return finishTimeout;
  }

  @Override
  public String toString() {
    return "VideoEncoderSettings{" + width + "x" + height
        + ", keyframeIntervalUs=" + keyframeIntervalUs
        + (hasBitrate() ? ", bitrateBps=" + bitrateBps : ", qp=" + qp)
        + ", queueCapacity=" + queueCapacity
        + ", encoderThreads=" + encoderThreads
        + ", finishTimeout=" + finishTimeout
        + "}";
  }

  /** Builds {@link VideoEncoderSettings}; each setter checks its argument. Not thread-safe. */
  public static final class Builder {
    private final int width;
    private final int height;
    private long keyframeIntervalUs = DEFAULT_KEYFRAME_INTERVAL_US;
    private int qp = DEFAULT_QP;
    private int bitrateBps;
    private long nominalFrameDurationUs = 33_333;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int encoderThreads = 1;
    private Duration finishTimeout = DEFAULT_FINISH_TIMEOUT;

    private Builder(int width, int height) {
      checkDimension(width, "width");
      checkDimension(height, "height");
      this.width = width;
      this.height = height;
    }

    private static void checkDimension(int value, String name) {
      if (value < 2 || value > MAX_DIMENSION) {
        throw new IllegalArgumentException(name + " out of range 2.." + MAX_DIMENSION + ": " + value);
      }
      if (value % 2 != 0) {
        // H.264 7.4.2.1.1: 4:2:0 frame cropping works in units of 2 luma samples.
        throw new IllegalArgumentException(name + " must be even for 4:2:0: " + value);
      }
    }

    /** At least this much presentation time between IDRs (default 2 s); 1 ms..1 hour. */
    public Builder keyframeIntervalUs(long keyframeIntervalUs) {
      if (keyframeIntervalUs < 1_000 || keyframeIntervalUs > 3_600_000_000L) {
        throw new IllegalArgumentException(
            "keyframeIntervalUs out of range 1000..3600000000: " + keyframeIntervalUs);
      }
      this.keyframeIntervalUs = keyframeIntervalUs;
      return this;
    }

    /** Constant QP, 10..51 (the default, {@value #DEFAULT_QP}); replaces a bitrate. */
    public Builder constantQp(int qp) {
      if (qp < 10 || qp > 51) {
        throw new IllegalArgumentException("qp out of range 10..51: " + qp);
      }
      this.qp = qp;
      this.bitrateBps = 0;
      return this;
    }

    /** Picture-level rate control aiming at {@code bitrateBps} (see the class comment); replaces a QP. */
    public Builder bitrateBps(int bitrateBps) {
      if (bitrateBps < 8_000) {
        throw new IllegalArgumentException("bitrateBps < 8000: " + bitrateBps);
      }
      this.bitrateBps = bitrateBps;
      return this;
    }

    /** The frame duration the bitrate budget assumes for a first picture (default 33 333 us). */
    public Builder nominalFrameDurationUs(long nominalFrameDurationUs) {
      if (nominalFrameDurationUs < 1_000 || nominalFrameDurationUs > 10_000_000) {
        throw new IllegalArgumentException(
            "nominalFrameDurationUs out of range 1000..10000000: " + nominalFrameDurationUs);
      }
      this.nominalFrameDurationUs = nominalFrameDurationUs;
      return this;
    }

    /**
     * The queue bound in pictures, 1..10000 (default {@value #DEFAULT_QUEUE_CAPACITY}): pictures
     * queued, being encoded, or encoded and not yet taken by the pipeline. With several encoder
     * threads it must hold about a GOP per extra thread for them to work at once (see {@link
     * #encoderThreads}).
     */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacity < 1 || queueCapacity > 10_000) {
        throw new IllegalArgumentException("queueCapacity out of range 1..10000: " + queueCapacity);
      }
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * Encoder threads, 1..{@value #MAX_ENCODER_THREADS} (default 1). More than one encodes
     * consecutive GOPs at once, each starting with its own IDR, and reorders the output: for inputs
     * that are not real-time (a file, a render), whose producer can run a GOP ahead. Memory grows
     * with {@link #queueCapacity}, which must hold that GOP.
     */
    public Builder encoderThreads(int encoderThreads) {
      if (encoderThreads < 1 || encoderThreads > MAX_ENCODER_THREADS) {
        throw new IllegalArgumentException(
            "encoderThreads out of range 1.." + MAX_ENCODER_THREADS + ": " + encoderThreads);
      }
      this.encoderThreads = encoderThreads;
      return this;
    }

    /** The bound on {@link VideoEncoderInput#finish()}, from its call (default 2 s). */
    public Builder finishTimeout(Duration finishTimeout) {
      if (finishTimeout == null) {
        throw new NullPointerException("finishTimeout");
      }
      if (finishTimeout.isNegative() || finishTimeout.isZero()) {
        throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
      }
      this.finishTimeout = finishTimeout;
      return this;
    }

    public VideoEncoderSettings build() {
      return new VideoEncoderSettings(this);
    }
  }
}
