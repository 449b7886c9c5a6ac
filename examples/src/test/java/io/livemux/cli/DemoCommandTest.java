package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livemux demo}: the locally recorded file and the in-process server's recording both decode
 * with ffmpeg, hold every generated frame, and decode to the same pictures and sound.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demo_recordsLocallyAndOnTheServer_theSameFrames() throws Exception {
    Cli.Run run = Cli.run("demo", "--seconds", "3", "--dir", dir.toString());
    assertEquals(0, run.exitCode, run.toString());
    Path local = dir.resolve("local.mp4");
    Path received = dir.resolve("server/live/demo.mp4");
    assertTrue(Files.exists(local) && Files.exists(received), run.toString());
    assertTrue(run.stdout.contains(local + ": 3.0"), run.toString());
    assertTrue(run.stdout.contains("90 video frames"), run.toString());
    for (Path file : new Path[] {local, received}) {
      Peers.Result decode = Peers.ffmpeg("-v", "error", "-i", file.toString(), "-f", "null", "-");
      assertEquals("", decode.stderr.trim(), "ffmpeg decodes " + file + " without an error");
      Map<String, String> video = Peers.ffprobeStream(file, "v");
      assertEquals("640", video.get("width"));
      assertEquals("h264", video.get("codec_name"));
      assertEquals("aac", Peers.ffprobeStream(file, "a").get("codec_name"));
    }
    List<String> localVideo = Peers.decodedFrames(local, "0:v", false);
    assertEquals(90, localVideo.size());
    assertEquals(localVideo, Peers.decodedFrames(received, "0:v", false));
    // Lip sync: the first real audio sample plays with the first picture in both files. The local
    // file hides the AAC priming with an edit list; RTMP cannot, so the server's file starts with
    // the priming frame, stamped that much before the first picture.
    double priming = 1024.0 / Integer.parseInt(Peers.ffprobeStream(local, "a").get("sample_rate"));
    assertEquals(0, startSeconds(local, "v") - startSeconds(local, "a"), 0.0015, "local A/V start");
    assertEquals(priming, startSeconds(received, "v") - startSeconds(received, "a"), 0.0015,
        "server A/V start");
    // RTMP carries times in whole milliseconds (the server's audio times are rounded, its sound is
    // not) and has no edit list: the server's file keeps the AAC priming frame the local one hides
    List<String> localAudio = Peers.decodedFrames(local, "0:a", false);
    List<String> receivedAudio = Peers.decodedFrames(received, "0:a", false);
    assertEquals(localAudio, receivedAudio.subList(1, receivedAudio.size()));
  }

  private static double startSeconds(Path file, String stream) throws java.io.IOException {
    return Double.parseDouble(Peers.ffprobeStream(file, stream).get("start_time"));
  }
}
