package io.livemux.rtmp.chunk;

/**
 * Bounds on what a {@link ChunkDecoder} accepts, so that a hostile or broken peer fails fast with an
 * {@link io.livemux.rtmp.RtmpException} naming the field, the value and the limit instead of
 * exhausting the heap. Immutable; start from {@link #defaults()}.
 */
public final class ChunkLimits {
  /**
   * 8 MiB, the same as {@code FlvLimits.DEFAULT_MAX_TAG_DATA_SIZE}: an RTMP audio or video message is
   * an FLV tag body, and a keyframe of 8 MiB is already ~64 Mbit in one frame. The wire field allows
   * 16 MiB - 1; raise it if a peer really sends such frames.
   */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 << 20;
  /**
   * 16 MiB: a chunk size beyond the largest message length (0xFFFFFF) only means "never split", and
   * the decoder does not allocate by chunk size, so accepting it costs nothing; the spec's
   * 0x7FFFFFFF is refused by default as a sign of a broken peer.
   */
  public static final int DEFAULT_MAX_CHUNK_SIZE = 1 << 24;
  /** Real peers use a handful (2..8 and one or two per stream). */
  public static final int DEFAULT_MAX_CHUNK_STREAMS = 256;
  /** Two largest messages in flight at once, e.g. a video keyframe interleaved with another one. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 2 * DEFAULT_MAX_MESSAGE_LENGTH;

  private static final ChunkLimits DEFAULTS =
      new ChunkLimits(
          DEFAULT_MAX_MESSAGE_LENGTH,
          DEFAULT_MAX_CHUNK_SIZE,
          DEFAULT_MAX_CHUNK_STREAMS,
          DEFAULT_MAX_BUFFERED_BYTES);

  private final int maxMessageLength;
  private final int maxChunkSize;
  private final int maxChunkStreams;
  private final int maxBufferedBytes;

  private ChunkLimits(
      int maxMessageLength, int maxChunkSize, int maxChunkStreams, int maxBufferedBytes) {
    this.maxMessageLength = maxMessageLength;
    this.maxChunkSize = maxChunkSize;
    this.maxChunkStreams = maxChunkStreams;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  /** Messages up to 8 MiB, chunk sizes up to 16 MiB, 256 chunk streams, 16 MiB buffered. */
  public static ChunkLimits defaults() {
    return DEFAULTS;
  }

  /** The longest message payload accepted, 0..0xFFFFFF (the wire field's range). */
  public ChunkLimits withMaxMessageLength(int maxMessageLength) {
    if (maxMessageLength < 0 || maxMessageLength > RtmpMessage.MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "maxMessageLength out of range 0..16777215: " + maxMessageLength);
    }
    return new ChunkLimits(maxMessageLength, maxChunkSize, maxChunkStreams, maxBufferedBytes);
  }

  /** The largest chunk size a Set Chunk Size message may set, 128..0x7FFFFFFF (RTMP 5.4.1). */
  public ChunkLimits withMaxChunkSize(int maxChunkSize) {
    if (maxChunkSize < ChunkEncoder.DEFAULT_CHUNK_SIZE) {
      throw new IllegalArgumentException("maxChunkSize out of range 128..2147483647: " + maxChunkSize);
    }
    return new ChunkLimits(maxMessageLength, maxChunkSize, maxChunkStreams, maxBufferedBytes);
  }

  /** How many distinct chunk stream ids may be in use on one connection, 1..65598. */
  public ChunkLimits withMaxChunkStreams(int maxChunkStreams) {
    if (maxChunkStreams < 1 || maxChunkStreams > 65598) {
      throw new IllegalArgumentException("maxChunkStreams out of range 1..65598: " + maxChunkStreams);
    }
    return new ChunkLimits(maxMessageLength, maxChunkSize, maxChunkStreams, maxBufferedBytes);
  }

  /** The most bytes of unfinished messages held over all chunk streams together, {@code >= 0}. */
  public ChunkLimits withMaxBufferedBytes(int maxBufferedBytes) {
    if (maxBufferedBytes < 0) {
      throw new IllegalArgumentException("maxBufferedBytes < 0: " + maxBufferedBytes);
    }
    return new ChunkLimits(maxMessageLength, maxChunkSize, maxChunkStreams, maxBufferedBytes);
  }

  public int maxMessageLength() {
    return maxMessageLength;
  }

  public int maxChunkSize() {
    return maxChunkSize;
  }

  public int maxChunkStreams() {
    return maxChunkStreams;
  }

  public int maxBufferedBytes() {
    return maxBufferedBytes;
  }

  @Override
  public String toString() {
    return "ChunkLimits{maxMessageLength=" + maxMessageLength + ", maxChunkSize=" + maxChunkSize
        + ", maxChunkStreams=" + maxChunkStreams + ", maxBufferedBytes=" + maxBufferedBytes + "}";
  }
}
