package io.livemux.mp4;

import java.nio.charset.StandardCharsets;

/**
 * A bounded big-endian reader over one box's payload, held in memory: every read is checked
 * against the box's end and an overrun is an {@link Mp4Exception} naming the box path, never an
 * index exception. Children are walked with {@link #nextChild()} (ISO/IEC 14496-12 4.2: size,
 * type, optional 64-bit largesize; size 0 runs to the end of the parent). Not thread-safe; a
 * reader's own thread only.
 */
final class BoxData {
  /** The four-character code of this box. */
  final String type;
  /** Where this box is, for messages: {@code moov/trak[1]/mdia/mdhd}. */
  final String path;
  /** The file offset of {@link #start}, for boxes whose fields point into the file (moof). */
  final long fileOffset;

  private final byte[] bytes;
  private final int start;
  private final int end;
  private int position;

  BoxData(String type, String path, byte[] bytes, int start, int end, long fileOffset) {
    this.type = type;
    this.path = path;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.position = start;
    this.fileOffset = fileOffset;
  }

  int remaining() {
    return end - position;
  }

  /** Bytes read so far from this box's payload start. */
  int consumed() {
    return position - start;
  }

  private void need(int count, String field) throws Mp4Exception {
    if (count < 0 || end - position < count) {
      throw new Mp4Exception(
          "malformed MP4: " + path + " ends before its " + field + " (" + count + " bytes needed, "
              + (end - position) + " left)");
    }
  }

  int u8(String field) throws Mp4Exception {
    need(1, field);
    return bytes[position++] & 0xFF;
  }

  int u16(String field) throws Mp4Exception {
    need(2, field);
    int v = (bytes[position] & 0xFF) << 8 | (bytes[position + 1] & 0xFF);
    position += 2;
    return v;
  }

  int u24(String field) throws Mp4Exception {
    need(3, field);
    int v = (bytes[position] & 0xFF) << 16 | (bytes[position + 1] & 0xFF) << 8 | (bytes[position + 2] & 0xFF);
    position += 3;
    return v;
  }

  /** A signed 32-bit field. */
  int s32(String field) throws Mp4Exception {
    need(4, field);
    int v = (bytes[position] & 0xFF) << 24 | (bytes[position + 1] & 0xFF) << 16
        | (bytes[position + 2] & 0xFF) << 8 | (bytes[position + 3] & 0xFF);
    position += 4;
    return v;
  }

  long u32(String field) throws Mp4Exception {
    return s32(field) & 0xFFFF_FFFFL;
  }

  /** A 64-bit field as Java's signed long. */
  long s64(String field) throws Mp4Exception {
    long high = u32(field);
    return high << 32 | u32(field);
  }

  /** An unsigned 64-bit field that must be below 2^62, so sums and rescaling stay exact. */
  long u64Bounded(String field) throws Mp4Exception {
    long v = s64(field);
    if (v < 0 || v > 1L << 62) {
      throw new Mp4Exception("malformed MP4: " + path + " " + field + " out of range: " + Long.toUnsignedString(v));
    }
    return v;
  }

  /** An unsigned 32-bit count of entries each {@code entryBytes} long, checked against what is left. */
  int count(String field, int entryBytes) throws Mp4Exception {
    long n = u32(field);
    if (n * entryBytes > remaining()) {
      throw new Mp4Exception(
          "malformed MP4: " + path + " " + field + " " + n + " needs " + n * entryBytes
              + " bytes but the box has " + remaining() + " left");
    }
    return (int) n;
  }

  /** Version and flags of a full box (4.2), as {@code version << 24 | flags}. */
  int versionAndFlags() throws Mp4Exception {
    return s32("version and flags");
  }

  void skip(int count, String field) throws Mp4Exception {
    need(count, field);
    position += count;
  }

  byte[] bytes(int count, String field) throws Mp4Exception {
    need(count, field);
    byte[] out = new byte[count];
    System.arraycopy(bytes, position, out, 0, count);
    position += count;
    return out;
  }

  /** The rest of this box's payload. */
  byte[] rest() throws Mp4Exception {
    return bytes(remaining(), "payload");
  }

  /** The next child box, or null when none is left; its payload is consumed from this box. */
  BoxData nextChild() throws Mp4Exception {
    if (remaining() == 0) {
      return null;
    }
    int boxStart = position;
    long size = u32("child box size");
    if (remaining() < 4) {
      throw new Mp4Exception("malformed MP4: " + path + " ends inside a child box header at byte " + (boxStart - start));
    }
    String childType = new String(bytes, position, 4, StandardCharsets.ISO_8859_1);
    position += 4;
    if (size == 1) {
      size = s64("largesize of '" + childType + "'");
    } else if (size == 0) {
      size = end - boxStart; // 4.2: the box extends to the end of its container
    }
    int header = position - boxStart;
    if (size < header || size > end - boxStart) {
      throw new Mp4Exception(
          "malformed MP4: box '" + printable(childType) + "' in " + path + " has size " + size
              + " but " + (end - boxStart) + " bytes are left in its parent");
    }
    int childEnd = boxStart + (int) size;
    position = childEnd;
    return new BoxData(
        childType, path + "/" + printable(childType), bytes, boxStart + header, childEnd,
        fileOffset + (boxStart + header - start));
  }

  /** A fresh reader of this box from its current position on; this box's position is kept. */
  BoxData view() {
    return new BoxData(type, path, bytes, position, end, fileOffset + (position - start));
  }

  /** The first child of {@code childType}, or null; walks a fresh view, so this box's position is kept. */
  BoxData child(String childType) throws Mp4Exception {
    BoxData view = view();
    for (BoxData c = view.nextChild(); c != null; c = view.nextChild()) {
      if (c.type.equals(childType)) {
        return c;
      }
    }
    return null;
  }

  /** The first child of {@code childType}; a missing one is a malformed file. */
  BoxData require(String childType) throws Mp4Exception {
    BoxData c = child(childType);
    if (c == null) {
      throw new Mp4Exception("malformed MP4: " + path + " has no '" + childType + "' box");
    }
    return c;
  }

  /** A box type for messages: non-printable bytes shown as '?'. */
  static String printable(String fourcc) {
    StringBuilder s = new StringBuilder(4);
    for (int i = 0; i < fourcc.length(); i++) {
      char c = fourcc.charAt(i);
      s.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return s.toString();
  }
}
