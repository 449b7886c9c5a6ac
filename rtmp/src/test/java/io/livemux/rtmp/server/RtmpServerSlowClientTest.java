package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.SinkOutcome;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.chunk.UserControl;
import io.livemux.rtmp.command.NetStatus;
import io.livemux.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that trickle bytes (the connect command, the payload of a 4 MiB message, acknowledgements)
 * are closed at the setup deadline before they publish and by the idle timeout once they publish,
 * however steadily the bytes come; the reason says which rule closed them; a publisher sending
 * media stays open; and trickling clients cannot keep an honest publisher out.
 */
class RtmpServerSlowClientTest {
  private static final int SETUP_MS = 1000;
  private static final int IDLE_MS = 600;
  /** The selector checks deadlines every 250 ms; the rest is room for a loaded machine. */
  private static final int LATE_MS = (int) RtmpServer.TIMEOUT_CHECK_MS + 1500;
  /** Well inside the idle timeout: the old rule ("no byte for the idle timeout") never fires. */
  private static final int GAP_MS = 100;

  @TempDir Path dir;
  private final Recordings recordings = new Recordings();
  private final Trickle.Closes closes = new Trickle.Closes();
  private RtmpServer server;

  private RtmpServer start(RtmpServerOptions options) throws Exception {
    server = RtmpServer.start(options
        .withHandshakeTimeout(Duration.ofMillis(SETUP_MS))
        .withSetupTimeout(Duration.ofMillis(SETUP_MS))
        .withIdleTimeout(Duration.ofMillis(IDLE_MS)));
    server.observeCloses(closes);
    return server;
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void trickledConnect_isClosedAtTheSetupDeadline() throws Exception {
    start(recordings.options(dir));
    long startNanos = System.nanoTime();
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      long closedMs = Trickle.untilClosed(c, Trickle.connect("live"), GAP_MS, startNanos,
          SETUP_MS + LATE_MS + 1000);
      assertClosedBetween(SETUP_MS, SETUP_MS + LATE_MS, closedMs);
      assertReason(c, "(setup timeout)");
    }
  }

