package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;

class Mp4RecoveryTest {
  @TempDir static Path dir;
  static List<SourceMedia.SourceTrack> source;
  static Path fragmented;

  @BeforeAll
  static void record() throws Exception {
    Path mp4 = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "10", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2",
        mp4.toString());
    source = SourceMedia.read(mp4);
    fragmented = dir.resolve("fragmented.mp4");
    Mp4RecorderTest.record(source, fragmented,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(300_000));
  }

  static List<String> topLevelTypes(Path file) throws IOException {
    List<String> types = new ArrayList<>();
    try (IsoFile iso = new IsoFile(file.toString())) {
      for (Box b : iso.getBoxes()) {
        types.add(b.getType());
      }
    }
    return types;
  }

  /** Asserts what every recovered file must be: finalized, decodable without a word from ffmpeg. */
  static void assertCleanFinalized(Path recovered, Mp4Result result) throws IOException {
    assertTrue(result.isFinalized(), result.toString());
    assertEquals(List.of("ftyp", "mdat", "moov"), topLevelTypes(recovered));
    Mp4RecorderTest.assertDecodesWithoutError(recovered);
  }

  /** {@code file} cut at {@code length} bytes, with the moof at {@code unpublishedMoof} typed 'free' (if >= 0). */
  static Path cut(Path file, Path to, long length, long unpublishedMoof) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      in.transferTo(0, length, out);
      if (unpublishedMoof >= 0) {
        out.write(ByteBuffer.wrap("free".getBytes(StandardCharsets.US_ASCII)), unpublishedMoof + 4);
      }
    }
    return to;
  }

  @Test
  void cutRecording_recoversEveryPublishedFragment_intoACleanFinalizedFile_leavingTheInputAlone()
      throws Exception {
    List<long[]> fragments = Fragments.of(fragmented);
    long[] published = fragments.get(4);
    long[] unpublished = fragments.get(5); // complete on disk, killed before its moof was retyped
    long[] torn = fragments.get(6);
    Path input = cut(fragmented, dir.resolve("cut.mp4"), torn[0] + torn[1] + 100, unpublished[0]);
    byte[] before = Files.readAllBytes(input);

    Path recovered = dir.resolve("recovered.mp4");
    Mp4Result result = Mp4Recovery.recover(input, recovered);

    assertCleanFinalized(recovered, result);
    assertArrayEquals(before, Files.readAllBytes(input), "the input is never changed");
    long videoSamples = 0;
    long audioSamples = 0;
    for (long[] f : fragments.subList(0, 5)) {
      videoSamples += f[3];
      audioSamples += f[4];
    }
    assertEquals(videoSamples, result.tracks().get(0).sampleCount());
    assertEquals(audioSamples, result.tracks().get(1).sampleCount());
    assertTrue(published[2] <= input.toFile().length());
    List<List<Sample>> read = ReadBack.samples(recovered);
    ReadBack.assertSameTrack(0, source.get(0).samples, read.get(0), (int) videoSamples, false, false);
    ReadBack.assertSameTrack(1, source.get(1).samples, read.get(1), (int) audioSamples, false, false);
    assertEquals(Mp4RecorderTest.decodedFrames(input, "0:v"), Mp4RecorderTest.decodedFrames(recovered, "0:v"));
  }

  @Test
  void finalizedFile_recoversToAnEquivalentFinalizedCopy() throws Exception {
    Path finalized = dir.resolve("finalized.mp4");
    Mp4RecorderTest.record(source, finalized, Mp4Options.defaults());
    Path copy = dir.resolve("copy.mp4");
    Mp4Result result = Mp4Recovery.recover(finalized, copy);
    assertCleanFinalized(copy, result);
    List<List<Sample>> original = ReadBack.samples(finalized);
    List<List<Sample>> recovered = ReadBack.samples(copy);
    for (int t = 0; t < 2; t++) {
      ReadBack.assertSameTrack(t, original.get(t), recovered.get(t), original.get(t).size(), true, true);
    }
    assertEquals(Mp4RecorderTest.decodedFrames(finalized, "0:v"), Mp4RecorderTest.decodedFrames(copy, "0:v"));
    assertEquals(Mp4RecorderTest.decodedFrames(finalized, "0:a"), Mp4RecorderTest.decodedFrames(copy, "0:a"));
  }

  @Test
  void fileCutInsideItsHeader_isNothingToRecover() throws Exception {
    List<long[]> fragments = Fragments.of(fragmented);
    Path input = cut(fragmented, dir.resolve("header-cut.mp4"), fragments.get(0)[0] - 1, -1);
    Path output = dir.resolve("never.mp4");
    Mp4Exception e = assertThrows(Mp4Exception.class, () -> Mp4Recovery.recover(input, output));
    assertTrue(e.getMessage().startsWith("nothing to recover in "), e.getMessage());
    assertTrue(Files.notExists(output), "no output for nothing");
  }

  @Test
  void recoveringAFileOntoItself_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Mp4Recovery.recover(fragmented, fragmented));
    assertThrows(IllegalArgumentException.class,
        () -> Mp4Recovery.recover(fragmented, fragmented.getParent().resolve(".").resolve(fragmented.getFileName())));
  }
}
