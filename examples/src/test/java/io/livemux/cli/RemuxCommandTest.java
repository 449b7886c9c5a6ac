package io.livemux.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livemux remux}, run as a user runs it, checked by ffmpeg's decoder and mp4parser. */
class RemuxCommandTest {
  @TempDir Path dir;

  @Test
  void remux_ofFfmpegsFlv_decodesToTheSameVideoAndAudioFrames() throws IOException {
    Path source = Sources.flv(4);
    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", source.toString(), out.toString());
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.stdout.startsWith("remuxed " + source + " (FLV) -> " + out + ": finalized MP4"), run.stdout);
    assertEquals("", run.stderr);
    assertSameFrames(source, out);
    assertEquals(List.of("ftyp", "mdat", "moov"), Boxes.topLevelTypes(out), "finalized hybrid");
    assertFalse(Boxes.hasMvex(out), "a finalized file declares no fragments");
    assertSamePresentationTimes(source, out);
  }

  @Test
  void remux_ofFfmpegsMp4_decodesToTheSameVideoAndAudioFrames() throws IOException {
    Path source = Sources.mp4(4);
    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", source.toString(), out.toString());
    assertEquals(0, run.exitCode, run.toString());
    assertSameFrames(source, out);
    assertEquals(List.of("ftyp", "mdat", "moov"), Boxes.topLevelTypes(out));
    assertSamePresentationTimes(source, out);
  }

  @Test
  void remux_ofAnMp4WhoseEditListHidesAacPriming_hidesItToo_andKeepsTheTracksInPlace() throws IOException {
    Path source = Sources.mp4WithPriming(4);
    for (String layout : List.of("--finalized", "--faststart")) {
      Path out = dir.resolve("primed" + layout + ".mp4");
      List<String> args = new ArrayList<>(List.of("remux", source.toString(), out.toString()));
      if (!layout.equals("--finalized")) {
        args.add(layout);
      }
      Cli.Run run = Cli.run(args.toArray(new String[0]));
      assertEquals(0, run.exitCode, run.toString());
      // Every decoded audio frame, with its time and size: the first one trimmed of the same
      // 1024 priming samples, none more and none played.
      assertSameLines(Peers.framemd5(source, "0:a"), Peers.framemd5(out, "0:a"), "audio of " + out);
      assertEquals(Sources.frames(source, "0:v"), Sources.frames(out, "0:v"), "video of " + out);
      assertSamePresentationTimes(source, out);
      assertEquals(startTime(source, "a"), startTime(out, "a"), "audio start of " + out);
      assertEquals(startTime(source, "v"), startTime(out, "v"), "video start of " + out);
    }
  }

  @Test
  void remux_ofAPcmMov_keepsEveryAudioByte_inBlocksRatherThanOneSamplePerFrame() throws IOException {
    // ffmpeg and QuickTime write raw PCM as one 4-byte sample per stereo frame
    Path source = dir.resolve("pcm.mov");
    Peers.ffmpeg("-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2",
        "-t", "20", "-c:a", "pcm_s16le", source.toString());
    Path out = dir.resolve("pcm.mp4");
    Cli.Run run = Cli.run("remux", source.toString(), out.toString());
    assertEquals(0, run.exitCode, run.toString());
    assertEquals(decodedPcm(source), decodedPcm(out), "the same 20 s of PCM, byte for byte");
    // one sample per frame cost 11 times the audio in sample tables before; blocks cost nothing
    assertTrue(Files.size(out) < Files.size(source) * 1.01, Files.size(out) + " bytes");
    assertTrue(run.stdout.contains(" 59 samples"), "20 s of 192 kB/s in blocks of 64 KiB: " + run.stdout);
  }

  private static String decodedPcm(Path file) throws IOException {
    byte[] pcm = Peers.ffmpeg("-v", "error", "-i", file.toString(), "-f", "s16le", "-").stdoutBytes;
    assertTrue(pcm.length >= 20 * 48_000 * 4, pcm.length + " bytes");
    return pcm.length + " bytes, hash " + java.util.Arrays.hashCode(pcm);
  }

  @Test
  void remux_interrupted_leavesTheFileThatHadTheOutputsName_andNoPartialFile() throws Exception {
    Path out = dir.resolve("out.mp4");
    Files.writeString(out, "a file the user had");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        InterruptedRemuxChild.class.getName(), Sources.flv(4).toString(), out.toString(), "50")
        .redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
      assertEquals("writing", lines.readLine(), "the child is in the middle of the remux");
      try (var files = Files.list(dir)) {
        assertEquals(2, files.count(), "the output and the partial file beside it");
      }
      Peers.check(Duration.ofSeconds(10), List.of("kill", "-INT", Long.toString(child.pid())));
      String rest = new String(child.getInputStream().readAllBytes(), UTF_8);
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(130, child.exitValue(), rest);
      assertTrue(rest.contains("livemux: interrupted: " + out + " was not written"), rest);
    } finally {
      child.destroyForcibly();
    }
    assertEquals("a file the user had", Files.readString(out));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(out), files.toList(), "no partial file is left");
    }
  }

  /** Equal lists, reported by their first difference. */
  private static void assertSameLines(List<String> expected, List<String> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ", line " + i);
    }
    assertEquals(expected.size(), actual.size(), what + ": lines");
  }

  private static String startTime(Path file, String stream) throws IOException {
    return Peers.ffprobe("-select_streams", stream, "-show_entries", "stream=start_time", "-of", "csv=p=0",
        file.toString()).trim();
  }

  @Test
  void remux_fragmented_isFrameIdentical_withMoofMdatPairsAndAnMfra() throws IOException {
    for (Path source : List.of(Sources.flv(4), Sources.mp4(4))) {
      Path out = dir.resolve("fragmented.mp4");
      Cli.Run run = Cli.run("remux", source.toString(), out.toString(), "--fragmented");
      assertEquals(0, run.exitCode, run.toString());
      assertSameFrames(source, out);
      List<String> types = Boxes.topLevelTypes(out);
      assertEquals("ftyp", types.get(0));
      assertTrue(types.indexOf("moov") < types.indexOf("moof"), types.toString());
      assertEquals("mfra", types.get(types.size() - 1), types.toString());
      int moofs = 0;
      for (int i = 0; i < types.size(); i++) {
        if (types.get(i).equals("moof")) {
          moofs++;
          assertEquals("mdat", types.get(i + 1), "each moof is followed by its mdat: " + types);
        }
      }
      assertTrue(moofs >= 3, "1 s fragments of 4 s: " + types);
      assertTrue(Boxes.hasMvex(out), "the moov declares fragments");
    }
  }

  @Test
  void remux_faststart_isFrameIdentical_withTheMoovBeforeTheOnlyMdat() throws IOException {
    for (Path source : List.of(Sources.flv(4), Sources.mp4(4))) {
      Path out = dir.resolve("faststart.mp4");
      Cli.Run run = Cli.run("remux", source.toString(), out.toString(), "--faststart");
      assertEquals(0, run.exitCode, run.toString());
      assertSameFrames(source, out);
      assertEquals(List.of("ftyp", "moov", "mdat"), Boxes.topLevelTypes(out));
      assertFalse(Boxes.hasMvex(out));
      try (var files = Files.list(dir)) {
        assertEquals(List.of(out), files.toList(), "the intermediate file is gone");
      }
    }
  }

  @Test
  void remux_withFsync_writesByteForByteTheSameFile_forEveryLayoutAndInput() throws IOException {
    for (Path source : List.of(Sources.flv(4), Sources.mp4(4))) {
      for (String layout : List.of("", "--fragmented", "--faststart")) {
        List<byte[]> files = new ArrayList<>();
        for (boolean fsync : new boolean[] {false, true}) {
          Path out = dir.resolve("fsync-" + fsync + layout + ".mp4");
          List<String> args = new ArrayList<>(List.of("remux", source.toString(), out.toString()));
          if (!layout.isEmpty()) {
            args.add(layout);
          }
          if (fsync) {
            args.add("--fsync");
          }
          Cli.Run run = Cli.run(args.toArray(new String[0]));
          assertEquals(0, run.exitCode, run.toString());
          files.add(Files.readAllBytes(out));
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(files.get(0), files.get(1), source + " " + layout);
      }
    }
  }

  @Test
  void remux_tellsTheContainerByContent_notByName() throws IOException {
    Path disguised = dir.resolve("actually-an-flv.mp4");
    Files.copy(Sources.flv(4), disguised);
    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", disguised.toString(), out.toString());
    assertEquals(0, run.exitCode, run.toString());
    assertTrue(run.stdout.contains("(FLV)"), run.stdout);
    assertSameFrames(Sources.flv(4), out);
  }

  @Test
  void remux_ontoItsOwnInput_isRefused_andTheInputIsKept() throws IOException {
    Path input = dir.resolve("in.mp4");
    Files.copy(Sources.mp4(4), input);
    byte[] before = Files.readAllBytes(input);
    Cli.Run run = Cli.run("remux", input.toString(), dir.resolve(".").resolve("in.mp4").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: the output " + dir.resolve(".").resolve("in.mp4") + " is the input file; choose another name\n",
        run.stderr);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(input)));
  }

  @Test
  void remux_ofAnFlvCutInsideATag_warnsWhereItEnds_andWhatWasKept_exit0() throws IOException {
    byte[] whole = Files.readAllBytes(Sources.flv(4));
    int tag = FlvTags.tagOffset(whole, 60);
    Path cut = RecoverCommandTest.truncatedCopy(Sources.flv(4), dir.resolve("cut.flv"), tag + 11 + 9);
    String before = Cli.sha256(cut);
    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", cut.toString(), out.toString());
    assertEquals(0, run.exitCode, run.toString());
    int samples = Sources.packets(out, "v") + Sources.packets(out, "a");
    assertTrue(samples > 40, run.toString());
    assertEquals("livemux: warning: " + cut + " ends inside the FLV tag at offset " + tag + ": the " + samples
        + " samples before it were remuxed\n", run.stderr);
    assertEquals(before, Cli.sha256(cut));
  }

  @Test
  void remux_ofAFragmentedMp4CutInsideAFragment_warnsWhereItEnds_andWhatWasKept_exit0() throws IOException {
    Path recording = dir.resolve("recording.mp4");
    assertEquals(0, Cli.run("remux", Sources.mp4(4).toString(), recording.toString(), "--fragmented").exitCode);
    List<long[]> fragments = Boxes.fragments(recording);
    long moof = fragments.get(1)[0]; // the third fragment's moof follows the second's mdat
    Path cut = RecoverCommandTest.truncatedCopy(recording, dir.resolve("cut.mp4"), moof + 20);
    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", cut.toString(), out.toString());
    assertEquals(0, run.exitCode, run.toString());
    long kept = fragments.get(0)[1] + fragments.get(0)[2] + fragments.get(1)[1] + fragments.get(1)[2];
    assertEquals(kept, Sources.packets(out, "v") + Sources.packets(out, "a"));
    assertEquals("livemux: warning: " + cut + " ends inside the 'moof' box at offset " + moof + ": the " + kept
        + " samples before it were remuxed\n", run.stderr);

    Cli.Run whole = Cli.run("remux", recording.toString(), dir.resolve("whole.mp4").toString());
    assertEquals("", whole.stderr, "no warning for a whole file");
  }

  @Test
  void remux_ofAnMpeg4VisualMp4_failsNamingTheFileAndTheSampleEntry() throws IOException {
    Path mp4v = dir.resolve("mp4v.mp4");
    Peers.ffmpeg("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10", "-t", "1", "-c:v", "mpeg4",
        mp4v.toString());
    Cli.Run run = Cli.run("remux", mp4v.toString(), dir.resolve("out.mp4").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(run.stderr.startsWith("livemux: " + mp4v + ": track 1 has sample entry 'mp4v': livemux reads H.264"),
        run.stderr);
    assertEquals(1, run.stderr.split("\n").length, run.stderr);
  }

  @Test
  void remux_ofAnFlvWithABadPacketType_failsNamingTheFileAndTheTagOffset() throws IOException {
    byte[] flv = Files.readAllBytes(Sources.flv(4));
    FlvTags tags = FlvTags.read(Sources.flv(4));
    int audio = -1;
    int video = -1;
    for (int i = 10; i < tags.tags.size() && (audio < 0 || video < 0); i++) {
      if (tags.tags.get(i).type == FlvTags.AUDIO && audio < 0) {
        audio = i;
      } else if (tags.tags.get(i).isVideoFrame() && video < 0) {
        video = i;
      }
    }
    String[] expected = {
      "FLV: audio tag at offset %d: AACPacketType 5 is not 0 or 1",
      "FLV: video tag at offset %d: AVCPacketType 7 is not 0, 1 or 2",
    };
    int[] index = {audio, video};
    for (int k = 0; k < 2; k++) {
      byte[] damaged = flv.clone();
      int at = FlvTags.tagOffset(damaged, index[k]);
      damaged[at + 11 + 1] = (byte) (k == 0 ? 5 : 7); // AACPacketType / AVCPacketType follows the first body byte
      Path file = dir.resolve("damaged-" + k + ".flv");
      Files.write(file, damaged);
      Cli.Run run = Cli.run("remux", file.toString(), dir.resolve("out.mp4").toString());
      assertEquals(1, run.exitCode, run.toString());
      assertEquals("livemux: " + file + ": " + String.format(expected[k], at) + "\n", run.stderr);
    }
  }

  static void assertSameFrames(Path source, Path out) throws IOException {
    List<String> video = Sources.frames(source, "0:v");
    List<String> audio = Sources.frames(source, "0:a");
    assertTrue(video.size() >= 90 && audio.size() >= 150, video.size() + " / " + audio.size());
    assertEquals(video, Sources.frames(out, "0:v"), "video frames of " + out);
    assertEquals(audio, Sources.frames(out, "0:a"), "audio frames of " + out);
  }

  /**
   * Every video packet is presented when the source presented it, to the millisecond, counted from
   * the file's start (the earliest stream's first time: an MP4 starts at 0 where an FLV may not,
   * as ffmpeg's own remux does too).
   */
  static void assertSamePresentationTimes(Path source, Path out) throws IOException {
    List<Double> theirs = ptsTimes(source);
    List<Double> ours = ptsTimes(out);
    assertEquals(theirs.size(), ours.size());
    for (int i = 0; i < theirs.size(); i++) {
      assertEquals(theirs.get(i), ours.get(i), 0.0011, "video packet " + i + " pts");
    }
  }

  private static List<Double> ptsTimes(Path file) throws IOException {
    double start = Double.parseDouble(Peers.ffprobe("-show_entries", "format=start_time", "-of", "csv=p=0",
        file.toString()).trim());
    List<Double> times = new ArrayList<>();
    for (String line : Peers.ffprobe("-select_streams", "v", "-show_entries", "packet=pts_time", "-of", "csv=p=0",
        file.toString()).split("\n")) {
      if (!line.isBlank()) {
        times.add(Double.parseDouble(line.trim()) - start);
      }
    }
    return times;
  }

  @Test
  void remux_ofDecodeTimeGoingBack_failsNamingIt_deletesItsOwnOutput_andKeepsAFileItHadNotReplaced()
      throws IOException {
    FlvTags flv = FlvTags.read(Sources.flv(4));
    List<FlvTags.Tag> frames = new ArrayList<>();
    for (FlvTags.Tag t : flv.tags) {
      if (t.isVideoFrame()) {
        frames.add(t);
      }
    }
    frames.get(60).timestampMs = frames.get(59).timestampMs - 200; // late in the file: fragments exist
    Path damaged = dir.resolve("damaged.flv");
    flv.write(damaged);

    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", damaged.toString(), out.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(run.stderr.contains("decode time went backwards"), run.stderr);
    assertTrue(run.stderr.contains("livemux inspect"), run.stderr);
    assertFalse(Files.exists(out), "the half-written output is deleted");

    // --faststart writes the named file only at the end: a file already there is left alone.
    byte[] before = "someone's file".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(out, before);
    run = Cli.run("remux", damaged.toString(), out.toString(), "--faststart");
    assertEquals(1, run.exitCode, run.toString());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out)), "the existing file was changed");
    assertFalse(Files.exists(Remuxer.partialPath(out)), "the partial file is deleted");
  }

}
