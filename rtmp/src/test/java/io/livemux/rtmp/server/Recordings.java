package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test helpers: a listener that queues finished recordings, sources made by ffmpeg, frame lists. */
final class Recordings implements RecordingListener {
  private final BlockingQueue<Recording> finished = new ArrayBlockingQueue<>(64);

  @Override
  public void recordingFinished(Recording recording) {
    if (!finished.offer(recording)) {
      throw new IllegalStateException("more than 64 recordings not taken by the test");
    }
  }

  /** The next finished recording, waiting up to {@code seconds}. */
  Recording next(int seconds) throws InterruptedException {
    Recording r = finished.poll(seconds, TimeUnit.SECONDS);
    assertNotNull(r, "no recording finished within " + seconds + " s");
    return r;
  }

  Recording poll() {
    return finished.poll();
  }

  /** Options for a test server: loopback, a free port, recording to {@code dir}, telling us. */
  RtmpServerOptions options(Path dir) {
    return RtmpServerOptions.recordingTo(dir)
        .withBindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withListener(this);
  }

  static String url(RtmpServer server, String appAndKey) {
    return "rtmp://127.0.0.1:" + server.port() + "/" + appAndKey;
  }

  /** ffmpeg copies {@code source} to the server at full speed (no -re); must succeed. */
  static void publish(Path source, String url, String... extraOutputArgs) throws IOException {
    publish(false, source, url, extraOutputArgs);
  }

  /** As {@link #publish(Path, String, String...)}, at the source's own pace (-re) if asked. */
  static void publish(boolean realTime, Path source, String url, String... extraOutputArgs)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add("-loglevel");
    args.add("error");
    if (realTime) {
      args.add("-re");
    }
    args.add("-i");
    args.add(source.toString());
    args.add("-c");
    args.add("copy");
    for (String a : extraOutputArgs) {
      args.add(a);
    }
    args.add("-f");
    args.add("flv");
    args.add(url);
    Peers.ffmpeg(args.toArray(new String[0]));
  }

  /** (size, md5) of each decoded frame of the selected stream: what the decoder produced. */
  static List<String> decodedFrames(Path file, String map) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Peers.framemd5(file, map)) {
      String[] f = line.split(",");
      out.add(f[4].trim() + " " + f[5].trim());
    }
    return out;
  }

  /** The container duration ffprobe reports, in seconds. */
  static double duration(Path file) throws IOException {
    return Double.parseDouble(
        Peers.ffprobe("-show_entries", "format=duration", "-of", "csv=p=0", file.toString()).trim());
  }
}
