package io.livemux.rtmp.chunk;

import io.livemux.rtmp.RtmpException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: hex, encoding a message list, decoding bytes cut into given slices. */
final class Chunks {
  private Chunks() {}

  static byte[] hex(String spaced) {
    String s = spaced.replaceAll("\\s+", "");
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x & 0xFF));
    }
    return b.toString();
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  static byte[] encode(ChunkEncoder encoder, RtmpMessage... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (RtmpMessage m : messages) {
      byte[] b = bytes(encoder.encode(m));
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  /** Feeds {@code data} in slices of the given sizes (cycled; the rest in one go if empty). */
  static List<RtmpMessage> decode(ChunkDecoder decoder, byte[] data, List<Integer> slices)
      throws RtmpException {
    List<RtmpMessage> out = new ArrayList<>();
    int at = 0;
    int i = 0;
    while (at < data.length) {
      int n = slices.isEmpty() ? data.length - at : Math.min(slices.get(i++ % slices.size()), data.length - at);
      // A fresh buffer per slice, as from a socket read; it is not reused after decode returns null.
      ByteBuffer in = ByteBuffer.wrap(data, at, n).slice();
      RtmpMessage m;
      while ((m = decoder.decode(in)) != null) {
        out.add(m);
      }
      at += n;
    }
    return out;
  }

  static List<RtmpMessage> decode(byte[] data) throws RtmpException {
    return decode(new ChunkDecoder(ChunkLimits.defaults()), data, new ArrayList<>());
  }

  static RtmpMessage message(int csid, int type, int streamId, long ts, String payloadHex) {
    return RtmpMessage.of(csid, type, streamId, ts, hex(payloadHex));
  }
}
