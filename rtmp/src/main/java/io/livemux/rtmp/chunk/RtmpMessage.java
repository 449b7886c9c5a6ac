package io.livemux.rtmp.chunk;

import java.nio.ByteBuffer;

/**
 * One RTMP message (RTMP 5.1 / 5.3.1.2.1): the chunk stream it travels on, its message type id, its
 * message stream id, its 32-bit timestamp in milliseconds and its payload.
 *
 * <p>The timestamp is the unsigned 32-bit value of the wire ({@code 0..0xFFFFFFFF}); it wraps per RTMP
 * 5.3.1.3 / 6.1.1, so callers that need monotonic time extend it themselves. The payload is a
 * read-only view of the caller's buffer (its position 0, its limit the message length, at most
 * {@value #MAX_PAYLOAD_LENGTH} bytes because the message length field has 3 bytes): the message does
 * not copy, so the caller must not change those bytes while the message is in use. {@link
 * #payload()} returns a fresh view each time, so readers never disturb each other.
 *
 * <p>Immutable; may be passed between threads once its payload bytes are no longer written.
 */
public final class RtmpMessage {
  /** The message length field is 3 bytes (RTMP 5.3.1.2.1). */
  public static final int MAX_PAYLOAD_LENGTH = 0xFFFFFF;
  /** Chunk stream ids 0 and 1 are basic-header escapes (RTMP 5.3.1.1). */
  public static final int MIN_CHUNK_STREAM_ID = 2;
  /** 3-byte basic header: 64 + 0xFFFF (RTMP 5.3.1.1). */
  public static final int MAX_CHUNK_STREAM_ID = 65599;
  /** Chunk stream 2 carries protocol control messages (RTMP 5.4). */
  public static final int CONTROL_CHUNK_STREAM_ID = 2;

  private final int chunkStreamId;
  private final int typeId;
  private final int messageStreamId;
  private final long timestampMs;
  private final ByteBuffer payload;

  private RtmpMessage(
      int chunkStreamId, int typeId, int messageStreamId, long timestampMs, ByteBuffer payload) {
    this.chunkStreamId = chunkStreamId;
    this.typeId = typeId;
    this.messageStreamId = messageStreamId;
    this.timestampMs = timestampMs;
    this.payload = payload;
  }

  /**
   * A message over the remaining bytes of {@code payload} (not copied; {@code payload}'s position
   * and limit are not changed).
   *
   * @param chunkStreamId 2..65599
   * @param typeId 0..255
   * @param messageStreamId any 32-bit value (the wire field is 4 bytes, little-endian)
   * @param timestampMs 0..0xFFFFFFFF
   */
  public static RtmpMessage of(
      int chunkStreamId, int typeId, int messageStreamId, long timestampMs, ByteBuffer payload) {
    checkHeader(chunkStreamId, typeId, timestampMs, payload.remaining());
    return new RtmpMessage(
        chunkStreamId, typeId, messageStreamId, timestampMs, payload.slice().asReadOnlyBuffer());
  }

  static void checkHeader(int chunkStreamId, int typeId, long timestampMs, int length) {
    if (chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID) {
      throw new IllegalArgumentException("chunkStreamId out of range 2..65599: " + chunkStreamId);
    }
    if (typeId < 0 || typeId > 0xFF) {
      throw new IllegalArgumentException("typeId out of range 0..255: " + typeId);
    }
    if (timestampMs < 0 || timestampMs > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("timestampMs out of range 0..0xFFFFFFFF: " + timestampMs);
    }
    if (length < 0 || length > MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "payload of " + length + " bytes exceeds the RTMP message length field "
              + MAX_PAYLOAD_LENGTH);
    }
  }

  /** Wraps {@code payload} (not copied). */
  public static RtmpMessage of(
      int chunkStreamId, int typeId, int messageStreamId, long timestampMs, byte[] payload) {
    return of(chunkStreamId, typeId, messageStreamId, timestampMs, ByteBuffer.wrap(payload));
  }

  public int chunkStreamId() {
    return chunkStreamId;
  }

  public int typeId() {
    return typeId;
  }

  public int messageStreamId() {
    return messageStreamId;
  }

  /** Unsigned 32-bit milliseconds, 0..0xFFFFFFFF. */
  public long timestampMs() {
    return timestampMs;
  }

  /** The payload length in bytes, 0..0xFFFFFF. */
  public int length() {
    return payload.limit();
  }

  /** A fresh read-only view of the payload: position 0, limit {@link #length()}. */
  public ByteBuffer payload() {
    return payload.duplicate();
  }

  /** The payload's byte at {@code index}, without creating a view. */
  public byte payloadByte(int index) {
    return payload.get(index);
  }

  /** The same message with another timestamp (the payload view is shared, not copied). */
  public RtmpMessage withTimestampMs(long timestampMs) {
    return of(chunkStreamId, typeId, messageStreamId, timestampMs, payload);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RtmpMessage)) {
      return false;
    }
    RtmpMessage m = (RtmpMessage) o;
    return chunkStreamId == m.chunkStreamId && typeId == m.typeId
        && messageStreamId == m.messageStreamId && timestampMs == m.timestampMs
        && payload.equals(m.payload);
  }

  @Override
  public int hashCode() {
    int h = chunkStreamId;
    h = 31 * h + typeId;
    h = 31 * h + messageStreamId;
    h = 31 * h + Long.hashCode(timestampMs);
    return 31 * h + payload.hashCode();
  }

  @Override
  public String toString() {
    return "RtmpMessage{csid=" + chunkStreamId + ", type=" + typeId + ", stream=" + messageStreamId
        + ", ts=" + timestampMs + ", length=" + length() + "}";
  }
}
