package io.livemux.rtmp.flv;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Writes the FLV file framing (FLV 10.1 E.2, E.3, E.4.1): the file header with PreviousTagSize0,
 * then each tag with the PreviousTagSize that follows it, so that a file is the header followed by
 * whole {@link #tag} outputs, append-only. Each call returns a new buffer, positioned at 0, that the
 * caller owns. Stateless and thread-safe.
 */
public final class FlvTagEncoder {
  /** The 9-byte header (E.2) and the 4-byte PreviousTagSize0 (E.3). */
  public static final int FILE_HEADER_SIZE = 13;
  /** The tag header (E.4.1) before the body. */
  public static final int TAG_HEADER_SIZE = 11;

  private FlvTagEncoder() {}

  /** The file header announcing audio and/or video tags, and PreviousTagSize0 = 0. */
  public static ByteBuffer fileHeader(boolean hasAudio, boolean hasVideo) {
    ByteBuffer out = ByteBuffer.allocate(FILE_HEADER_SIZE);
    out.put((byte) 'F').put((byte) 'L').put((byte) 'V'); // Signature
    out.put((byte) 1); // Version: 1
    // TypeFlagsReserved UB[5] = 0, TypeFlagsAudio UB[1], TypeFlagsReserved UB[1] = 0, TypeFlagsVideo UB[1]
    out.put((byte) ((hasAudio ? 4 : 0) | (hasVideo ? 1 : 0)));
    out.putInt(9); // DataOffset: UI32, the header's size in version 1
    out.putInt(0); // PreviousTagSize0: UI32, always 0
    ((Buffer) out).flip();
    return out;
  }

  /** The tag's header, body and PreviousTagSize: {@code 11 + dataSize + 4} bytes. */
  public static ByteBuffer tag(FlvTag tag) {
    ByteBuffer out = ByteBuffer.allocate(TAG_HEADER_SIZE + tag.dataSize() + 4);
    writeTagHeader(out, tag.type(), tag.dataSize(), tag.timestampMs());
    out.put(tag.body());
    out.putInt(TAG_HEADER_SIZE + tag.dataSize()); // PreviousTagSize: UI32, this tag's size
    ((Buffer) out).flip();
    return out;
  }

  /** Writes the 11-byte tag header (E.4.1) at the buffer's position. */
  static void writeTagHeader(ByteBuffer out, int type, int dataSize, int timestampMs) {
    out.put((byte) type); // Reserved UB[2] = 0, Filter UB[1] = 0 (not encrypted), TagType UB[5]
    putU24(out, dataSize); // DataSize: UI24
    putU24(out, timestampMs & 0xFFFFFF); // Timestamp: UI24, bits 0..23 in ms
    out.put((byte) (timestampMs >>> 24)); // TimestampExtended: UI8, bits 24..31
    putU24(out, 0); // StreamID: UI24, always 0
  }

  static void putU24(ByteBuffer out, int v) {
    out.put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
  }
}
