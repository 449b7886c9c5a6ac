package io.livemux.rtmp.server;

import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.command.RtmpCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Test helpers for slow clients: byte streams to trickle, a trickling loop that waits on the socket
 * (the server closing it) instead of sleeping, and the server's close reasons by peer. The closes
 * are recorded on the server's selector thread and read by the test thread.
 */
final class Trickle {
  private Trickle() {}

  /** The server's close reasons, by peer address ("/127.0.0.1:PORT"); at most 4096 kept. */
  static final class Closes implements BiConsumer<String, String> {
    private final Map<String, String> reasons = new HashMap<>();

    @Override
    public synchronized void accept(String peer, String why) {
      if (reasons.size() < 4096) {
        reasons.put(peer, why);
      }
      notifyAll();
    }

    /** Why the server closed {@code c}, waiting up to {@code timeoutMs}; null if it has not. */
    synchronized String reason(RawClient c, long timeoutMs) throws InterruptedException {
      String peer = String.valueOf(c.socket.getLocalSocketAddress());
      long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
      while (!reasons.containsKey(peer)) {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          return null;
        }
        wait(leftMs);
      }
      return reasons.get(peer);
    }
  }

  /**
   * Sends {@code bytes} in pieces of {@code pieceSizes[i]} bytes, waiting {@code gapsMs[i]} after
   * each (cycling through both arrays) for the server to close, until it does or {@code giveUpMs}
   * have passed since {@code startNanos}. Once every byte is sent it only waits. Returns the
   * milliseconds from {@code startNanos} to the close seen, or -1 if still open at {@code giveUpMs}.
   */
  static long untilClosed(RawClient c, byte[] bytes, int[] pieceSizes, int[] gapsMs,
      long startNanos, long giveUpMs) throws IOException {
    int at = 0;
    for (int i = 0; ; i++) {
      long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
      if (elapsedMs >= giveUpMs) {
        return -1;
      }
      if (at < bytes.length) {
        int n = Math.min(pieceSizes[i % pieceSizes.length], bytes.length - at);
        byte[] piece = new byte[n];
        System.arraycopy(bytes, at, piece, 0, n);
        at += n;
        try {
          c.send(piece);
        } catch (IOException e) {
          return (System.nanoTime() - startNanos) / 1_000_000; // reset by the server
        }
      }
      // The gap is the schedule under test; it is spent waiting for the server to close.
      int gapMs = at < bytes.length ? gapsMs[i % gapsMs.length]
          : (int) Math.max(1, giveUpMs - elapsedMs);
      if (c.closedWithin((int) Math.min(gapMs, Math.max(1, giveUpMs - elapsedMs)))) {
        return (System.nanoTime() - startNanos) / 1_000_000;
      }
    }
  }

  /** One byte every {@code gapMs}. */
  static long untilClosed(RawClient c, byte[] bytes, int gapMs, long startNanos, long giveUpMs)
      throws IOException {
    return untilClosed(c, bytes, new int[] {1}, new int[] {gapMs}, startNanos, giveUpMs);
  }

  static byte[] bytes(RtmpMessage... messages) {
    ChunkEncoder encoder = new ChunkEncoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (RtmpMessage m : messages) {
      ByteBuffer b = encoder.encode(m).duplicate();
      byte[] a = new byte[b.remaining()];
      b.get(a);
      out.write(a, 0, a.length);
    }
    return out.toByteArray();
  }

  /** The connect command ffmpeg sends, as chunks. */
  static byte[] connect(String app) {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("app", app);
    object.put("type", "nonprivate");
    object.put("tcUrl", "rtmp://127.0.0.1/" + app);
    return bytes(RtmpCommand.of("connect", 1, object).toMessage(3, 0, 0));
  }

  /** connect and createStream, then Acknowledgements (RTMP 5.4.3) up to {@code length} bytes. */
  static byte[] commandsThenAcks(int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] connect = connect("live");
    out.write(connect, 0, connect.length);
    byte[] create = bytes(RtmpCommand.of("createStream", 2, null).toMessage(3, 0, 0));
    out.write(create, 0, create.length);
    byte[] ack = acknowledgement(1);
    while (out.size() < length) {
      out.write(ack, 0, ack.length);
    }
    return out.toByteArray();
  }

  static byte[] acknowledgement(long sequence) {
    return bytes(ProtocolControl.acknowledgement(sequence));
  }

  /**
   * The start of a video message on chunk stream 4 whose header declares {@code declaredLength}
   * bytes: the type 0 chunk, then {@code payloadBytes} of payload split at the default chunk size
   * of 128 with type 3 headers (RTMP 5.3.1).
   */
  static byte[] bigMessageStart(int messageStreamId, int declaredLength, int payloadBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(4); // fmt 0, csid 4
    out.write(0);
    out.write(0);
    out.write(0); // timestamp 0
    out.write(declaredLength >>> 16);
    out.write(declaredLength >>> 8);
    out.write(declaredLength);
    out.write(9); // video
    out.write(messageStreamId); // little-endian
    out.write(0);
    out.write(0);
    out.write(0);
    for (int i = 0; i < payloadBytes; i++) {
      if (i > 0 && i % 128 == 0) {
        out.write(0xC4); // fmt 3, csid 4
      }
      out.write(i);
    }
    return out.toByteArray();
  }
}
