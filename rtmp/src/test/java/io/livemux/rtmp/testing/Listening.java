package io.livemux.rtmp.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a peer to listen on a loopback TCP port without connecting to it (ffmpeg {@code
 * -listen 1} accepts exactly one connection, so a probe would use it up): reads the kernel's socket
 * table, {@code /proc/net/tcp}, for 127.0.0.1:PORT in state LISTEN (0A).
 */
public final class Listening {
  private Listening() {}

  public static void await(int port, Process peer, String name) throws IOException, InterruptedException {
    // 127.0.0.1 in /proc/net/tcp; a Java socket bound to it shows in /proc/net/tcp6 as ::ffff:127.0.0.1
    String v4 = String.format(Locale.ROOT, "0100007F:%04X", port);
    String mapped = String.format(Locale.ROOT, "0000000000000000FFFF00000100007F:%04X", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
        if (!Files.exists(Path.of(table))) {
          continue;
        }
        for (String line : Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII)) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && (f[1].equals(v4) || f[1].equals(mapped)) && f[3].equals("0A")) {
            return;
          }
        }
      }
      // wait on the peer process itself: a peer that dies is reported at once
      if (peer.waitFor(20, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " exited with " + peer.exitValue() + " before listening on " + port);
      }
    }
    throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + " within 20 s");
  }
}
