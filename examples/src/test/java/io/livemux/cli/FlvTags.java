package io.livemux.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tags of a whole FLV file (FLV 1.0 E.4), to make damaged test inputs from ffmpeg's: tags can
 * be retimed or removed and the file written back. Test code; it trusts its input.
 */
final class FlvTags {
  static final int AUDIO = 8;
  static final int VIDEO = 9;

  /** One tag: type, timestamp in ms, body. */
  static final class Tag {
    final int type;
    long timestampMs;
    final byte[] body;

    Tag(int type, long timestampMs, byte[] body) {
      this.type = type;
      this.timestampMs = timestampMs;
      this.body = body;
    }

    /** A video tag with coded frames (AVCPacketType 1), not a sequence header. */
    boolean isVideoFrame() {
      return type == VIDEO && body.length > 1 && body[1] == 1;
    }
  }

  final byte[] header;
  final List<Tag> tags = new ArrayList<>();

  private FlvTags(byte[] header) {
    this.header = header;
  }

  static FlvTags read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    int dataOffset = b.getInt(5);
    byte[] header = new byte[dataOffset];
    b.get(header);
    FlvTags flv = new FlvTags(header);
    b.getInt(); // PreviousTagSize0
    while (b.remaining() >= 15) {
      int type = b.get() & 0x1F;
      int size = (b.get() & 0xFF) << 16 | (b.get() & 0xFF) << 8 | (b.get() & 0xFF);
      long ts = (b.get() & 0xFF) << 16 | (b.get() & 0xFF) << 8 | (b.get() & 0xFF) | (b.get() & 0xFFL) << 24;
      b.position(b.position() + 3); // StreamID
      byte[] body = new byte[size];
      b.get(body);
      b.getInt(); // PreviousTagSize
      flv.tags.add(new Tag(type, ts, body));
    }
    return flv;
  }

  /** The file offset of tag {@code index} (0-based) in the FLV bytes {@code flv}. */
  static int tagOffset(byte[] flv, int index) {
    ByteBuffer b = ByteBuffer.wrap(flv);
    int at = b.getInt(5) + 4;
    for (int i = 0; i < index; i++) {
      int size = (flv[at + 1] & 0xFF) << 16 | (flv[at + 2] & 0xFF) << 8 | (flv[at + 3] & 0xFF);
      at += 11 + size + 4;
    }
    return at;
  }

  void write(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    out.write(new byte[4]);
    for (Tag t : tags) {
      ByteBuffer h = ByteBuffer.allocate(11);
      h.put((byte) t.type).put((byte) (t.body.length >> 16)).put((byte) (t.body.length >> 8))
          .put((byte) t.body.length).put((byte) (t.timestampMs >> 16)).put((byte) (t.timestampMs >> 8))
          .put((byte) t.timestampMs).put((byte) (t.timestampMs >> 24)).put(new byte[3]);
      out.write(h.array());
      out.write(t.body);
      out.write(ByteBuffer.allocate(4).putInt(11 + t.body.length).array());
    }
    Files.write(file, out.toByteArray());
  }
}
