package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.testing.Listening;
import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livemux serve} and {@code livemux publish} as a user runs them, as processes: ffmpeg
 * publishes to our server; SIGTERM while it publishes still leaves a finalized, playable file; our
 * publish to nginx-rtmp with {@code --record} gives two recordings with the source's frames.
 */
class ServeAndPublishTest {
  @TempDir static Path dir;
  static Path source;

  @BeforeAll
  static void ffmpegMakesTheSource() throws Exception {
    source = dir.resolve("source.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-f", "flv", source.toString());
  }

  static ProcessBuilder livemux(Path log, String... args) {
    List<String> command = new ArrayList<>(Arrays.asList(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Livemux.class.getName()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
  }

  @Test
  void ffmpegPublishesToServe_recordingHasTheSourceFrames_andSigtermExitsZero() throws Exception {
    int port = NginxRtmp.freePort();
    Path recordings = dir.resolve("recordings");
    Path log = dir.resolve("serve.log");
    Process serve = livemux(log, "serve", "--port", Integer.toString(port), "--dir", recordings.toString())
        .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    CompletableFuture<String> recorded = new CompletableFuture<>();
    Path mp4 = recordings.resolve("live/cam.mp4");
    Thread reader = watch(serve, log, "recorded " + mp4, recorded);
    try {
      Listening.await(port, serve, "livemux serve");
      Peers.ffmpeg("-loglevel", "error", "-i", source.toString(), "-c", "copy", "-f", "flv",
          "rtmp://127.0.0.1:" + port + "/live/cam");
      // ffmpeg has written its last bytes; the server says when it has recorded them, in one readable line
      String line = recorded.get(30, TimeUnit.SECONDS);
      assertEquals(String.format(java.util.Locale.ROOT, "recorded %s: %d video and %d audio frames, %,d bytes",
          mp4, Sources.packets(source, "v"), Sources.packets(source, "a"), Files.size(mp4)), line);
      serve.destroy(); // SIGTERM, as an operator stops it
      assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve exits after SIGTERM");
      reader.join(10_000);
      assertEquals(0, serve.exitValue(), Files.readString(log));
      assertEquals(Peers.decodedFrames(source, "0:v", true), Peers.decodedFrames(mp4, "0:v", true));
      assertEquals(Peers.decodedFrames(source, "0:a", false), Peers.decodedFrames(mp4, "0:a", false));
    } finally {
      serve.destroyForcibly();
    }
  }

  /**
   * Copies the process's output to {@code log} on a thread of its own, completing {@code seen} at
   * the first line that starts with {@code prefix}.
   */
  static Thread watch(Process process, Path log, String prefix, CompletableFuture<String> seen) {
    Thread t = new Thread(() -> {
      try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
              process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
          java.io.Writer out = Files.newBufferedWriter(log)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line + "\n");
          out.flush();
          if (line.startsWith(prefix)) {
            seen.complete(line);
          }
        }
      } catch (java.io.IOException e) {
        seen.completeExceptionally(e);
      }
      seen.completeExceptionally(new AssertionError("the process ended without printing " + prefix));
    }, "output of " + prefix);
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void aPublisherThatSendsNoMedia_leavesNoEmptyRecording_andServeSaysSo() throws Exception {
    int port = NginxRtmp.freePort();
    Path recordings = dir.resolve("recordings-empty");
    Path log = dir.resolve("serve-empty.log");
    Process serve = livemux(log, "serve", "--port", Integer.toString(port), "--dir", recordings.toString())
        .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    CompletableFuture<String> said = new CompletableFuture<>();
    Thread reader = watch(serve, log, "nothing recorded in ", said);
    try {
      Listening.await(port, serve, "livemux serve");
      io.livemux.live.LiveSession session = io.livemux.live.LiveSession.builder()
          .publishTo(io.livemux.rtmp.publish.RtmpPublisherOptions.forUrl("rtmp://127.0.0.1:" + port + "/live/quiet"))
          .build();
      try (MediaSource media = MediaSource.open(source)) {
        for (io.livemux.format.MediaFormat format : media.formats()) {
          session.addTrack(format);
        }
      }
      session.start();
      session.published().get(30, TimeUnit.SECONDS);
      session.finish().get(30, TimeUnit.SECONDS); // connected and published, but not one sample
      Path mp4 = recordings.resolve("live/quiet.mp4");
      assertEquals("nothing recorded in " + mp4 + ": the publisher sent no media; the empty file was deleted",
          said.get(30, TimeUnit.SECONDS));
      assertTrue(Files.notExists(mp4), "no empty file is left");
    } finally {
      serve.destroy();
      serve.waitFor(20, TimeUnit.SECONDS);
      serve.destroyForcibly();
      reader.join(10_000);
    }
  }

