package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.SinkStats;
import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.testing.Peers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg -> our server -> nginx-rtmp (through livemux's RtmpPublisher in the relay lane): nginx's
 * recording is frame-identical; when nginx is killed mid-stream our recording goes on, complete.
 */
class RtmpServerRelayTest {
  @TempDir Path dir;

  @Test
  void relay_toNginx_nginxRecordsFrameIdentically() throws Exception {
    Path source = source("relay.flv", 3);
    Recordings recordings = new Recordings();
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx"))) {
      RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec"))
          .withRelay("rtmp://127.0.0.1:" + nginx.port() + "/live"));
      try {
        Recordings.publish(true, source, Recordings.url(server, "live/relayed"));
        Recording r = recordings.next(20);
        assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
        SinkStats relay = r.result().sink(1);
        assertEquals(SinkOutcome.COMPLETED, relay.outcome(), relay.toString());
        assertEquals(0, relay.dropped(), relay.toString());
        RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 48000);
      } finally {
        server.stop();
      }
      nginx.close(); // nginx closes its recording
      Path theirs = nginx.recording("relayed");
      assertEquals(Recordings.decodedFrames(source, "0:v"), Recordings.decodedFrames(theirs, "0:v"), nginx.log());
      assertEquals(Recordings.decodedFrames(source, "0:a"), Recordings.decodedFrames(theirs, "0:a"));
    }
  }

  @Test
  void relay_nginxKilledMidStream_recordingGoesOnAndIsComplete() throws Exception {
    Path ffmpeg = Peers.require("ffmpeg", "ffmpeg");
    Path source = source("killed.flv", 6);
    Recordings recordings = new Recordings();
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-killed"))) {
      RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec"))
          .withRelay("rtmp://127.0.0.1:" + nginx.port() + "/live"));
      Process publisher = new ProcessBuilder(Arrays.asList(ffmpeg.toString(), "-hide_banner",
              "-nostdin", "-loglevel", "error", "-re", "-i", source.toString(), "-c", "copy",
              "-progress", "pipe:1", "-f", "flv", Recordings.url(server, "live/killed")))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      try {
        BufferedReader progress = new BufferedReader(
            new InputStreamReader(publisher.getInputStream(), StandardCharsets.UTF_8));
        for (String line = progress.readLine(); line != null; line = progress.readLine()) {
          if (line.startsWith("out_time_us=") && !line.endsWith("N/A")
              && Long.parseLong(line.substring("out_time_us=".length())) >= 2_000_000) {
            break;
          }
        }
        nginx.kill();
        while (progress.readLine() != null) {
          // drain ffmpeg's progress until it ends
        }
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS), "ffmpeg finished");
        assertEquals(0, publisher.exitValue(), "ffmpeg's publish to our server went on to the end");
        Recording r = recordings.next(20);
        assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
        System.out.println("relay lane after nginx was killed: " + r.result().sink(1));
        RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 48000);
      } finally {
        publisher.destroyForcibly();
        server.stop();
      }
    }
  }

  private Path source(String name, int seconds) throws Exception {
    Path file = dir.resolve(name);
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t",
        String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "25",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", file.toString());
    return file;
  }
}
