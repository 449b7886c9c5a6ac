package io.livemux.rtmp.chunk;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Splits {@link RtmpMessage}s into chunks (RTMP 5.3), choosing per chunk stream the most compact
 * message header the peer can decode unambiguously (RTMP 5.3.1.2):
 *
 * <ul>
 *   <li>type 0 for the first message of a chunk stream, a new message stream id, or a timestamp
 *       lower than the previous one (RTMP 5.3.1.2.1: "whenever the stream timestamp goes
 *       backward");
 *   <li>type 1 when the length or the type id changes;
 *   <li>type 2 when only the timestamp delta changes;
 *   <li>type 3 when the delta repeats too, but never straight after a type 0 header: the spec makes
 *       the delta then equal to the type 0 timestamp and nginx-rtmp takes it as 0, so we send a
 *       type 2 header to register the delta first.
 * </ul>
 *
 * <p>A message longer than the chunk size continues in type 3 chunks. Timestamps and deltas of
 * 0xFFFFFF and more go in the 4-byte extended timestamp (RTMP 5.3.1.3), which every type 3 chunk of
 * that chunk stream repeats, as Flash, ffmpeg and nginx-rtmp do.
 *
 * <p>The outgoing chunk size starts at 128 (RTMP 5.4.1); after sending a Set Chunk Size message
 * ({@link ProtocolControl#setChunkSize}) call {@link #setChunkSize}. Output goes into a caller's
 * buffer ({@link #encode(RtmpMessage, ByteBuffer)}, one payload copy) or as headers plus payload
 * slices ({@link #encodeGathering}, no payload copy). The encoder keeps no reference to messages or
 * buffers; {@code encode(RtmpMessage, ByteBuffer)} allocates one payload view per message once a
 * chunk stream has been seen.
 *
 * <p>Not thread-safe: one encoder per connection, used by the thread that writes it.
 */
public final class ChunkEncoder {
  /** RTMP 5.4.1: the chunk size is 128 until a Set Chunk Size message changes it. */
  public static final int DEFAULT_CHUNK_SIZE = 128;
  /**
   * The spec allows up to 0x7FFFFFFF (RTMP 5.4.1); beyond the largest message length every message is
   * one chunk anyway, and {@link ChunkLimits#defaults()} accepts up to this, so we cap here.
   */
  public static final int MAX_CHUNK_SIZE = 1 << 24;
  /** Basic header 3 + message header 11 + extended timestamp 4 (RTMP 5.3.1). */
  public static final int MAX_CHUNK_HEADER_LENGTH = 18;

  private static final int EXTENDED = 0xFFFFFF;

  /** What the peer's decoder remembers for one chunk stream. */
  private static final class Stream {
    int messageStreamId;
    int typeId;
    int length;
    long timestampMs;
    long deltaMs;
    /** The delta field was set by a type 1 or 2 header, so a type 3 header may reuse it. */
    boolean deltaSent;
    /** The last type 0/1/2 header carried an extended timestamp; type 3 chunks repeat it. */
    boolean extended;
    long extendedValue;
  }

  private final ChunkStreamIds<Stream> streams = new ChunkStreamIds<>();
  private int chunkSize = DEFAULT_CHUNK_SIZE;

  /** The chunk size used from the next message on. */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Sets the outgoing chunk size, 1..{@value #MAX_CHUNK_SIZE}; call it right after encoding the Set
   * Chunk Size message that announces it, before the next message.
   */
  public void setChunkSize(int chunkSize) {
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunkSize out of range 1.." + MAX_CHUNK_SIZE + ": " + chunkSize);
    }
    this.chunkSize = chunkSize;
  }

  /** The bytes {@link #encode(RtmpMessage, ByteBuffer)} will write for {@code message} next. */
  public int encodedLength(RtmpMessage message) {
    return encodedLength(
        message.chunkStreamId(), message.typeId(), message.messageStreamId(),
        message.timestampMs(), message.length());
  }

  /** The bytes {@link #encode(int, int, int, long, int, PayloadSource, ByteBuffer)} will write next. */
  public int encodedLength(
      int chunkStreamId, int typeId, int messageStreamId, long timestampMs, int length) {
    Stream s = streams.get(chunkStreamId);
    int fmt = headerType(s, typeId, messageStreamId, timestampMs, length);
    long field = timestampField(s, timestampMs, fmt);
    boolean extended = fmt == 3 ? s.extended : field >= EXTENDED;
    int basic = basicHeaderLength(chunkStreamId);
    int chunks = chunkCount(length);
    int first = basic + MESSAGE_HEADER_LENGTH[fmt] + (extended ? 4 : 0);
    int next = basic + (extended ? 4 : 0);
    return first + (chunks - 1) * next + length;
  }

  /**
   * Supplies a message's payload piece by piece, so a payload made of parts (an FLV packet header
   * and a sample's bytes) is chunked with one copy and no intermediate buffer.
   */
  public interface PayloadSource {
    /** Copies payload bytes {@code [offset, offset + length)} into {@code out}, advancing it. */
    void copyTo(int offset, int length, ByteBuffer out);
  }

  /**
   * Writes all chunks of a message of {@code length} bytes whose payload {@code source} supplies,
   * into {@code out} from its position, advancing it. Allocates nothing once the chunk stream has
   * been seen. The arguments are checked as {@link RtmpMessage#of} checks them.
   *
   * @throws IllegalArgumentException if {@code out} has less than {@link #encodedLength} bytes
   *     remaining (nothing is written and the encoder state is unchanged)
   */
  public void encode(
      int chunkStreamId, int typeId, int messageStreamId, long timestampMs, int length,
      PayloadSource source, ByteBuffer out) {
    RtmpMessage.checkHeader(chunkStreamId, typeId, timestampMs, length);
    int need = encodedLength(chunkStreamId, typeId, messageStreamId, timestampMs, length);
    if (out.remaining() < need) {
      throw new IllegalArgumentException(
          "output has " + out.remaining() + " bytes remaining, the message needs " + need
              + " (chunk stream " + chunkStreamId + ", type " + typeId + ", " + length + " bytes)");
    }
    Stream s = writeFirstHeader(chunkStreamId, typeId, messageStreamId, timestampMs, length, out);
    int written = 0;
    while (true) {
      int n = Math.min(chunkSize, length - written);
      source.copyTo(written, n, out);
      written += n;
      if (written >= length) {
        break;
      }
      writeContinuationHeader(out, chunkStreamId, s);
    }
  }

  /**
   * Writes all chunks of {@code message} into {@code out} from its position, advancing it. The
   * payload is copied once, from the message's view into {@code out}.
   *
   * @throws IllegalArgumentException if {@code out} has less than {@link #encodedLength} bytes
   *     remaining (nothing is written and the encoder state is unchanged)
   */
  public void encode(RtmpMessage message, ByteBuffer out) {
    int need = encodedLength(message);
    if (out.remaining() < need) {
      throw new IllegalArgumentException(
          "output has " + out.remaining() + " bytes remaining, the message needs " + need + ": " + message);
    }
    Stream s = writeFirstHeader(message, out);
    int csid = message.chunkStreamId();
    ByteBuffer payload = message.payload();
    int length = payload.remaining();
    int written = 0;
    while (true) {
      int n = Math.min(chunkSize, length - written);
      ((Buffer) payload).limit(written + n);
      out.put(payload);
      written += n;
      if (written >= length) {
        break;
      }
      writeContinuationHeader(out, csid, s);
    }
  }

  /**
   * Encodes without copying the payload: returns chunk headers and payload slices to write in
   * order (e.g. with a {@code GatheringByteChannel}), header buffers in one new array of their own,
   * payload slices read-only views of the message's payload. Allocates per chunk, so prefer {@link
   * #encode(RtmpMessage, ByteBuffer)} for small messages.
   */
  public ByteBuffer[] encodeGathering(RtmpMessage message) {
    int length = message.length();
    int chunks = chunkCount(length);
    ByteBuffer headers = ByteBuffer.allocate(encodedLength(message) - length);
    ByteBuffer[] out = new ByteBuffer[length == 0 ? 1 : 2 * chunks];
    Stream s = writeFirstHeader(message, headers);
    ByteBuffer payload = message.payload();
    int at = 0;
    int headerStart = 0;
    for (int i = 0; i < chunks; i++) {
      if (i > 0) {
        writeContinuationHeader(headers, message.chunkStreamId(), s);
      }
      out[2 * i] = slice(headers, headerStart, headers.position());
      headerStart = headers.position();
      if (length > 0) {
        int n = Math.min(chunkSize, length - at);
        out[2 * i + 1] = slice(payload, at, at + n);
        at += n;
      }
    }
    return out;
  }

  private static ByteBuffer slice(ByteBuffer b, int from, int to) {
    ByteBuffer d = b.duplicate();
    ((Buffer) d).limit(to);
    ((Buffer) d).position(from);
    return d.slice();
  }

  /** Writes the first chunk's basic and message headers and updates the chunk stream's state. */
  private Stream writeFirstHeader(RtmpMessage message, ByteBuffer out) {
    return writeFirstHeader(
        message.chunkStreamId(), message.typeId(), message.messageStreamId(),
        message.timestampMs(), message.length(), out);
  }

  private Stream writeFirstHeader(
      int csid, int typeId, int messageStreamId, long timestampMs, int length, ByteBuffer out) {
    Stream s = streams.get(csid);
    int fmt = headerType(s, typeId, messageStreamId, timestampMs, length);
    long field = timestampField(s, timestampMs, fmt);
    if (s == null) {
      s = new Stream();
      streams.put(csid, s);
    }
    writeBasicHeader(out, fmt, csid);
    switch (fmt) {
      case 0:
        writeTimestampField(out, field);
        writeMedium(out, length);
        out.put((byte) typeId);
        // RTMP 5.3.1.2.1: the message stream id is little-endian.
        out.putInt(Integer.reverseBytes(messageStreamId));
        s.deltaSent = false;
        s.deltaMs = timestampMs;
        break;
      case 1:
        writeTimestampField(out, field);
        writeMedium(out, length);
        out.put((byte) typeId);
        s.deltaSent = true;
        s.deltaMs = field;
        break;
      case 2:
        writeTimestampField(out, field);
        s.deltaSent = true;
        s.deltaMs = field;
        break;
      default:
        break;
    }
    if (fmt != 3) {
      s.extended = field >= EXTENDED;
      s.extendedValue = field;
    }
    if (s.extended) {
      out.putInt((int) s.extendedValue);
    }
    s.messageStreamId = messageStreamId;
    s.typeId = typeId;
    s.length = length;
    s.timestampMs = timestampMs;
    return s;
  }

  /** RTMP 5.3.1.2.4: the rest of a message follows in type 3 chunks, extended timestamp repeated. */
  private static void writeContinuationHeader(ByteBuffer out, int csid, Stream s) {
    writeBasicHeader(out, 3, csid);
    if (s.extended) {
      out.putInt((int) s.extendedValue);
    }
  }

  /** Encodes into a new buffer of exactly the right size, flipped for reading. */
  public ByteBuffer encode(RtmpMessage message) {
    ByteBuffer out = ByteBuffer.allocate(encodedLength(message));
    encode(message, out);
    ((Buffer) out).flip();
    return out;
  }

  private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};

  private int chunkCount(int length) {
    return length == 0 ? 1 : (int) ((length + (long) chunkSize - 1) / chunkSize);
  }

  private static int headerType(
      Stream s, int typeId, int messageStreamId, long timestampMs, int length) {
    if (s == null || s.messageStreamId != messageStreamId) {
      return 0;
    }
    if (timestampMs < s.timestampMs) {
      return 0;
    }
    if (s.length != length || s.typeId != typeId) {
      return 1;
    }
    long delta = timestampMs - s.timestampMs;
    if (!s.deltaSent || delta != s.deltaMs) {
      return 2;
    }
    // A type 3 header must carry the same extended timestamp as the header it repeats, which it
    // does since the delta is the same.
    return 3;
  }

  private static long timestampField(Stream s, long timestampMs, int fmt) {
    return fmt == 0 ? timestampMs : timestampMs - s.timestampMs;
  }

  static int basicHeaderLength(int csid) {
    return csid < 64 ? 1 : csid < 320 ? 2 : 3;
  }

  /** RTMP 5.3.1.1: 1 byte for csid 2..63, 2 bytes for 64..319, 3 bytes for 64..65599. */
  private static void writeBasicHeader(ByteBuffer out, int fmt, int csid) {
    if (csid < 64) {
      out.put((byte) (fmt << 6 | csid));
    } else if (csid < 320) {
      out.put((byte) (fmt << 6));
      out.put((byte) (csid - 64));
    } else {
      int id = csid - 64;
      out.put((byte) (fmt << 6 | 1));
      // RTMP 5.3.1.1: the 3-byte form stores (csid - 64) least significant byte first.
      out.put((byte) id);
      out.put((byte) (id >>> 8));
    }
  }

  /** RTMP 5.3.1.3: 0xFFFFFF in the 3-byte field says the value is in the extended timestamp. */
  private static void writeTimestampField(ByteBuffer out, long value) {
    writeMedium(out, (int) Math.min(value, EXTENDED));
  }

  private static void writeMedium(ByteBuffer out, int value) {
    out.put((byte) (value >>> 16));
    out.put((byte) (value >>> 8));
    out.put((byte) value);
  }
}