  @Test
  void sigtermWhileFfmpegPublishes_finalizesAPlayableRecordingWithinTheBound() throws Exception {
    Path longSource = dir.resolve("long.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-f", "flv",
        longSource.toString());
    int port = NginxRtmp.freePort();
    Path recordings = dir.resolve("recordings-term");
    Path log = dir.resolve("serve-term.log");
    Process serve = livemux(log, "serve", "--port", Integer.toString(port), "--dir", recordings.toString()).start();
    Process ffmpeg = null;
    try {
      Listening.await(port, serve, "livemux serve");
      ffmpeg = new ProcessBuilder(Peers.ffmpeg().toString(), "-loglevel", "error", "-re", "-i",
              longSource.toString(), "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + port + "/live/term")
          .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg-term.log").toFile()).start();
      Path mp4 = recordings.resolve("live/term.mp4");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!(Files.exists(mp4) && Files.size(mp4) > 100_000) && System.nanoTime() < deadline) {
        if (ffmpeg.waitFor(100, TimeUnit.MILLISECONDS)) {
          break; // ffmpeg ended early: the assertions below say why
        }
      }
      long start = System.nanoTime();
      serve.destroy(); // SIGTERM while ffmpeg is still sending
      assertTrue(serve.waitFor(20, TimeUnit.SECONDS));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(0, serve.exitValue(), Files.readString(log));
      assertTrue(ms < 5000, "stopped in " + ms + " ms (the bound is 2 s, plus JVM exit)");
      Peers.Result decode = Peers.ffmpeg("-v", "error", "-i", mp4.toString(), "-f", "null", "-");
      assertEquals("", decode.stderr.trim(), "the recording decodes without an error");
      List<String> frames = Peers.decodedFrames(mp4, "0:v", true);
      assertTrue(frames.size() >= 25, "it holds the media up to the stop: " + frames.size() + " frames");
      assertEquals(Peers.decodedFrames(longSource, "0:v", true).subList(0, frames.size()), frames);
    } finally {
      serve.destroyForcibly();
      if (ffmpeg != null) {
        ffmpeg.destroyForcibly();
      }
    }
  }

  @Test
  void sigkillWhilePublishing_thenRecover_keepsEveryCompleteFragment() throws Exception {
    Path longSource = dir.resolve("long-kill.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-t", "60", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-f", "flv",
        longSource.toString());
    int port = NginxRtmp.freePort();
    Path recordings = dir.resolve("recordings-kill");
    Process serve = livemux(dir.resolve("serve-kill.log"), "serve", "--port", Integer.toString(port),
        "--dir", recordings.toString(), "--fragment-ms", "500").start();
    Process ffmpeg = null;
    Path cut = recordings.resolve("live/kill.mp4");
    try {
      Listening.await(port, serve, "livemux serve");
      ffmpeg = new ProcessBuilder(Peers.ffmpeg().toString(), "-loglevel", "error", "-re", "-i",
              longSource.toString(), "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + port + "/live/kill")
          .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg-kill.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!(Files.exists(cut) && Files.size(cut) > 150_000) && System.nanoTime() < deadline) {
        if (ffmpeg.waitFor(100, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
      serve.destroyForcibly(); // SIGKILL: no finish, no moov
      assertTrue(serve.waitFor(20, TimeUnit.SECONDS));
    } finally {
      serve.destroyForcibly();
      if (ffmpeg != null) {
        ffmpeg.destroyForcibly();
      }
    }
    // what ffmpeg reads from the cut file: every complete fragment
    List<String> readable = Peers.decodedFrames(cut, "0:v", true);
    assertTrue(readable.size() >= 25, "at least a second was recorded: " + readable.size());
    Path fixed = dir.resolve("recovered.mp4");
    Cli.Run run = Cli.run("recover", cut.toString(), "-o", fixed.toString());
    assertEquals(0, run.exitCode, run.toString());
    Peers.Result decode = Peers.ffmpeg("-v", "error", "-i", fixed.toString(), "-f", "null", "-");
    assertEquals("", decode.stderr.trim(), "the recovered file decodes without an error");
    List<String> recovered = Peers.decodedFrames(fixed, "0:v", true);
    assertEquals(readable, recovered, "every complete fragment, nothing more");
    assertEquals(Peers.decodedFrames(longSource, "0:v", true).subList(0, recovered.size()), recovered);
  }

  @Test
  void publishToNginxWithRecord_bothRecordingsHaveTheSourceFrames() throws Exception {
    Path local = dir.resolve("published.mp4");
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx"))) {
      Path log = dir.resolve("publish.log");
      Process publish = livemux(log, "publish", source.toString(), nginx.url("pub"), "--record", local.toString()).start();
      assertTrue(publish.waitFor(60, TimeUnit.SECONDS), "publish ends with its input");
      assertEquals(0, publish.exitValue(), Files.readString(log));
      nginx.close();
      for (String map : new String[] {"0:v", "0:a"}) {
        boolean video = map.endsWith("v");
        List<String> expected = Peers.decodedFrames(source, map, video);
        assertEquals(expected, Peers.decodedFrames(local, map, video), "the local recording, " + map);
        assertEquals(expected, Peers.decodedFrames(nginx.recording("pub"), map, video), "nginx's, " + map);
      }
    }
  }
}
