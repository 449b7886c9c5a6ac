package io.livemux.rtmp.flv;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * One FLV tag (FLV 10.1 E.4.1, the same payload an RTMP message of type 8, 9 or 18 carries): its
 * type, its timestamp and its body, the bytes after the 11-byte tag header.
 *
 * <p>The timestamp is the tag's SI32: the 24-bit Timestamp field holds bits 0..23 and
 * TimestampExtended bits 24..31, in milliseconds. For audio and video it is the decode time; a
 * video packet's composition time offset (PTS − DTS) is inside its body.
 *
 * <p>Immutable. {@link #of} keeps a read-only view of the caller's body bytes, not a copy: the
 * caller must not change them afterwards. {@link #body()} hands out a fresh view each call, so the
 * tag may be shared between threads.
 */
public final class FlvTag {
  /** TagType 8: an audio tag (E.4.2). */
  public static final int AUDIO = 8;
  /** TagType 9: a video tag (E.4.3). */
  public static final int VIDEO = 9;
  /** TagType 18: a script data tag (E.4.4), AMF0 values such as onMetaData. */
  public static final int SCRIPT_DATA = 18;

  /** DataSize is a UI24: no tag body is longer. */
  public static final int MAX_DATA_SIZE = 0xFFFFFF;

  private final int type;
  private final int timestampMs;
  private final ByteBuffer body;

  private FlvTag(int type, int timestampMs, ByteBuffer body) {
    this.type = type;
    this.timestampMs = timestampMs;
    this.body = body;
  }

  /**
   * A tag of {@code type} ({@link #AUDIO}, {@link #VIDEO} or {@link #SCRIPT_DATA}) at {@code
   * timestampMs}, whose body is the remaining bytes of {@code body} (kept, not copied).
   */
  public static FlvTag of(int type, int timestampMs, ByteBuffer body) {
    if (type != AUDIO && type != VIDEO && type != SCRIPT_DATA) {
      throw new IllegalArgumentException("FLV TagType must be 8, 9 or 18: " + type);
    }
    if (body.remaining() > MAX_DATA_SIZE) {
      throw new IllegalArgumentException(
          "FLV tag body longer than DataSize's UI24 allows (16777215): " + body.remaining());
    }
    return new FlvTag(type, timestampMs, body.slice().asReadOnlyBuffer());
  }

  /** {@link #AUDIO}, {@link #VIDEO} or {@link #SCRIPT_DATA}. */
  public int type() {
    return type;
  }

  /** Milliseconds, the SI32 of Timestamp and TimestampExtended. */
  public int timestampMs() {
    return timestampMs;
  }

  /** The body's size in bytes: the tag's DataSize. */
  public int dataSize() {
    return body.capacity();
  }

  /** A fresh read-only view of the body, position 0. */
  public ByteBuffer body() {
    ByteBuffer view = body.duplicate();
    ((Buffer) view).clear();
    return view;
  }

  @Override
  public String toString() {
    String name = type == AUDIO ? "audio" : type == VIDEO ? "video" : "script";
    return "FlvTag{" + name + ", " + timestampMs + " ms, " + dataSize() + " bytes}";
  }
}
