package io.livemux.cli;

import io.livemux.LivemuxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The top-level boxes of an MP4 file (ISO/IEC 14496-12 4.2: size, type, 64-bit largesize when
 * size is 1, to the end of the file when size is 0), without reading their bodies: what {@code
 * inspect} shows as the layout, and where a cut file ends inside a box.
 *
 * <p>Bounded by the file: every box moves the walk forward by at least its 8-byte header, and at
 * most {@link #MAX_BOXES} are kept. Anything that is not a box header is a {@link LivemuxException}
 * naming the offset. Immutable once scanned.
 */
final class BoxScan {
  static final int MAX_BOXES = 1 << 20;

  /** One top-level box: its type, where it starts, its declared size, and how much of it is there. */
  static final class Box {
    final String type;
    final long offset;
    final long declaredSize;
    final long presentBytes;

    Box(String type, long offset, long declaredSize, long presentBytes) {
      this.type = type;
      this.offset = offset;
      this.declaredSize = declaredSize;
      this.presentBytes = presentBytes;
    }

    boolean isTruncated() {
      return presentBytes < declaredSize;
    }
  }

  final List<Box> boxes;
  /** Bytes after the last whole box that are too few for a box header (a cut inside a header). */
  final long trailingBytes;

  private BoxScan(List<Box> boxes, long trailingBytes) {
    this.boxes = Collections.unmodifiableList(boxes);
    this.trailingBytes = trailingBytes;
  }

  /** Walks the top-level boxes of the first {@code fileSize} bytes of {@code channel}. */
  static BoxScan scan(FileChannel channel, long fileSize) throws IOException {
    List<Box> boxes = new ArrayList<>();
    ByteBuffer header = ByteBuffer.allocate(16);
    long at = 0;
    while (at < fileSize) {
      long left = fileSize - at;
      if (left < 8) {
        return new BoxScan(boxes, left);
      }
      readFully(channel, header, at, 8);
      long size = header.getInt(0) & 0xFFFF_FFFFL;
      String type = fourcc(header, at);
      int headerBytes = 8;
      if (size == 1) { // 4.2: largesize follows the type
        if (left < 16) {
          boxes.add(new Box(type, at, 16, left));
          return new BoxScan(boxes, 0);
        }
        readFully(channel, header, at, 16);
        size = header.getLong(8);
        headerBytes = 16;
      } else if (size == 0) { // 4.2: the box extends to the end of the file
        size = left;
      }
      if (size < headerBytes) {
        throw new LivemuxException(
            "malformed MP4: box '" + type + "' at offset " + at + " declares " + size + " bytes, less than its header");
      }
      if (boxes.size() == MAX_BOXES) {
        throw new LivemuxException("MP4 has more than " + MAX_BOXES + " top-level boxes; not inspected further");
      }
      boxes.add(new Box(type, at, size, Math.min(size, left)));
      if (size > left) {
        return new BoxScan(boxes, 0);
      }
      at += size;
    }
    return new BoxScan(boxes, 0);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long at, int bytes) throws IOException {
    ((java.nio.Buffer) buffer).clear();
    ((java.nio.Buffer) buffer).limit(bytes);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, at + buffer.position()) < 0) {
        throw new LivemuxException("MP4 ended while reading a box header at offset " + at);
      }
    }
  }

  /** The type as text; box types are four printable characters (© allowed, as in '©too'). */
  private static String fourcc(ByteBuffer header, long at) throws LivemuxException {
    StringBuilder s = new StringBuilder(4);
    for (int i = 4; i < 8; i++) {
      int c = header.get(i) & 0xFF;
      if ((c < 0x20 || c > 0x7E) && c != 0xA9) {
        throw new LivemuxException(
            "malformed MP4: no box header at offset " + at + " (type bytes "
                + String.format("%02x%02x%02x%02x", header.get(4), header.get(5), header.get(6), header.get(7)) + ")");
      }
      s.append((char) c);
    }
    return s.toString();
  }

  /** The first box of {@code type} whose bytes are all in the file, or null. */
  Box whole(String type) {
    for (Box b : boxes) {
      if (b.type.equals(type) && !b.isTruncated()) {
        return b;
      }
    }
    return null;
  }

  /** The cut-off last box, or null. */
  Box truncated() {
    if (boxes.isEmpty()) {
      return null;
    }
    Box last = boxes.get(boxes.size() - 1);
    return last.isTruncated() ? last : null;
  }

  /**
   * The layout in one line, repeats folded: "ftyp free moov (moof mdat)x600 mfra"; a cut box is
   * marked with "(cut)".
   */
  String layout() {
    List<String> tokens = new ArrayList<>();
    for (Box b : boxes) {
      tokens.add(b.isTruncated() ? b.type + "(cut)" : b.type);
    }
    StringBuilder s = new StringBuilder();
    int i = 0;
    while (i < tokens.size()) {
      int pairs = 1;
      while (i + 2 * pairs + 1 < tokens.size()
          && tokens.get(i + 2 * pairs).equals(tokens.get(i))
          && tokens.get(i + 2 * pairs + 1).equals(tokens.get(i + 1))
          && !tokens.get(i).equals(tokens.get(i + 1))) {
        pairs++;
      }
      int singles = 1;
      while (i + singles < tokens.size() && tokens.get(i + singles).equals(tokens.get(i))) {
        singles++;
      }
      if (s.length() > 0) {
        s.append(' ');
      }
      if (pairs > 1) {
        s.append('(').append(tokens.get(i)).append(' ').append(tokens.get(i + 1)).append(")x").append(pairs);
        i += 2 * pairs;
      } else if (singles > 1) {
        s.append(tokens.get(i)).append('x').append(singles);
        i += singles;
      } else {
        s.append(tokens.get(i));
        i++;
      }
    }
    return s.toString();
  }
}
