package io.livemux.rtmp.flv;

import io.livemux.rtmp.RtmpException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits an FLV file's bytes into {@link FlvTag}s (FLV 10.1 E.2 - E.4.1): an explicit state machine
 * that takes the bytes in chunks of any size, as they come off a disk or a socket.
 *
 * <p>Checks: the signature {@code FLV} and version 1; DataOffset between 9 and {@value
 * #MAX_DATA_OFFSET}; reserved bits and StreamID zero; no encrypted tags (Filter); TagType 8, 9 or
 * 18; DataSize at most {@link FlvLimits#maxTagDataSize()}; each PreviousTagSize equal to the size
 * of the tag before it (0 for the first). Anything else is an {@link RtmpException} naming the
 * field, its offset in the stream and the value. A tag body is allocated as its bytes arrive (at
 * most 64 KiB ahead of them), so a header that claims a large tag cannot make the decoder allocate
 * memory the input does not fill.
 *
 * <p><b>Truncation.</b> A file cut short by a crash ends inside its last tag: {@link
 * #isAtTagBoundary()} is then false, and the reader simply drops the partial tag ({@link
 * #pendingBytes()} says how many bytes of it were seen).
 *
 * <p>After an exception the decoder is failed and throws again on every call. Returned tags own
 * their bodies (the decoder copies out of the input), except from a decoder made {@link
 * #viewingInput(FlvLimits) viewing its input}: there a body that lies whole in the input buffer is a
 * read-only view of it (zero copy), for inputs whose bytes never change (a read-only mapped file).
 * Not thread-safe: one decoder per stream.
 */
public final class FlvTagDecoder {
  /** Version-1 headers are 9 bytes; a little padding is tolerated, a large skip is not. */
  public static final int MAX_DATA_OFFSET = 1024;

  private static final int FIRST_CHUNK = 64 << 10;

  private enum State {
    FILE_HEADER,
    HEADER_PADDING,
    PREVIOUS_TAG_SIZE,
    TAG_HEADER,
    TAG_DATA,
    FAILED
  }

  private final FlvLimits limits;
  /** Bodies that lie whole in the input are returned as views of it, not copied. */
  private final boolean views;
  private final byte[] scratch = new byte[FlvTagEncoder.TAG_HEADER_SIZE];
  private State state = State.FILE_HEADER;
  private int have;
  private long offset;
  private long paddingLeft;
  private long expectedPreviousTagSize;
  private boolean hasAudio;
  private boolean hasVideo;

  private int tagType;
  private int tagTimestamp;
  private int dataSize;
  private byte[] data;
  private String failure;

  public FlvTagDecoder(FlvLimits limits) {
    this(limits, false);
  }

  private FlvTagDecoder(FlvLimits limits, boolean views) {
    if (limits == null) {
      throw new NullPointerException("limits");
    }
    this.limits = limits;
    this.views = views;
  }

  /**
   * A decoder whose tags' bodies are read-only views of the input buffer whenever a body lies whole
   * in it (otherwise copied, as by the other decoder): the caller must leave those bytes unchanged
   * while any tag or sample made from them is in use.
   */
  public static FlvTagDecoder viewingInput(FlvLimits limits) {
    return new FlvTagDecoder(limits, true);
  }

  /**
   * Consumes bytes of {@code in} until one tag is complete and returns it, or returns null once
   * {@code in} is exhausted (what was consumed is kept for the next call).
   */
  public FlvTag decode(ByteBuffer in) throws RtmpException {
    while (true) {
      switch (state) {
        case FILE_HEADER:
          if (!fill(in, 9)) {
            return null;
          }
          fileHeader();
          break;
        case HEADER_PADDING: {
          int skip = (int) Math.min(paddingLeft, in.remaining());
          skip(in, skip);
          paddingLeft -= skip;
          if (paddingLeft > 0) {
            return null;
          }
          state = State.PREVIOUS_TAG_SIZE;
          break;
        }
        case PREVIOUS_TAG_SIZE:
          if (!fill(in, 4)) {
            return null;
          }
          previousTagSize();
          break;
        case TAG_HEADER:
          if (!fill(in, FlvTagEncoder.TAG_HEADER_SIZE)) {
            return null;
          }
          tagHeader();
          break;
        case TAG_DATA: {
          if (views && have == 0 && in.remaining() >= dataSize) {
            ByteBuffer body = in.duplicate();
            ((Buffer) body).limit(in.position() + dataSize);
            ((Buffer) in).position(in.position() + dataSize);
            offset += dataSize;
            expectedPreviousTagSize = FlvTagEncoder.TAG_HEADER_SIZE + (long) dataSize;
            state = State.PREVIOUS_TAG_SIZE;
            return FlvTag.of(tagType, tagTimestamp, body);
          }
          if (!fillData(in)) {
            return null;
          }
          FlvTag tag =
              FlvTag.of(tagType, tagTimestamp, ByteBuffer.wrap(data, 0, dataSize));
          data = null;
          expectedPreviousTagSize = FlvTagEncoder.TAG_HEADER_SIZE + (long) dataSize;
          state = State.PREVIOUS_TAG_SIZE;
          return tag;
        }
        default:
          throw new RtmpException("FLV decoder failed earlier: " + failure);
      }
    }
  }

  /** True when the input so far ended right after a whole tag (or the file header). */
  public boolean isAtTagBoundary() {
    return (state == State.PREVIOUS_TAG_SIZE && have == 0)
        || (state == State.TAG_HEADER && have == 0);
  }

  /** Bytes consumed since the last complete tag (or header) that a truncated file left pending. */
  public long pendingBytes() {
    return isAtTagBoundary() ? 0 : state == State.TAG_DATA ? FlvTagEncoder.TAG_HEADER_SIZE + have : have;
  }

  /** Bytes consumed so far. */
  public long offset() {
    return offset;
  }

  /** TypeFlagsAudio of the file header (false until it is read). */
  public boolean hasAudio() {
    return hasAudio;
  }

  /** TypeFlagsVideo of the file header (false until it is read). */
  public boolean hasVideo() {
    return hasVideo;
  }

  private void fileHeader() throws RtmpException {
    long at = offset - 9;
    if (scratch[0] != 'F' || scratch[1] != 'L' || scratch[2] != 'V') {
      fail("signature is not \"FLV\": " + hex(scratch, 0, 3) + " at offset " + at);
    }
    if (scratch[3] != 1) {
      fail("version " + (scratch[3] & 0xFF) + " is not supported, only 1");
    }
    int flags = scratch[4] & 0xFF;
    if ((flags & 0xFA) != 0) {
      fail("TypeFlags reserved bits set: 0x" + Integer.toHexString(flags));
    }
    hasAudio = (flags & 4) != 0;
    hasVideo = (flags & 1) != 0;
    long dataOffset = u32(5);
    if (dataOffset < 9 || dataOffset > MAX_DATA_OFFSET) {
      fail("DataOffset out of range 9.." + MAX_DATA_OFFSET + ": " + dataOffset);
    }
    have = 0;
    paddingLeft = dataOffset - 9;
    expectedPreviousTagSize = 0;
    state = State.HEADER_PADDING;
  }

  private void previousTagSize() throws RtmpException {
    long size = u32(0);
    if (size != expectedPreviousTagSize) {
      fail("PreviousTagSize at offset " + (offset - 4) + " is " + size + ", the tag before it is "
          + expectedPreviousTagSize + " bytes");
    }
    have = 0;
    state = State.TAG_HEADER;
  }

  private void tagHeader() throws RtmpException {
    long at = offset - FlvTagEncoder.TAG_HEADER_SIZE;
    int first = scratch[0] & 0xFF;
    if ((first & 0xC0) != 0) {
      fail("tag at offset " + at + ": Reserved bits set in 0x" + Integer.toHexString(first));
    }
    if ((first & 0x20) != 0) {
      fail("tag at offset " + at + ": encrypted tags (Filter = 1) are not supported");
    }
    int type = first & 0x1F;
    if (type != FlvTag.AUDIO && type != FlvTag.VIDEO && type != FlvTag.SCRIPT_DATA) {
      fail("tag at offset " + at + ": TagType " + type + " is not 8, 9 or 18");
    }
    int size = u24(1);
    if (size > limits.maxTagDataSize()) {
      fail("tag at offset " + at + ": DataSize " + size + " exceeds maxTagDataSize "
          + limits.maxTagDataSize());
    }
    int streamId = u24(8);
    if (streamId != 0) {
      fail("tag at offset " + at + ": StreamID " + streamId + " is not 0");
    }
    tagType = type;
    tagTimestamp = u24(4) | (scratch[7] & 0xFF) << 24; // Timestamp, TimestampExtended: SI32
    dataSize = size;
    data = null; // allocated as the body's bytes arrive (or never, for a view)
    have = 0;
    state = State.TAG_DATA;
  }

  private boolean fill(ByteBuffer in, int wanted) {
    int n = Math.min(wanted - have, in.remaining());
    in.get(scratch, have, n);
    have += n;
    offset += n;
    return have == wanted;
  }

  private boolean fillData(ByteBuffer in) {
    if (data == null) {
      data = new byte[Math.min(dataSize, FIRST_CHUNK)];
    }
    while (have < dataSize && in.hasRemaining()) {
      if (have == data.length) {
        data = Arrays.copyOf(data, (int) Math.min(dataSize, 2L * data.length));
      }
      int n = Math.min(data.length - have, in.remaining());
      in.get(data, have, n);
      have += n;
      offset += n;
    }
    if (have < dataSize) {
      return false;
    }
    have = 0;
    return true;
  }

  private void skip(ByteBuffer in, int n) {
    for (int i = 0; i < n; i++) {
      in.get();
    }
    offset += n;
  }

  private int u24(int at) {
    return (scratch[at] & 0xFF) << 16 | (scratch[at + 1] & 0xFF) << 8 | (scratch[at + 2] & 0xFF);
  }

  private long u32(int at) {
    return ((long) u24(at) << 8 | (scratch[at + 3] & 0xFF)) & 0xFFFFFFFFL;
  }

  private void fail(String message) throws RtmpException {
    failure = "FLV: " + message;
    state = State.FAILED;
    data = null;
    throw new RtmpException(failure);
  }

  private static String hex(byte[] b, int from, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < from + length; i++) {
      s.append(String.format("%02x", b[i] & 0xFF));
    }
    return s.toString();
  }
}
