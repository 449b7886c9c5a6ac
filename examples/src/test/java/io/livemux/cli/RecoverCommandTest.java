package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livemux recover} of recordings cut off while being written. */
class RecoverCommandTest {
  @TempDir Path dir;

  @Test
  void recover_ofAFragmentedRecordingCutAtRandom_keepsEveryWholeFragment() throws IOException {
    Path recording = dir.resolve("recording.mp4");
    Cli.Run made = Cli.run("remux", Sources.mp4(8).toString(), recording.toString(), "--fragmented");
    assertEquals(0, made.exitCode, made.toString());
    List<long[]> fragments = Boxes.fragments(recording);
    assertTrue(fragments.size() >= 6, "1 s fragments of 8 s: " + fragments.size());
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 3; round++) {
      // Anywhere past the end of the first fragment, up to (not including) the end of the file.
      long firstEnd = fragments.get(0)[0];
      long size = Files.size(recording);
      long cutAt = firstEnd + 1 + (long) (random.nextDouble() * (size - firstEnd - 2));
      Path cut = truncatedCopy(recording, dir.resolve("cut.mp4"), cutAt);
      byte[] before = Files.readAllBytes(cut);
      long video = 0;
      long audio = 0;
      for (long[] f : fragments) {
        if (f[0] <= cutAt) {
          video += f[1];
          audio += f[2];
        }
      }
      Path recovered = dir.resolve("recovered.mp4");
      Cli.Run run = Cli.run("recover", cut.toString(), "-o", recovered.toString());
      String context = "seed " + seed + ", cut at " + cutAt + " of " + size + ": " + run;
      assertEquals(0, run.exitCode, context);
      assertTrue(run.stdout.startsWith("recovered " + cut + " (MP4) -> " + recovered), context);
      assertEquals(video, Sources.packets(recovered, "v"), context);
      assertEquals(audio, Sources.packets(recovered, "a"), context);
      assertEquals(List.of("ftyp", "mdat", "moov"), Boxes.topLevelTypes(recovered), context);
      List<String> all = Sources.frames(recording, "0:v");
      assertEquals(all.subList(0, (int) video), Sources.frames(recovered, "0:v"), context);
      assertArrayEquals(before, Files.readAllBytes(cut), "the input is only read");
    }
  }

  @Test
  void recover_ofAnFlvCutMidTag_keepsEveryWholeTag() throws IOException {
    Path whole = Sources.flv(4);
    long size = Files.size(whole);
    Path cut = truncatedCopy(whole, dir.resolve("cut.flv"), size * 2 / 3 + 7);
    Path recovered = dir.resolve("recovered.mp4");
    Cli.Run run = Cli.run("recover", cut.toString(), "-o", recovered.toString());
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.stdout.contains("bytes (an incomplete FLV tag)"), run.stdout);
    // Every tag of the whole file (as ffprobe places them) that ends before the cut, and no other.
    long cutAt = Files.size(cut);
    int video = 0;
    int audio = 0;
    for (String line : io.livemux.testing.Peers.ffprobe("-show_entries", "packet=codec_type,pos,size", "-of",
        "csv=p=0", whole.toString()).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split(",");
      boolean isVideo = f[0].equals("video");
      // tag header (11), AVC video packet header (5) or AAC audio header (2), data, PreviousTagSize (4)
      long end = Long.parseLong(f[2]) + 11 + (isVideo ? 5 : 2) + Long.parseLong(f[1]) + 4;
      if (end <= cutAt) {
        if (isVideo) {
          video++;
        } else {
          audio++;
        }
      }
    }
    assertEquals(video, Sources.packets(recovered, "v"));
    assertEquals(audio, Sources.packets(recovered, "a"));
    List<String> all = Sources.frames(whole, "0:v");
    List<String> ours = Sources.frames(recovered, "0:v");
    assertTrue(ours.size() > all.size() / 2, ours.size() + " of " + all.size());
    // Cut mid-GOP, the last reference frame read may be shown after B-frames that were cut: the
    // frames are those of the whole file, in its order, with at most the last two B-frames missing.
    int b = 2;
    assertEquals(all.subList(0, ours.size() - b), ours.subList(0, ours.size() - b));
    int at = ours.size() - b;
    for (String frame : ours.subList(ours.size() - b, ours.size())) {
      at = all.subList(at, all.size()).indexOf(frame) + at;
      assertTrue(at >= ours.size() - b && at <= ours.size() + b, "frame " + frame + " at " + at);
      at++;
    }
  }

  @Test
  void recover_ofAFileCutInsideItsHeader_failsWithOneLine_andWritesNothing() throws IOException {
    Path recording = dir.resolve("recording.mp4");
    assertEquals(0, Cli.run("remux", Sources.mp4(4).toString(), recording.toString(), "--fragmented").exitCode);
    Path cut = truncatedCopy(recording, dir.resolve("cut.mp4"), 200);
    Path output = dir.resolve("never.mp4");
    Cli.Run run = Cli.run("recover", cut.toString(), "-o", output.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(run.stderr.startsWith("livemux: nothing to recover in " + cut), run.stderr);
    assertEquals(1, run.stderr.split("\n").length, run.stderr);
    assertTrue(Files.notExists(output));
  }

  @Test
  void recover_ofAFragmentedFileCutRightAfterItsHeader_hasNothingToRecover_andWritesNothing() throws IOException {
    Path recording = dir.resolve("recording.mp4");
    assertEquals(0, Cli.run("remux", Sources.mp4(4).toString(), recording.toString(), "--fragmented").exitCode);
    List<String> types = Boxes.topLevelTypes(recording);
    long header = 0; // ftyp and moov: everything before the first moof
    try (FileChannel in = FileChannel.open(recording, StandardOpenOption.READ)) {
      for (BoxScan.Box b : BoxScan.scan(in, in.size()).boxes) {
        if (b.type.equals("moof")) {
          break;
        }
        header = b.offset + b.declaredSize;
      }
    }
    assertTrue(types.indexOf("moov") < types.indexOf("moof"), types.toString());
    for (long cutAt : new long[] {header, header + 50}) {
      Path cut = truncatedCopy(recording, dir.resolve("cut.mp4"), cutAt);
      String before = Cli.sha256(cut);
      Path output = dir.resolve("never.mp4");
      Cli.Run run = Cli.run("recover", cut.toString(), "-o", output.toString());
      assertEquals(1, run.exitCode, run.toString());
      assertTrue(run.stderr.startsWith("livemux: nothing to recover in " + cut + ": "), run.stderr);
      assertEquals(1, run.stderr.split("\n").length, run.stderr);
      assertTrue(Files.notExists(output), "nothing is written");
      assertEquals(before, Cli.sha256(cut));

      Files.writeString(output, "someone's file");
      run = Cli.run("recover", cut.toString(), "-o", output.toString());
      assertEquals(1, run.exitCode, run.toString());
      assertEquals("someone's file", Files.readString(output), "a file already there is left alone");
      Files.delete(output);
    }
  }

  static Path truncatedCopy(Path file, Path to, long length) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long done = 0;
      while (done < length) {
        done += in.transferTo(done, length - done, out);
      }
    }
    return to;
  }
}
