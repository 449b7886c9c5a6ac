package io.livemux.sample;

import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.format.RawVideoFormat;
import io.livemux.format.TrackType;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * One media sample: an encoded access unit (H.264/H.265 length-prefixed NAL units, a raw AAC frame),
 * a raw picture (I420) or a block of PCM frames, with its format, times and flags.
 *
 * <p>Times are integer ticks of one {@link #timescale()}: presentation time, decode time and
 * duration, the last of which may be unknown until the next sample ({@link #hasDuration()}).
 *
 * <p><b>Ownership of the payload: zero copy.</b> {@link Builder#payload(ByteBuffer)} keeps a
 * read-only view of the caller's bytes, not a copy: from then on the bytes belong to the sample and
 * the caller must not change them until every consumer is done with it (for a {@code WriterInput},
 * until each sink has written or dropped it; its statistics say when). A caller that reuses its
 * buffers uses {@link Builder#copyOfPayload(ByteBuffer)} instead. {@link #payload()} hands out a
 * fresh read-only view each call, so consumers on different threads never share a position.
 *
 * <p>Immutable and thread-safe (given the rule above).
 */
public final class Sample {
  /** A sync sample (keyframe, IDR/IRAP): decoding can start here. Every audio sample is one. */
  public static final int FLAG_SYNC = 1;
  /** No other sample refers to this one (a non-reference frame): it can be dropped alone. */
  public static final int FLAG_DISPOSABLE = 1 << 1;
  /** The timeline jumps before this sample (a splice, a reconnect). */
  public static final int FLAG_DISCONTINUITY = 1 << 2;

  private static final int KNOWN_FLAGS = FLAG_SYNC | FLAG_DISPOSABLE | FLAG_DISCONTINUITY;
  private static final long UNKNOWN = Long.MIN_VALUE;

  private final MediaFormat format;
  private final int timescale;
  private final long presentationTimeTicks;
  private final long decodeTimeTicks;
  private final long durationTicks;
  private final int flags;
  private final ByteBuffer payload;
  /** The payload's backing array when it has one (never exposed): lets copies skip a view. */
  private final byte[] array;
  private final int arrayOffset;

  private Sample(Builder b, ByteBuffer payload, byte[] array, int arrayOffset) {
    this.format = b.format;
    this.timescale = b.timescale;
    this.presentationTimeTicks = b.presentationTimeTicks;
    this.decodeTimeTicks = b.decodeTimeTicks == UNKNOWN ? b.presentationTimeTicks : b.decodeTimeTicks;
    this.durationTicks = b.durationTicks;
    this.flags = b.flags;
    this.payload = payload;
    this.array = array;
    this.arrayOffset = arrayOffset;
  }

  private Sample(Sample from, long shiftTicks) {
    this.format = from.format;
    this.timescale = from.timescale;
    this.presentationTimeTicks = Math.addExact(from.presentationTimeTicks, shiftTicks);
    this.decodeTimeTicks = Math.addExact(from.decodeTimeTicks, shiftTicks);
    this.durationTicks = from.durationTicks;
    this.flags = from.flags;
    this.payload = from.payload;
    this.array = from.array;
    this.arrayOffset = from.arrayOffset;
  }

  /**
   * This sample moved {@code shiftTicks} (in its own timescale) later, or earlier when negative:
   * the same format, duration, flags and payload (shared, not copied; the same ownership rule).
   * For looping a source or moving a stream's timeline.
   *
   * @throws ArithmeticException if a time overflows
   */
  public Sample shiftedBy(long shiftTicks) {
    return shiftTicks == 0 ? this : new Sample(this, shiftTicks);
  }

  /** A builder for a sample of {@code format}, in the format's default timescale until told otherwise. */
  public static Builder builder(MediaFormat format) {
    return new Builder(format);
  }

  /**
   * A block of PCM frames starting at {@code presentationTimeTicks} in the sample rate's timescale;
   * its duration is its frame count. The payload is kept without a copy.
   */
  public static Sample pcm(PcmFormat format, ByteBuffer frames, long presentationTimeTicks) {
    int size = frames.remaining();
    if (size == 0 || size % format.bytesPerFrame() != 0) {
      throw new IllegalArgumentException(
          "PCM payload must hold whole frames of " + format.bytesPerFrame() + " bytes: " + size);
    }
    return builder(format)
        .presentationTimeTicks(presentationTimeTicks)
        .durationTicks(size / format.bytesPerFrame())
        .payload(frames)
        .build();
  }

  /**
   * A raw I420 picture shown at {@code presentationTimeTicks} of {@code timescale}. The payload must
   * be exactly {@link RawVideoFormat#pictureSizeBytes()} long; it is kept without a copy.
   */
  public static Sample rawPicture(
      RawVideoFormat format, ByteBuffer picture, long presentationTimeTicks, int timescale) {
    return builder(format)
        .timescale(timescale)
        .presentationTimeTicks(presentationTimeTicks)
        .flags(FLAG_SYNC)
        .payload(picture)
        .build();
  }

  public MediaFormat format() {
    return format;
  }

  /** Ticks per second of every time in this sample. */
  public int timescale() {
    return timescale;
  }

  public long presentationTimeTicks() {
    return presentationTimeTicks;
  }

  public long decodeTimeTicks() {
    return decodeTimeTicks;
  }

  /** Presentation minus decode time: the composition offset (positive with B-frames). */
  public long compositionOffsetTicks() {
    return presentationTimeTicks - decodeTimeTicks;
  }

  public boolean hasDuration() {
    return durationTicks != UNKNOWN;
  }

  /** The duration in ticks; throws if it is unknown ({@link #hasDuration()} is false). */
  public long durationTicks() {
    if (durationTicks == UNKNOWN) {
      throw new IllegalStateException("duration unknown");
    }
    return durationTicks;
  }

  /** Allocates; engines use the tick accessors. */
  public MediaTime presentationTime() {
    return MediaTime.of(presentationTimeTicks, timescale);
  }

  /** Allocates; engines use the tick accessors. */
  public MediaTime decodeTime() {
    return MediaTime.of(decodeTimeTicks, timescale);
  }

  /** The duration, or {@link MediaTime#INVALID} when it is unknown. */
  public MediaTime duration() {
    return durationTicks == UNKNOWN ? MediaTime.INVALID : MediaTime.of(durationTicks, timescale);
  }

  /** The decode time in microseconds, rounded down. */
  public long decodeTimeUs() {
    return MediaTime.rescaleTicks(decodeTimeTicks, timescale, 1_000_000, RoundingMode.FLOOR);
  }

  public int flags() {
    return flags;
  }

  public boolean isSync() {
    return (flags & FLAG_SYNC) != 0;
  }

  public boolean isDisposable() {
    return (flags & FLAG_DISPOSABLE) != 0;
  }

  public boolean isDiscontinuity() {
    return (flags & FLAG_DISCONTINUITY) != 0;
  }

  /** Payload size in bytes. */
  public int size() {
    return payload.capacity();
  }

  /**
   * Copies the payload into {@code target} at its position, advancing it. Allocates nothing when
   * the payload came from a heap buffer; muxers use this rather than {@link #payload()}.
   */
  public void copyPayloadTo(ByteBuffer target) {
    if (array != null) {
      target.put(array, arrayOffset, payload.capacity());
    } else {
      target.put(payload());
    }
  }

  /**
   * Copies payload bytes {@code [offset, offset + length)} into {@code target} at its position,
   * advancing it. Allocates nothing when the payload came from a heap buffer (the RTMP chunker
   * copies a sample chunk by chunk with it).
   *
   * @throws IndexOutOfBoundsException if the range is not inside the payload
   */
  public void copyPayloadTo(ByteBuffer target, int offset, int length) {
    int size = payload.capacity();
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new IndexOutOfBoundsException(
          "payload range [" + offset + ", " + offset + " + " + length + ") outside 0.." + size);
    }
    if (array != null) {
      target.put(array, arrayOffset + offset, length);
    } else {
      ByteBuffer view = payload.duplicate();
      ((Buffer) view).limit(offset + length);
      ((Buffer) view).position(offset);
      target.put(view);
    }
  }

  /** A fresh read-only view of the payload, position 0, limit {@link #size()}; allocates one small object. */
  public ByteBuffer payload() {
    ByteBuffer view = payload.duplicate();
    ((Buffer) view).clear(); // whatever anyone did to the shared view's position
    return view;
  }

  @Override
  public String toString() {
    return "Sample{"
        + format.mimeType()
        + ", pts=" + presentationTimeTicks
        + ", dts=" + decodeTimeTicks
        + ", duration=" + (hasDuration() ? Long.toString(durationTicks) : "unknown")
        + " /" + timescale
        + ", " + size() + " bytes"
        + (isSync() ? ", sync" : "")
        + (isDisposable() ? ", disposable" : "")
        + (isDiscontinuity() ? ", discontinuity" : "")
        + "}";
  }

  /**
   * Builds a {@link Sample}, checking what can be checked: a payload and a presentation time are
   * required; the duration is non-negative; raw pictures and PCM blocks have whole sizes. Not
   * thread-safe; one builder may build several samples.
   */
  public static final class Builder {
    private final MediaFormat format;
    private int timescale;
    private long presentationTimeTicks = UNKNOWN;
    private long decodeTimeTicks = UNKNOWN;
    private long durationTicks = UNKNOWN;
    private int flags;
    private ByteBuffer payload;
    private boolean copy;

    private Builder(MediaFormat format) {
      if (format == null) {
        throw new NullPointerException("format");
      }
      this.format = format;
      this.timescale = format.defaultTimescale();
    }

    /** Ticks per second for all times of the sample (default: the format's default timescale). */
    public Builder timescale(int timescale) {
      if (timescale <= 0) {
        throw new IllegalArgumentException("timescale must be positive: " + timescale);
      }
      this.timescale = timescale;
      return this;
    }

    public Builder presentationTimeTicks(long ticks) {
      checkTicks(ticks, "presentationTimeTicks");
      this.presentationTimeTicks = ticks;
      return this;
    }

    /** The decode time (default: the presentation time, as for streams without reordering). */
    public Builder decodeTimeTicks(long ticks) {
      checkTicks(ticks, "decodeTimeTicks");
      this.decodeTimeTicks = ticks;
      return this;
    }

    /** The duration in ticks, {@code >= 0}; left unset, it is unknown. */
    public Builder durationTicks(long ticks) {
      if (ticks < 0) {
        throw new IllegalArgumentException("durationTicks < 0: " + ticks);
      }
      this.durationTicks = ticks;
      return this;
    }

    /** Sets the presentation time, taking its timescale for the whole sample. */
    public Builder presentationTime(MediaTime time) {
      checkValid(time, "presentationTime");
      timescale(time.timescale());
      return presentationTimeTicks(time.ticks());
    }

    /** Sets the decode time, rescaled exactly to the sample's timescale (or throws). */
    public Builder decodeTime(MediaTime time) {
      checkValid(time, "decodeTime");
      return decodeTimeTicks(time.rescale(timescale, RoundingMode.UNNECESSARY).ticks());
    }

    /** Sets the duration, rescaled exactly to the sample's timescale (or throws). */
    public Builder duration(MediaTime time) {
      checkValid(time, "duration");
      return durationTicks(time.rescale(timescale, RoundingMode.UNNECESSARY).ticks());
    }

    /** Flags: a combination of {@link #FLAG_SYNC}, {@link #FLAG_DISPOSABLE}, {@link #FLAG_DISCONTINUITY}. */
    public Builder flags(int flags) {
      if ((flags & ~KNOWN_FLAGS) != 0) {
        throw new IllegalArgumentException("unknown flag bits: 0x" + Integer.toHexString(flags));
      }
      this.flags = flags;
      return this;
    }

    /** The payload: the remaining bytes of {@code buffer}, kept as a read-only view (zero copy). */
    public Builder payload(ByteBuffer buffer) {
      this.payload = buffer;
      this.copy = false;
      return this;
    }

    /** The payload: a private copy of the remaining bytes of {@code buffer}, which the caller keeps. */
    public Builder copyOfPayload(ByteBuffer buffer) {
      this.payload = buffer;
      this.copy = true;
      return this;
    }

    /** Builds the sample; the builder may be reused. */
    public Sample build() {
      // Kept small so that it inlines and the builder itself is not allocated on hot paths.
      if (payload == null || presentationTimeTicks == UNKNOWN) {
        throw new IllegalStateException(payload == null ? "payload not set" : "presentation time not set");
      }
      if (format.isRaw()) {
        checkRawSize(format, payload.remaining());
      }
      if (format.trackType() == TrackType.AUDIO) {
        flags |= FLAG_SYNC; // every audio frame is a random access point
      }
      // A heap buffer (the caller's, or our private copy) lends its array to copyPayloadTo.
      ByteBuffer source = copy ? privateCopy(payload) : payload;
      boolean lendsArray = source.hasArray();
      return new Sample(this, view(source),
          lendsArray ? source.array() : null,
          lendsArray ? source.arrayOffset() + source.position() : 0);
    }

    private static void checkRawSize(MediaFormat format, int size) {
      if (format instanceof RawVideoFormat) {
        int expected = ((RawVideoFormat) format).pictureSizeBytes();
        if (size != expected) {
          throw new IllegalArgumentException(
              "raw picture for " + format + " must be " + expected + " bytes: " + size);
        }
      } else if (format instanceof PcmFormat) {
        int frame = ((PcmFormat) format).bytesPerFrame();
        if (size % frame != 0) {
          throw new IllegalArgumentException(
              "PCM payload must hold whole frames of " + frame + " bytes: " + size);
        }
      }
    }

    private static ByteBuffer privateCopy(ByteBuffer payload) {
      ByteBuffer owned = ByteBuffer.allocate(payload.remaining());
      owned.put(payload.duplicate());
      ((Buffer) owned).flip(); // Buffer's flip: ByteBuffer.flip() is Java 9+, absent on Android 8
      return owned;
    }

    private static ByteBuffer view(ByteBuffer payload) {
      if (payload.isReadOnly() && payload.position() == 0 && payload.limit() == payload.capacity()) {
        return payload; // already a whole read-only view: share it, allocate nothing
      }
      return payload.slice().asReadOnlyBuffer();
    }

    private static void checkTicks(long ticks, String name) {
      if (ticks == UNKNOWN) {
        throw new IllegalArgumentException(name + " out of range: " + ticks);
      }
    }

    private static void checkValid(MediaTime time, String name) {
      if (!time.isValid()) {
        throw new IllegalArgumentException(name + " is MediaTime.INVALID");
      }
    }
  }
}