  @Test
  void trickledBigMessage_beforePublish_isClosedAtTheSetupDeadline() throws Exception {
    start(recordings.options(dir));
    long startNanos = System.nanoTime();
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      long closedMs = Trickle.untilClosed(c, Trickle.bigMessageStart(0, 4 << 20, 4096), GAP_MS,
          startNanos, SETUP_MS + LATE_MS + 1000);
      assertClosedBetween(SETUP_MS, SETUP_MS + LATE_MS, closedMs);
      assertReason(c, "(setup timeout)");
    }
  }

  @Test
  void acknowledgementsAfterConnect_areClosedAtTheSetupDeadline() throws Exception {
    start(recordings.options(dir));
    long startNanos = System.nanoTime();
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      assertEquals("_result", c.connect("live").name());
      byte[] ack = Trickle.acknowledgement(1);
      long closedMs = Trickle.untilClosed(c, repeat(ack, 1000), new int[] {ack.length},
          new int[] {GAP_MS}, startNanos, SETUP_MS + LATE_MS + 1000);
      assertClosedBetween(SETUP_MS, SETUP_MS + LATE_MS, closedMs);
      assertReason(c, "(setup timeout)");
    }
  }

  @Test
  void trickledBigMessage_whilePublishing_isClosedByTheIdleTimeout() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, RtmpServerCommandsTest.publish(c, "live", "big").code());
      long publishedNanos = System.nanoTime();
      long closedMs = Trickle.untilClosed(c, Trickle.bigMessageStart(1, 4 << 20, 4096), GAP_MS,
          publishedNanos, IDLE_MS + LATE_MS + 1000);
      assertClosedBetween(IDLE_MS, IDLE_MS + LATE_MS, closedMs);
      assertReason(c, "while publishing (idle timeout");
    }
  }

  @Test
  void acknowledgementsAndPings_whilePublishing_areClosedByTheIdleTimeout() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, RtmpServerCommandsTest.publish(c, "live", "acks").code());
      long publishedNanos = System.nanoTime();
      byte[] ackAndPing = concat(Trickle.acknowledgement(1),
          Trickle.bytes(UserControl.pingRequest(1)));
      long closedMs = Trickle.untilClosed(c, repeat(ackAndPing, 1000),
          new int[] {ackAndPing.length}, new int[] {GAP_MS}, publishedNanos,
          IDLE_MS + LATE_MS + 1000);
      assertClosedBetween(IDLE_MS, IDLE_MS + LATE_MS, closedMs);
      assertReason(c, "while publishing (idle timeout");
    }
  }

  @Test
  void acknowledgementsAfterUnpublish_areClosedAtTheSetupDeadlineFromTheUnpublish() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, RtmpServerCommandsTest.publish(c, "live", "once").code());
      c.command(0, "deleteStream", 4, null, 1.0);
      assertTrue(c.ping(), "deleteStream handled");
      long unpublishedNanos = System.nanoTime();
      byte[] ack = Trickle.acknowledgement(1);
      long closedMs = Trickle.untilClosed(c, repeat(ack, 1000), new int[] {ack.length},
          new int[] {GAP_MS}, unpublishedNanos, SETUP_MS + LATE_MS + 1000);
      // The server saw the unpublish before our ping came back: its deadline may start earlier.
      assertClosedBetween(SETUP_MS - 200, SETUP_MS + LATE_MS, closedMs);
      assertReason(c, "of the last unpublish (setup timeout)");
    }
  }

  @Test
  void setupTimeout_defaultsToTenSeconds_andOutOfRangeValuesAreRefusedWithTheValue() {
    RtmpServerOptions options = RtmpServerOptions.recordingTo(dir);
    assertEquals(Duration.ofSeconds(10), options.setupTimeout());
    assertEquals(Duration.ofMillis(250),
        options.withSetupTimeout(Duration.ofMillis(250)).setupTimeout());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> options.withSetupTimeout(Duration.ofMillis(99)));
    assertTrue(e.getMessage().contains("setupTimeout") && e.getMessage().contains("PT0.099S"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> options.withSetupTimeout(null));
  }

  @Test
  void steadyMedia_whilePublishing_keepsTheConnectionOpenPastBothTimeouts() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, RtmpServerCommandsTest.publish(c, "live", "steady").code());
      long publishedNanos = System.nanoTime();
      // AAC-LC 44.1 kHz stereo: the sequence header, then a frame every GAP_MS.
      c.send(RtmpMessage.of(4, 8, 1, 0, new byte[] {(byte) 0xAF, 0, 0x12, 0x10}));
      int sent = 0;
      while ((System.nanoTime() - publishedNanos) / 1_000_000 < SETUP_MS + IDLE_MS + 500) {
        sent++;
        c.send(RtmpMessage.of(4, 8, 1, sent * GAP_MS,
            new byte[] {(byte) 0xAF, 1, 0x21, 0x10, 0x04, 0x60, (byte) 0x8C, 0x1C}));
        assertFalse(c.closedWithin(GAP_MS), "closed after " + sent + " audio messages: "
            + closes.reason(c, 0));
      }
      assertTrue(c.ping(), "still served");
      assertNull(closes.reason(c, 0));
    }
  }

  @Test
  void tricklingClients_cannotLockOutAnHonestPublisher() throws Exception {
    Peers.require("ffmpeg", "ffmpeg");
    Path source = dir.resolve("honest.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "2",
        "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-f", "flv", source.toString());
    start(recordings.options(dir.resolve("rec")).withMaxConnections(4));
    List<RawClient> tricklers = new ArrayList<>();
    ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 4; i++) {
        RawClient c = new RawClient(server.port());
        c.handshake(); // answered: the server has accepted and counts it
        tricklers.add(c);
      }
      byte[] connect = Trickle.connect("live");
      int[] next = {0};
      clock.scheduleAtFixedRate(() -> {
        byte[] one = {connect[next[0]++ % connect.length]};
        for (RawClient c : tricklers) {
          try {
            c.send(one);
          } catch (IOException e) {
            // closed by the server: what the test waits for
          }
        }
      }, 0, GAP_MS, TimeUnit.MILLISECONDS);
      assertEquals(4, server.connectionCount());
      try (RawClient refused = new RawClient(server.port())) {
        assertTrue(refused.closedWithin(3000), "a fifth connection is refused while four are held");
      }
      for (RawClient c : tricklers) {
        String why = closes.reason(c, SETUP_MS + LATE_MS);
        assertNotNull(why, "trickler still open after the setup deadline");
        assertTrue(why.contains("(setup timeout)"), why);
      }
      Recordings.publish(source, Recordings.url(server, "live/honest"));
      Recording r = recordings.next(20);
      assertEquals("honest", r.stream());
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
      RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 48000);
    } finally {
      clock.shutdownNow();
      assertTrue(clock.awaitTermination(5, TimeUnit.SECONDS));
      for (RawClient c : tricklers) {
        c.close();
      }
    }
  }

  private void assertReason(RawClient c, String rule) throws InterruptedException {
    String why = closes.reason(c, 2000);
    assertNotNull(why, "no close reason observed");
    assertTrue(why.contains(rule), why);
  }

  private static void assertClosedBetween(long earliestMs, long latestMs, long closedMs) {
    assertTrue(closedMs >= 0, "still open " + latestMs + " ms on");
    // The server's deadline runs from its own accept (or publish), after the client's start.
    assertTrue(closedMs >= earliestMs - 20, "closed early, after " + closedMs + " ms");
    assertTrue(closedMs <= latestMs, "closed late, after " + closedMs + " ms");
  }

  private static byte[] repeat(byte[] bytes, int times) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < times; i++) {
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
