package io.livemux.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A box-tree dump for golden tests, in the Media3 style: one line per box with its type, size and
 * a CRC-32 of its bytes, children indented under containers, so any change in the bytes shows up
 * as a readable diff. Sample entries are dumped with their configuration boxes.
 */
final class BoxDump {
  private static final Set<String> CONTAINERS =
      Set.of("moov", "trak", "mdia", "minf", "stbl", "dinf", "edts", "mvex", "moof", "traf", "mfra");

  private BoxDump() {}

  static String of(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
    StringBuilder out = new StringBuilder();
    walk(bytes, 0, bytes.limit(), 0, out);
    return out.toString();
  }

  private static void walk(ByteBuffer b, int from, int to, int depth, StringBuilder out) {
    int at = from;
    while (at + 8 <= to) {
      long size = b.getInt(at) & 0xFFFFFFFFL;
      String type = new String(new byte[] {b.get(at + 4), b.get(at + 5), b.get(at + 6), b.get(at + 7)},
          StandardCharsets.ISO_8859_1);
      int header = 8;
      if (size == 1) {
        size = b.getLong(at + 8);
        header = 16;
      }
      if (size < header || at + size > to) {
        out.append("  ".repeat(depth)).append(type).append(" truncated at ").append(at).append('\n');
        return;
      }
      out.append("  ".repeat(depth)).append(type).append(" size=").append(size)
          .append(" crc32=").append(crc(b, at, (int) size)).append('\n');
      if (CONTAINERS.contains(type)) {
        walk(b, at + header, (int) (at + size), depth + 1, out);
      } else if (type.equals("stsd")) {
        walkEntries(b, at + 16, (int) (at + size), depth + 1, out);
      }
      at += (int) size;
    }
  }

  /** Sample entries: fixed fields, then child boxes (avcC, hvcC, esds). */
  private static void walkEntries(ByteBuffer b, int from, int to, int depth, StringBuilder out) {
    int at = from;
    while (at + 8 <= to) {
      int size = b.getInt(at);
      String type = new String(new byte[] {b.get(at + 4), b.get(at + 5), b.get(at + 6), b.get(at + 7)},
          StandardCharsets.ISO_8859_1);
      out.append("  ".repeat(depth)).append(type).append(" size=").append(size)
          .append(" crc32=").append(crc(b, at, size)).append('\n');
      int fields = type.equals("avc1") || type.equals("hvc1") ? 86 : 36;
      if (size > fields) {
        walk(b, at + fields, at + size, depth + 1, out);
      }
      at += size;
    }
  }

  private static String crc(ByteBuffer b, int offset, int length) {
    CRC32 crc = new CRC32();
    ByteBuffer slice = b.duplicate();
    slice.position(offset).limit(offset + length);
    crc.update(slice);
    return String.format("%08x", crc.getValue());
  }
}
