package io.livemux.benchmarks.ingest;

import io.livemux.rtmp.server.RtmpServer;
import io.livemux.rtmp.server.RtmpServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Runs livemux's RTMP ingest server on 127.0.0.1:PORT recording to DIR, until its standard input
 * closes: {@code java -cp benchmarks.jar io.livemux.benchmarks.ingest.IngestServerMain PORT DIR}.
 * Prints {@code listening PORT} once it accepts connections. For the load script, not a test.
 */
public final class IngestServerMain {
  private IngestServerMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    RtmpServer server = RtmpServer.start(RtmpServerOptions.recordingTo(dir)
        .withBindAddress(new InetSocketAddress("127.0.0.1", port))
        .withMaxConnections(5000));
    System.out.println("listening " + server.port());
    System.out.flush();
    try {
      while (System.in.read() >= 0) {
        // wait for the script to close our input
      }
    } catch (IOException e) {
      // input gone: stop
    }
    long start = System.nanoTime();
    server.stop();
    System.out.println("stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }
}
