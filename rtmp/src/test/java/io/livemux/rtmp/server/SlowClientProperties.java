package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the trickle schedule (piece sizes and gaps) and whatever a client trickles short of an
 * accepted publish (the handshake, the commands and acknowledgements, a huge message), the server
 * closes it at the setup deadline: never before, never much after.
 */
class SlowClientProperties {
  private static final int SETUP_MS = 300;
  private static final int LATE_MS = (int) RtmpServer.TIMEOUT_CHECK_MS + 1500;

  enum Trickled {
    HANDSHAKE,
    COMMANDS_THEN_ACKS,
    BIG_MESSAGE
  }

  @Property(tries = 20)
  void noConnectionOutlivesItsSetupDeadline_withoutPublishing(
      @ForAll Trickled what,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 64) Integer> pieceSizes,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 10, max = 120) Integer> gapsMs,
      @ForAll long seed) throws Exception {
    Trickle.Closes closes = new Trickle.Closes();
    RtmpServer server = RtmpServer.start(RtmpServerOptions.recordingTo(Path.of("unused"))
        .withBindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withHandshakeTimeout(Duration.ofSeconds(10))
        .withIdleTimeout(Duration.ofSeconds(10))
        .withSetupTimeout(Duration.ofMillis(SETUP_MS)));
    server.observeCloses(closes);
    long startNanos = System.nanoTime();
    try (RawClient c = new RawClient(server.port())) {
      byte[] bytes;
      switch (what) {
        case HANDSHAKE:
          bytes = new byte[1 + 1536]; // C0 and C1 (RTMP 5.2.2, 5.2.3)
          new Random(seed).nextBytes(bytes);
          bytes[0] = 3;
          break;
        case COMMANDS_THEN_ACKS:
          c.handshake();
          bytes = Trickle.commandsThenAcks(64 << 10);
          break;
        default:
          c.handshake();
          bytes = Trickle.bigMessageStart(0, 4 << 20, 64 << 10);
          break;
      }
      long closedMs = Trickle.untilClosed(c, bytes, toArray(pieceSizes), toArray(gapsMs),
          startNanos, SETUP_MS + LATE_MS + 500);
      assertTrue(closedMs >= 0, "still open " + (SETUP_MS + LATE_MS + 500) + " ms after connect");
      assertTrue(closedMs >= SETUP_MS - 20, "closed early, after " + closedMs + " ms");
      assertTrue(closedMs <= SETUP_MS + LATE_MS, "closed late, after " + closedMs + " ms");
      String why = closes.reason(c, 2000);
      assertNotNull(why, "no close reason");
      assertTrue(why.contains("(setup timeout)"), why);
    } finally {
      server.stop();
    }
  }

  private static int[] toArray(List<Integer> list) {
    int[] a = new int[list.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = list.get(i);
    }
    return a;
  }
}
