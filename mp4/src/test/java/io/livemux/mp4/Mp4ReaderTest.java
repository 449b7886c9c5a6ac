package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mp4Reader against mp4parser (a parser we did not write) on ffmpeg's files and on our own. */
class Mp4ReaderTest {
  @TempDir static Path dir;
  static Path ffmpegH264Aac;
  static List<SourceMedia.SourceTrack> source;

  @BeforeAll
  static void makeSource() throws Exception {
    ffmpegH264Aac = dir.resolve("h264-aac.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1",
        ffmpegH264Aac.toString());
    source = SourceMedia.read(ffmpegH264Aac);
  }

  @Test
  void ffmpegProgressiveH264WithBFramesAndAac_readsAsMp4parserDoes() throws Exception {
    List<List<Sample>> read = ReadBack.samples(ffmpegH264Aac);
    assertTrue(read.get(0).get(0).format() instanceof H264Format);
    assertTrue(read.get(1).get(0).format() instanceof AacFormat);
    assertEquals(90, read.get(0).size());
    ReadBack.assertSameSamples(source, read, /* exactTimes= */ true, /* lastDuration= */ true);
    ReadBack.assertSameAsFfprobe(ffmpegH264Aac, read);
    // ffmpeg's edit list hides the AAC encoder's 1024 priming samples: kept as the format's delay,
    // so that the first access unit is where the first real sample plays, as the video starts
    assertEquals(1024, ((AacFormat) read.get(1).get(0).format()).encoderDelaySamples());
    assertEquals(0, read.get(1).get(0).presentationTimeTicks());
    assertEquals(0, read.get(0).stream().mapToLong(Sample::presentationTimeTicks).min().getAsLong());
    try (Mp4Reader reader = Mp4Reader.open(ffmpegH264Aac)) {
      assertFalse(reader.isFragmented());
      assertEquals(source.get(0).format, reader.format(0));
      assertEquals(source.get(1).format, reader.format(1));
    }
  }

  @Test
  void ffmpegHevc_readsAsMp4parserDoes() throws Exception {
    Path hevc = dir.resolve("hevc.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=256x144:rate=25", "-t", "1",
        "-c:v", "libx265", "-x265-params", "log-level=error:bframes=2:keyint=10", "-tag:v", "hvc1",
        "-pix_fmt", "yuv420p", hevc.toString());
    List<List<Sample>> read = ReadBack.samples(hevc);
    assertTrue(read.get(0).get(0).format() instanceof H265Format);
    ReadBack.assertSameSamples(SourceMedia.read(hevc), read, true, true);
    ReadBack.assertSameAsFfprobe(hevc, read);
  }

  @Test
  void ffmpegFragmented_readsAsMp4parserDoes() throws Exception {
    Path frag = dir.resolve("ffmpeg-frag.mp4");
    Peers.ffmpeg("-i", ffmpegH264Aac.toString(), "-c", "copy",
        "-movflags", "frag_keyframe+empty_moov+default_base_moof", frag.toString());
    List<List<Sample>> read = ReadBack.samples(frag);
    try (Mp4Reader reader = Mp4Reader.open(frag)) {
      assertTrue(reader.isFragmented());
      assertTrue(reader.fragmentCount() >= 6, "fragments: " + reader.fragmentCount());
    }
    // mp4parser ignores the first audio sample's own duration here (ffmpeg and we read 2940 ticks),
    // so it is the oracle for payloads and flags, and ffprobe for times.
    ReadBack.assertSameAsFfprobe(frag, read);
    for (int t = 0; t < 2; t++) {
      List<Sample> expected = SourceMedia.read(frag).get(t).samples;
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(ReadBack.bytes(expected.get(i)), ReadBack.bytes(read.get(t).get(i)));
        assertEquals(expected.get(i).isSync(), read.get(t).get(i).isSync());
      }
      assertEquals(expected.size(), read.get(t).size());
    }
  }

  @Test
  void ourFinalizedFile_readsAsMp4parserDoes_andHoldsWhatWasRecorded() throws Exception {
    Path out = dir.resolve("ours-final.mp4");
    Mp4RecorderTest.record(source, out, Mp4Options.defaults().withFragmentDurationUs(500_000));
    List<List<Sample>> read = ReadBack.samples(out);
    try (Mp4Reader reader = Mp4Reader.open(out)) {
      assertFalse(reader.isFragmented(), "a finalized file is read from its sample tables");
    }
    ReadBack.assertSameSamples(SourceMedia.read(out), read, true, true);
    ReadBack.assertSameAsFfprobe(out, read);
    ReadBack.assertSameSamples(source, read, false, false);
  }

  @Test
  void ourFragmentedFile_readsAsMp4parserDoes_andHoldsWhatWasRecorded() throws Exception {
    Path out = dir.resolve("ours-frag.mp4");
    Mp4RecorderTest.record(source, out,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(500_000));
    List<List<Sample>> read = ReadBack.samples(out);
    try (Mp4Reader reader = Mp4Reader.open(out)) {
      assertTrue(reader.isFragmented());
      assertEquals(6, reader.fragmentCount());
    }
    // mp4parser ignores tfdt (it starts every track at 0), so times are checked against ffprobe.
    ReadBack.assertSameSamples(SourceMedia.read(out), read, false, true);
    ReadBack.assertSameAsFfprobe(out, read);
    ReadBack.assertSameSamples(source, read, false, false);
  }

  @Test
  void cutRecording_ignoresTheUnpublishedFragment_andTheTruncatedBox() throws Exception {
    Path out = dir.resolve("ours-cut.mp4");
    Mp4RecorderTest.record(source, out,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(500_000));
    List<long[]> moofs = Fragments.of(out);
    int complete;
    try (Mp4Reader reader = Mp4Reader.open(out)) {
      complete = reader.fragmentCount();
    }
    // The last fragment as it was before its publication: moof typed 'free'.
    long[] last = moofs.get(moofs.size() - 1);
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), last[0] + 4);
      ch.truncate(last[2] + 3); // and a few bytes of a next box
    }
    try (Mp4Reader reader = Mp4Reader.open(out)) {
      assertEquals(complete - 1, reader.fragmentCount());
    }
    List<List<Sample>> read = ReadBack.samples(out);
    ReadBack.assertSameTrack(0, source.get(0).samples, read.get(0), (int) (source.get(0).samples.size() - last[3]),
        false, false);
  }

  @Test
  void unsupportedCodec_isRefused_namingTheSampleEntry() throws Exception {
    Path mpeg4 = dir.resolve("mpeg4.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t", "0.5", "-c:v", "mpeg4", mpeg4.toString());
    Mp4Exception e = assertThrows(Mp4Exception.class, () -> Mp4Reader.open(mpeg4));
    assertTrue(e.getMessage().contains("'mp4v'"), e.getMessage());
  }

  @Test
  void fileWithoutMoov_isRefused() throws Exception {
    Path junk = dir.resolve("junk.mp4");
    Files.write(junk, new byte[] {0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 0, 0, 1, 2, 3});
    Mp4Exception e = assertThrows(Mp4Exception.class, () -> Mp4Reader.open(junk));
    assertTrue(e.getMessage().contains("no complete 'moov'"), e.getMessage());
  }

  @Test
  void sample_beforeAdvance_throwsIllegalState() throws Exception {
    try (Mp4Reader reader = Mp4Reader.open(ffmpegH264Aac)) {
      assertThrows(IllegalStateException.class, reader::sample);
      assertEquals(-1, reader.track());
    }
  }
}
