package io.livemux.examples;

import io.livemux.rtmp.server.RecordingListener;
import io.livemux.rtmp.server.RtmpServer;
import io.livemux.rtmp.server.RtmpServerOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An RTMP ingest server that records every stream published to it (OBS, ffmpeg, a phone app) to
 * {@code DIR/APP/STREAM.mp4}, until the process is asked to stop; then every recording is finished
 * within its bound before the connections close.
 *
 * <pre>java io.livemux.examples.IngestServer recordings 1935
 * ffmpeg -re -i input.mp4 -c copy -f flv rtmp://127.0.0.1:1935/live/mystream</pre>
 */
public final class IngestServer {
  private IngestServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: IngestServer DIR PORT");
      System.exit(2);
    }
    RtmpServer server = start(Path.of(args[0]), Integer.parseInt(args[1]),
        recording -> System.out.println("recorded " + recording.mp4()));
    System.out.println("recording streams published to rtmp://127.0.0.1:" + server.port()
        + "/APP/STREAM into " + args[0] + "; Ctrl-C stops");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop(); // finishes every open recording within its bound, even mid-stream
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopped.countDown();
    }));
    stopped.await();
  }

  /** A server on 127.0.0.1:{@code port} (0: any free port) recording into {@code dir}. */
  static RtmpServer start(Path dir, int port, RecordingListener listener) throws Exception {
    return RtmpServer.start(RtmpServerOptions.recordingTo(dir)
        .withBindAddress(new InetSocketAddress("127.0.0.1", port))
        .withListener(listener));
  }
}
