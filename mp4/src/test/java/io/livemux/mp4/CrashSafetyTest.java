package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM records and is killed with SIGKILL at random moments; every cut file must play, and
 * recover into a clean finalized file with the same frames.
 */
class CrashSafetyTest {
  @TempDir Path dir;

  /**
   * One ffmpeg run for both checks: every stream decodes with nothing said at {@code -v error},
   * and the video frames' (size, md5), as {@link Mp4RecorderTest#decodedFrames}.
   */
  private static List<String> decodedFramesWithoutError(Path file) throws Exception {
    Peers.Result r = Peers.run(java.time.Duration.ofSeconds(60), List.of(
        Peers.ffmpeg().toString(), "-v", "error", "-i", file.toString(),
        "-map", "0:v", "-f", "framemd5", "-", "-map", "0:a", "-f", "null", "-"));
    assertEquals(0, r.exitCode, r.stderr);
    assertEquals("", r.stderr.trim(), "ffmpeg reported errors decoding " + file);
    List<String> frames = new ArrayList<>();
    for (String line : r.stdout.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        String[] f = line.split(",");
        frames.add(f[4].trim() + " " + f[5].trim());
      }
    }
    return frames;
  }

  @Test
  void sigkillAtRandomMoments_leavesFilesThatDecodeWithoutError_holdEveryPublishedFragment_andRecover()
      throws Exception {
    Path source = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "2",
        "-c:v", "libx264", "-bf", "2", "-g", "6", "-pix_fmt", "yuv420p", "-c:a", "aac", source.toString());
    List<String> sourceFrames = Mp4RecorderTest.decodedFrames(source, "0:v");
    Random random = new Random(20261123L);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    int kills = 20;
    for (int k = 0; k < kills; k++) {
      Path out = dir.resolve("cut-" + k + ".mp4");
      Process child =
          new ProcessBuilder(java, "-cp", classpath, CrashChild.class.getName(), source.toString(), out.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      long target = 1 + random.nextInt(150); // video samples published before the kill
      long published = 0;
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          published = Long.parseLong(line.substring("published ".length()));
          if (published >= target) {
            // A random amount of further work before the kill, so it lands anywhere in a write.
            for (int spin = random.nextInt(2_000_000); spin > 0; spin--) {
              Thread.onSpinWait();
            }
            break;
          }
        }
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
      }
      assertTrue(published >= target, "child died before publishing " + target + " samples");
      assertTrue(Files.size(out) > 0);
      Mp4RecorderTest.assertDecodesWithoutError(out);
      List<String> frames = Mp4RecorderTest.decodedFrames(out, "0:v");
      assertTrue(frames.size() >= published, "cut " + k + ": " + frames.size() + " frames < " + published + " published");
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(sourceFrames.get(i % sourceFrames.size()), frames.get(i), "cut " + k + " frame " + i);
      }
      // Recovery: a clean finalized file with the same frames, the cut file left as it was.
      byte[] cutBytes = Files.readAllBytes(out);
      Path recovered = dir.resolve("recovered-" + k + ".mp4");
      Mp4Result result = Mp4Recovery.recover(out, recovered);
      assertArrayEquals(cutBytes, Files.readAllBytes(out), "cut " + k + " unchanged by recovery");
      assertTrue(result.isFinalized(), result.toString());
      assertEquals(List.of("ftyp", "mdat", "moov"), Mp4RecoveryTest.topLevelTypes(recovered));
      List<String> recoveredFrames = decodedFramesWithoutError(recovered);
      assertEquals(frames.size(), recoveredFrames.size(), "cut " + k + ": frames of the recovered file");
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(frames.get(i), recoveredFrames.get(i), "cut " + k + " recovered frame " + i);
      }
    }
  }
}
