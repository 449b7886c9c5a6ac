package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.SinkOutcome;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.command.RtmpCommand;
import io.livemux.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While ffmpeg publishes honestly, hostile clients hit the server: random bytes, truncated
 * handshakes, a chunk size of 2^31-1, repeated 16 MiB message lengths, a thousand idle connections
 * and deeply nested AMF. Each hostile client is closed, the heap stays bounded, and the honest
 * stream is still recorded frame-identically.
 */
class RtmpServerHostileTest {
  @TempDir Path dir;

  @Test
  void hostileClients_areClosed_whileHonestPublishRecordsFrameIdentically() throws Exception {
    Path ffmpeg = Peers.require("ffmpeg", "ffmpeg");
    Path source = dir.resolve("honest.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "8",
        "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-f", "flv", source.toString());
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec"))
        .withHandshakeTimeout(Duration.ofSeconds(5))
        .withIdleTimeout(Duration.ofSeconds(5)));
    long heapBefore = usedHeap();
    Process honest = new ProcessBuilder(Arrays.asList(ffmpeg.toString(), "-hide_banner", "-nostdin",
            "-loglevel", "error", "-re", "-i", source.toString(), "-c", "copy", "-f", "flv",
            Recordings.url(server, "live/honest")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    List<Socket> idle = new ArrayList<>();
    try {
      // A thousand idle connections: accepted and held, then dropped by the handshake timeout.
      long openStart = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        idle.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
      }
      long openMs = (System.nanoTime() - openStart) / 1_000_000;
      try (RawClient probe = new RawClient(server.port())) {
        probe.handshake();
        assertEquals("_result", probe.connect("live").name());
        // Accepts are in arrival order: our answer means the thousand were accepted before us.
        assertTrue(openMs > 4000 || server.connectionCount() >= 1001,
            "held: " + server.connectionCount() + " (opened in " + openMs + " ms)");
      }

      Random random = new Random(42);
      List<RawClient> hostile = new ArrayList<>();
      // Random bytes, with and without a valid C0 in front.
      for (int i = 0; i < 20; i++) {
        RawClient c = new RawClient(server.port());
        byte[] junk = new byte[64 << 10];
        random.nextBytes(junk);
        if (i % 2 == 0) {
          junk[0] = 3;
        }
        sendQuietly(c, junk);
        hostile.add(c);
      }
      // Truncated handshakes: C0 and part of C1, then nothing.
      for (int i = 0; i < 10; i++) {
        RawClient c = new RawClient(server.port());
        byte[] partial = new byte[1 + 700];
        partial[0] = 3;
        c.send(partial);
        hostile.add(c);
      }
      // A chunk size of 2^31 - 1.
      for (int i = 0; i < 5; i++) {
        RawClient c = new RawClient(server.port());
        c.handshake();
        c.send(RawClient.setChunkSize(0x7FFFFFFF));
        hostile.add(c);
      }
      // Repeated 16 MiB message lengths on many chunk streams.
      for (int i = 0; i < 10; i++) {
        RawClient c = new RawClient(server.port());
        c.handshake();
        sendQuietly(c, hugeMessageHeaders(40));
        hostile.add(c);
      }
      // Messages at the length limit (8 MiB), 300 KiB of each sent, on 60 chunk streams: the
      // memory limit per connection (16 MiB) closes them before they hold more.
      for (int i = 0; i < 10; i++) {
        RawClient c = new RawClient(server.port());
        c.handshake();
        sendQuietly(c, bigMessageStarts(60, 8 << 20, 300 << 10));
        hostile.add(c);
      }
      // Deeply nested AMF in a connect command.
      for (int i = 0; i < 5; i++) {
        RawClient c = new RawClient(server.port());
        c.handshake();
        c.send(RtmpMessage.of(3, RtmpCommand.TYPE_AMF0, 0, 0, nestedAmf(5000)));
        hostile.add(c);
      }
      for (int i = 0; i < hostile.size(); i++) {
        assertTrue(hostile.get(i).closedWithin(10_000), "hostile client " + i + " closed by the server");
        hostile.get(i).close();
      }

      // The idle ones were held at least a while, then closed by the handshake timeout.
      for (Socket s : idle) {
        assertTrue(closedWithin(s, 10_000), "idle connection closed by the handshake timeout");
      }
      long heapAfter = usedHeap();
      System.out.println("heap used before hostile clients " + (heapBefore >> 20) + " MiB, after "
          + (heapAfter >> 20) + " MiB");
      assertTrue(heapAfter - heapBefore < 256L << 20,
          "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");

      assertTrue(honest.waitFor(60, TimeUnit.SECONDS), "honest ffmpeg finished");
      assertEquals(0, honest.exitValue(), "honest ffmpeg succeeded; see " + dir.resolve("ffmpeg.log"));
      Recording r = recordings.next(20);
      assertEquals("honest", r.stream());
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
      RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 48000);
    } finally {
      honest.destroyForcibly();
      for (Socket s : idle) {
        s.close();
      }
      server.stop();
    }
  }

  @Test
  void idleClientAfterConnect_isClosedByIdleTimeout() throws Exception {
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir)
        .withIdleTimeout(Duration.ofMillis(500)));
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      c.connect("live");
      assertFalse(c.closedWithin(200), "open before the idle timeout");
      assertTrue(c.closedWithin(3000), "closed after the idle timeout");
    } finally {
      server.stop();
    }
  }

  @Test
  void connectionsTogetherAboveTheTotalMemoryLimit_theOneThatCrossesItIsClosed() throws Exception {
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir)
        .withMaxMessageLength(2 << 20)
        .withMaxConnectionMemoryBytes(4 << 20)
        .withMaxTotalMemoryBytes(5 << 20));
    try (RawClient a = new RawClient(server.port());
        RawClient b = new RawClient(server.port());
        RawClient c = new RawClient(server.port())) {
      // Each holds 1.5 MiB of an unfinished 2 MiB message: a 2 MiB buffer in the server.
      for (RawClient client : Arrays.asList(a, b)) {
        client.handshake();
        client.send(bigMessageStarts(1, 2 << 20, 3 << 19));
        assertTrue(client.ping(), "held within the limits");
      }
      c.handshake();
      sendQuietly(c, bigMessageStarts(1, 2 << 20, 3 << 19));
      assertTrue(c.closedWithin(3000), "the third crosses 5 MiB in all and is closed");
      assertTrue(a.ping(), "the first still served");
      assertTrue(b.ping(), "the second still served");
    } finally {
      server.stop();
    }
  }

  private static void sendQuietly(RawClient c, byte[] bytes) {
    try {
      c.send(bytes);
    } catch (IOException e) {
      // the server may close (reset) before it has read everything: that is the point
    }
  }

  /** Type 0 chunk headers claiming 0xFFFFFF-byte video messages, each followed by 128 bytes. */
  private static byte[] hugeMessageHeaders(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      writeType0(out, 4 + i, 0xFFFFFF);
      out.write(new byte[128], 0, 128);
    }
    return out.toByteArray();
  }

  /** Type 0 headers of {@code length}-byte messages with {@code sent} bytes of each (chunk size 128). */
  private static byte[] bigMessageStarts(int count, int length, int sent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      int csid = 4 + i;
      writeType0(out, csid, length);
      for (int at = 0; at < sent; at += 128) {
        if (at > 0) {
          out.write(0xC0 | csid); // type 3 continuation
        }
        out.write(new byte[128], 0, 128);
      }
    }
    return out.toByteArray();
  }

  private static void writeType0(ByteArrayOutputStream out, int csid, int length) {
    out.write(csid); // fmt 0, csid 4..63
    out.write(new byte[3], 0, 3); // timestamp 0
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(9); // video
    out.write(new byte[] {1, 0, 0, 0}, 0, 4); // message stream 1, little-endian
  }

  /** "connect", 1, then {@code depth} AMF0 objects each holding the next under key "a". */
  private static byte[] nestedAmf(int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] name = "connect".getBytes(StandardCharsets.US_ASCII);
    out.write(2);
    out.write(0);
    out.write(name.length);
    out.write(name, 0, name.length);
    out.write(0);
    out.write(new byte[] {0x3F, (byte) 0xF0, 0, 0, 0, 0, 0, 0}, 0, 8); // 1.0
    for (int i = 0; i < depth; i++) {
      out.write(3); // object
      out.write(0);
      out.write(1);
      out.write('a');
    }
    out.write(5); // null
    return out.toByteArray();
  }

  private static boolean closedWithin(Socket s, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    InputStream in = s.getInputStream();
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }
}
