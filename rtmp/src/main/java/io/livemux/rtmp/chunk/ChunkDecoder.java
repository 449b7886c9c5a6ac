package io.livemux.rtmp.chunk;

import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reassembles {@link RtmpMessage}s from an RTMP chunk stream (RTMP 5.3): an explicit state machine
 * fed byte slices of any size as they come off the socket, keeping per chunk stream the header state
 * that types 1, 2 and 3 reuse (RTMP 5.3.1.2) and one unfinished message per chunk stream, so chunks
 * of several chunk streams may interleave.
 *
 * <p><b>Protocol control the decoder applies itself.</b> A complete Set Chunk Size message (type 1,
 * RTMP 5.4.1) changes the incoming chunk size for the chunks that follow it; an Abort message (type
 * 2, RTMP 5.4.2) discards the unfinished message of the chunk stream it names. Both are still
 * returned to the caller (for logging or for a session to answer), already applied. A Set Chunk
 * Size with its top bit set, 0, or above {@link ChunkLimits#maxChunkSize()} is an error.
 *
 * <p><b>Extended timestamps</b> (RTMP 5.3.1.3): a 0xFFFFFF timestamp field is followed by 4 bytes;
 * type 3 chunks of a chunk stream whose last type 0/1/2 header had one carry the 4 bytes again (as
 * Flash, ffmpeg and nginx-rtmp send them). Timestamps add up modulo 2^32. A type 3 header starting
 * a message straight after a type 0 header uses the type 0 timestamp as its delta, as RTMP
 * 5.3.1.2.4 says.
 *
 * <p><b>Checks</b>, each an {@link RtmpException} naming the field, the value, the chunk stream and
 * the byte offset: a type 1, 2 or 3 header on a chunk stream with no type 0 header before it; a
 * type 0, 1 or 2 header on a chunk stream whose previous message is unfinished; a message length
 * above {@link ChunkLimits#maxMessageLength()}; more than {@link ChunkLimits#maxChunkStreams()}
 * chunk streams; more than {@link ChunkLimits#maxBufferedBytes()} held for unfinished messages. A
 * message buffer grows only as its bytes arrive (at most doubling), so a header claiming 16 MiB
 * allocates nothing the input does not fill. After an exception the decoder is failed and throws
 * again on every call.
 *
 * <p>Returned messages own their payloads (the decoder copies out of the input and never reuses
 * them). Not thread-safe: one decoder per connection, used by the thread that reads it.
 */
public final class ChunkDecoder {
  private static final int EXTENDED = 0xFFFFFF;
  private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
  /** Buffers start at least this big (unless the message is smaller), then double as bytes come. */
  private static final int MIN_BUFFER = 256;

  private enum State {
    /** RTMP 5.3.1.1: 1, 2 or 3 bytes; the first says which. */
    BASIC_HEADER,
    /** RTMP 5.3.1.2: 11, 7, 3 or 0 bytes by fmt. */
    MESSAGE_HEADER,
    /** RTMP 5.3.1.3: 4 bytes. */
    EXTENDED_TIMESTAMP,
    /** Up to the chunk size of payload bytes of the current message. */
    CHUNK_DATA,
    FAILED
  }

  /** What one chunk stream remembers between chunks. */
  private static final class Stream {
    final int csid;
    int messageStreamId;
    int typeId;
    int length;
    long timestampMs;
    long deltaMs;
    boolean extended;
    /** The unfinished message: its bytes so far, or null between messages. */
    byte[] buffer;
    int received;
    boolean inMessage;

    Stream(int csid) {
      this.csid = csid;
    }
  }

  private final ChunkLimits limits;
  private final ChunkStreamIds<Stream> streams = new ChunkStreamIds<>();
  private final byte[] scratch = new byte[11];
  private State state = State.BASIC_HEADER;
  private int have;
  private int need;
  private long offset;
  private int chunkSize = ChunkEncoder.DEFAULT_CHUNK_SIZE;
  private long bufferedBytes;

  private int fmt;
  private Stream stream;
  /** The header's timestamp or delta field, replaced by the extended timestamp when present. */
  private long timestampField;
  private int headerLength;
  private int headerTypeId;
  private int headerMessageStreamId;
  /**
   * The 3-byte field was 0xFFFFFF (RTMP 5.3.1.3), whatever the 4-byte value: that, not the value,
   * says whether type 3 chunks of this chunk stream carry the extended timestamp.
   */
  private boolean headerExtended;
  private int chunkLeft;
  private String failure;

  /** A decoder with the given limits and the initial chunk size of 128 (RTMP 5.4.1). */
  public ChunkDecoder(ChunkLimits limits) {
    if (limits == null) {
      throw new NullPointerException("limits");
    }
    this.limits = limits;
  }

  /** The incoming chunk size now in force. */
  public int chunkSize() {
    return chunkSize;
  }

  /** Bytes held in buffers of unfinished messages. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** Bytes consumed so far. */
  public long offset() {
    return offset;
  }

  /** True between chunks (not inside a chunk header or chunk data). */
  public boolean isAtChunkBoundary() {
    return state == State.BASIC_HEADER && have == 0;
  }

  /**
   * Consumes bytes of {@code in} until a message is complete and returns it, or returns null once
   * {@code in} is used up (its position then equals its limit). Call again with the same buffer
   * until it returns null, then with the next bytes read.
   */
  public RtmpMessage decode(ByteBuffer in) throws RtmpException {
    if (state == State.FAILED) {
      throw new RtmpException(failure);
    }
    try {
      return decodeOrThrow(in);
    } catch (RtmpException e) {
      state = State.FAILED;
      failure = e.getMessage();
      throw e;
    }
  }

  private RtmpMessage decodeOrThrow(ByteBuffer in) throws RtmpException {
    while (true) {
      RtmpMessage message;
      switch (state) {
        case BASIC_HEADER:
          if ((have == 0 && !in.hasRemaining()) || !readBasicHeader(in)) {
            return null;
          }
          break;
        case MESSAGE_HEADER:
          // Type 3 headers are empty, so this state may complete without input.
          if (!fill(in)) {
            return null;
          }
          message = parseMessageHeader();
          if (message != null) {
            return message;
          }
          break;
        case EXTENDED_TIMESTAMP:
          if (!fill(in)) {
            return null;
          }
          timestampField = (scratch[0] & 0xFFL) << 24 | (scratch[1] & 0xFF) << 16
              | (scratch[2] & 0xFF) << 8 | (scratch[3] & 0xFF);
          message = startChunk();
          if (message != null) {
            return message;
          }
          break;
        case CHUNK_DATA:
          if (!in.hasRemaining()) {
            return null;
          }
          message = readChunkData(in);
          if (message != null) {
            return message;
          }
          break;
        default:
          throw new IllegalStateException(state.name());
      }
    }
  }

  /** Copies into scratch until {@code need} bytes are there. */
  private boolean fill(ByteBuffer in) {
    int n = Math.min(need - have, in.remaining());
    in.get(scratch, have, n);
    have += n;
    offset += n;
    return have == need;
  }

  /** RTMP 5.3.1.1. */
  private boolean readBasicHeader(ByteBuffer in) throws RtmpException {
    if (have == 0) {
      int first = in.get() & 0xFF;
      offset++;
      scratch[0] = (byte) first;
      have = 1;
      int low = first & 0x3F;
      need = low == 0 ? 2 : low == 1 ? 3 : 1;
    }
    if (!fill(in)) {
      return false;
    }
    int low = scratch[0] & 0x3F;
    int csid =
        low == 0 ? 64 + (scratch[1] & 0xFF)
            : low == 1 ? 64 + (scratch[1] & 0xFF) + ((scratch[2] & 0xFF) << 8)
            : low;
    fmt = (scratch[0] & 0xFF) >>> 6;
    Stream s = streams.get(csid);
    if (s == null) {
      if (fmt != 0) {
        throw error("type " + fmt + " chunk on chunk stream " + csid
            + " that has had no type 0 header", csid);
      }
      if (streams.size() >= limits.maxChunkStreams()) {
        throw error("chunk stream " + csid + " exceeds the limit of " + limits.maxChunkStreams()
            + " chunk streams", csid);
      }
      s = new Stream(csid);
      streams.put(csid, s);
    }
    if (fmt != 3 && s.inMessage) {
      throw error("type " + fmt + " header inside an unfinished message (" + s.received + " of "
          + s.length + " bytes received)", csid);
    }
    stream = s;
    state = State.MESSAGE_HEADER;
    have = 0;
    need = MESSAGE_HEADER_LENGTH[fmt];
    return true;
  }

  /** RTMP 5.3.1.2.1 - 5.3.1.2.4. */
  private RtmpMessage parseMessageHeader() throws RtmpException {
    if (fmt < 3) {
      timestampField = medium(0);
    }
    if (fmt < 2) {
      headerLength = medium(3);
      headerTypeId = scratch[6] & 0xFF;
    }
    if (fmt == 0) {
      // RTMP 5.3.1.2.1: message stream id, little-endian.
      headerMessageStreamId = (scratch[7] & 0xFF) | (scratch[8] & 0xFF) << 8
          | (scratch[9] & 0xFF) << 16 | (scratch[10] & 0xFF) << 24;
    }
    headerExtended = fmt < 3 ? timestampField == EXTENDED : stream.extended;
    have = 0;
    if (headerExtended) {
      state = State.EXTENDED_TIMESTAMP;
      need = 4;
      return null;
    }
    return startChunk();
  }

  /** Applies the header to the chunk stream; returns a zero-length message if one is complete. */
  private RtmpMessage startChunk() throws RtmpException {
    Stream s = stream;
    have = 0;
    if (!s.inMessage) {
      switch (fmt) {
        case 0:
          s.extended = headerExtended;
          s.timestampMs = timestampField;
          // RTMP 5.3.1.2.4: a type 3 message right after type 0 takes its timestamp as the delta.
          s.deltaMs = timestampField;
          s.messageStreamId = headerMessageStreamId;
          s.typeId = headerTypeId;
          s.length = checkLength(headerLength);
          break;
        case 1:
          s.extended = headerExtended;
          s.deltaMs = timestampField;
          s.timestampMs = (s.timestampMs + timestampField) & 0xFFFFFFFFL;
          s.typeId = headerTypeId;
          s.length = checkLength(headerLength);
          break;
        case 2:
          s.extended = headerExtended;
          s.deltaMs = timestampField;
          s.timestampMs = (s.timestampMs + timestampField) & 0xFFFFFFFFL;
          break;
        default:
          if (s.extended) {
            s.deltaMs = timestampField;
          }
          s.timestampMs = (s.timestampMs + s.deltaMs) & 0xFFFFFFFFL;
          break;
      }
      s.inMessage = true;
      s.received = 0;
    }
    chunkLeft = Math.min(chunkSize, s.length - s.received);
    state = State.CHUNK_DATA;
    return chunkLeft == 0 ? finishChunk() : null;
  }

  private int checkLength(int length) throws RtmpException {
    if (length > limits.maxMessageLength()) {
      throw error("message length " + length + " exceeds the limit of "
          + limits.maxMessageLength(), stream.csid);
    }
    return length;
  }

  private RtmpMessage readChunkData(ByteBuffer in) throws RtmpException {
    Stream s = stream;
    int n = Math.min(chunkLeft, in.remaining());
    if (n > 0) {
      int needed = s.received + n;
      int capacity = s.buffer == null ? 0 : s.buffer.length;
      if (needed > capacity) {
        int grown = Math.min(s.length, Math.max(needed, Math.max(MIN_BUFFER, 2 * capacity)));
        if (bufferedBytes + grown - capacity > limits.maxBufferedBytes()) {
          throw error("unfinished messages would hold " + (bufferedBytes + grown - capacity)
              + " bytes, above the limit of " + limits.maxBufferedBytes(), s.csid);
        }
        bufferedBytes += grown - capacity;
        s.buffer = s.buffer == null ? new byte[grown] : Arrays.copyOf(s.buffer, grown);
      }
      in.get(s.buffer, s.received, n);
      s.received += n;
      chunkLeft -= n;
      offset += n;
    }
    return chunkLeft == 0 ? finishChunk() : null;
  }

  /** The current chunk's data is complete: the message too, or wait for the next chunk. */
  private RtmpMessage finishChunk() throws RtmpException {
    Stream s = stream;
    state = State.BASIC_HEADER;
    have = 0;
    if (s.received < s.length) {
      return null;
    }
    byte[] payload = s.buffer == null ? new byte[0] : s.buffer;
    if (payload.length != s.length) {
      payload = Arrays.copyOf(payload, s.length);
    }
    bufferedBytes -= s.buffer == null ? 0 : s.buffer.length;
    s.buffer = null;
    s.inMessage = false;
    s.received = 0;
    RtmpMessage message =
        RtmpMessage.of(s.csid, s.typeId, s.messageStreamId, s.timestampMs, payload);
    applyControl(message);
    return message;
  }

  /** RTMP 5.4.1 and 5.4.2 change how the following chunks are read. */
  private void applyControl(RtmpMessage message) throws RtmpException {
    if (message.typeId() == ProtocolControl.SET_CHUNK_SIZE) {
      int size = ProtocolControl.parseSetChunkSize(message);
      if (size > limits.maxChunkSize()) {
        throw error("Set Chunk Size " + size + " exceeds the limit of " + limits.maxChunkSize(),
            message.chunkStreamId());
      }
      chunkSize = size;
    } else if (message.typeId() == ProtocolControl.ABORT) {
      int csid = ProtocolControl.parseAbort(message);
      Stream s = csid >= RtmpMessage.MIN_CHUNK_STREAM_ID && csid <= RtmpMessage.MAX_CHUNK_STREAM_ID
          ? streams.get(csid) : null;
      if (s != null && s.inMessage) {
        bufferedBytes -= s.buffer == null ? 0 : s.buffer.length;
        s.buffer = null;
        s.inMessage = false;
        s.received = 0;
      }
    }
  }

  private int medium(int at) {
    return (scratch[at] & 0xFF) << 16 | (scratch[at + 1] & 0xFF) << 8 | (scratch[at + 2] & 0xFF);
  }

  private RtmpException error(String what, int csid) {
    return new RtmpException("RTMP chunk: " + what + " (csid " + csid + ", at byte " + offset + ")");
  }
}
