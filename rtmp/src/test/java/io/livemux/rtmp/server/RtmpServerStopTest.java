package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.SinkOutcome;
import io.livemux.testing.Peers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stop() while ffmpeg is still publishing in real time: the recording is finished within the 2 s
 * bound, plays, and holds the media up to the stop.
 */
class RtmpServerStopTest {
  @TempDir Path dir;

  @Test
  void stop_whilePublisherSends_finalizesRecordingWithinBound() throws Exception {
    Path ffmpeg = Peers.require("ffmpeg", "ffmpeg");
    Path source = dir.resolve("long.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "30",
        "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-f", "flv", source.toString());
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec")).withFlv(true));
    Process publisher = new ProcessBuilder(Arrays.asList(ffmpeg.toString(), "-hide_banner", "-nostdin",
            "-loglevel", "error", "-re", "-i", source.toString(), "-c", "copy", "-progress", "pipe:1",
            "-f", "flv", Recordings.url(server, "live/long")))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long sentUs = 0;
    try {
      BufferedReader progress = new BufferedReader(
          new InputStreamReader(publisher.getInputStream(), StandardCharsets.UTF_8));
      // ffmpeg's own progress report says how much it has sent: stop after 3 s of media.
      for (String line = progress.readLine(); line != null; line = progress.readLine()) {
        if (line.startsWith("out_time_us=") && !line.endsWith("N/A")) {
          sentUs = Long.parseLong(line.substring("out_time_us=".length()));
          if (sentUs >= 3_000_000) {
            break;
          }
        }
      }
      assertTrue(sentUs >= 3_000_000, "ffmpeg published 3 s: " + sentUs + " us");
      assertTrue(publisher.isAlive(), "ffmpeg still publishing when the server stops");

      long start = System.nanoTime();
      server.stop();
      long stopMs = (System.nanoTime() - start) / 1_000_000;
      System.out.println("stop() while publishing took " + stopMs + " ms; ffmpeg had sent " + sentUs + " us");
      assertTrue(stopMs <= 2100, "stop() took " + stopMs + " ms");

      Recording r = recordings.next(5);
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(1).outcome(), r.toString());
      assertTrue(publisher.waitFor(10, TimeUnit.SECONDS), "ffmpeg ends once the server closes");

      for (Path file : Arrays.asList(r.mp4(), r.flv())) {
        double seconds = Recordings.duration(file);
        assertTrue(seconds >= sentUs / 1e6 - 0.5 && seconds <= 30,
            file + " lasts " + seconds + " s; ffmpeg had sent " + sentUs / 1e6 + " s at the stop");
        for (String map : Arrays.asList("0:v", "0:a")) {
          List<String> recorded = Recordings.decodedFrames(file, map);
          List<String> all = Recordings.decodedFrames(source, map);
          assertTrue(recorded.size() > 10 && recorded.size() < all.size(), map + ": " + recorded.size());
          // A stream cut after a P-frame shows that P-frame where the full stream shows the B-frames
          // that follow it in decode order: all but the last -bf (2) frames must match.
          int compared = map.equals("0:v") ? recorded.size() - 2 : recorded.size();
          assertEquals(all.subList(0, compared), recorded.subList(0, compared),
              map + " of " + file + " is the source's start");
        }
      }
    } finally {
      publisher.destroyForcibly();
      server.stop();
    }
  }
}
