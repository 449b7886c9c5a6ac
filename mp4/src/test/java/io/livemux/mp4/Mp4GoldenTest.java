package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.codec.RealParameterSets;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden box-tree dumps, one per box kind (exact bytes) and one per end-to-end case (sizes and
 * CRCs), from deterministic synthetic samples: any change in what we write is a visible diff.
 * Regenerate after an intended change with {@code mvn -pl mp4 test -Dtest=Mp4GoldenTest
 * -Dlivemux.goldens=regenerate} and review the diff.
 */
class Mp4GoldenTest {
  @TempDir Path dir;

  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  private static void assertGolden(String name, String actual) throws Exception {
    Path file = GOLDEN.resolve(name);
    if ("regenerate".equals(System.getProperty("livemux.goldens"))) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      throw new AssertionError("no golden " + file + ": run with -Dlivemux.goldens=regenerate\n" + actual);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden " + name);
  }

  /** Video at 30 fps in 90 kHz with I P B B P B B ... (composition offsets), keyframe every 15. */
  private static SourceMedia.SourceTrack video(MediaFormat format, int frames, long seed) {
    Random random = new Random(seed);
    List<Sample> samples = new ArrayList<>();
    for (int n = 0; n < frames; n++) {
      int inGop = n % 15;
      // Decode order I P B B P B B ...: display index of decode index n within the GOP.
      int display = inGop == 0 ? 0 : (inGop % 3 == 1 ? inGop + 2 : inGop - 1);
      long dts = (n - 2) * 3000L;
      long pts = (n - inGop + display) * 3000L;
      byte[] payload = new byte[4 + 100 + random.nextInt(900)];
      random.nextBytes(payload);
      ByteBuffer.wrap(payload).putInt(0, payload.length - 4); // one length-prefixed NAL unit
      samples.add(Sample.builder(format).decodeTimeTicks(dts).presentationTimeTicks(pts).durationTicks(3000)
          .flags(inGop == 0 ? Sample.FLAG_SYNC : (inGop % 3 == 1 ? 0 : Sample.FLAG_DISPOSABLE))
          .payload(ByteBuffer.wrap(payload)).build());
    }
    return new SourceMedia.SourceTrack(format, samples);
  }

  private static SourceMedia.SourceTrack aac(int frames, long seed) {
    Random random = new Random(seed);
    AacFormat format = AacFormat.of(48_000, 2);
    List<Sample> samples = new ArrayList<>();
    for (int n = 0; n < frames; n++) {
      byte[] payload = new byte[150 + random.nextInt(250)];
      random.nextBytes(payload);
      samples.add(Sample.builder(format).presentationTimeTicks(n * 1024L).durationTicks(1024)
          .payload(ByteBuffer.wrap(payload)).build());
    }
    return new SourceMedia.SourceTrack(format, samples);
  }

  private static SourceMedia.SourceTrack pcm(int blocks) {
    PcmFormat format = PcmFormat.s16le(44_100, 1);
    List<Sample> samples = new ArrayList<>();
    for (int n = 0; n < blocks; n++) {
      byte[] block = new byte[882];
      for (int i = 0; i < block.length; i++) {
        block[i] = (byte) (n * 31 + i);
      }
      samples.add(Sample.pcm(format, ByteBuffer.wrap(block), n * 441L));
    }
    return new SourceMedia.SourceTrack(format, samples);
  }

  private String record(String name, List<SourceMedia.SourceTrack> tracks, Mp4Options options) throws Exception {
    Path out = dir.resolve(name + ".mp4");
    Mp4RecorderTest.record(tracks, out, options);
    return BoxDump.of(out);
  }

  @Test
  void h264AndAac_finalized_matchesGolden() throws Exception {
    H264Format h264 = H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    assertGolden("h264-aac-finalized.dump",
        record("a", List.of(video(h264, 90, 1), aac(141, 2)), Mp4Options.defaults()));
  }

  @Test
  void h264AndAac_fragmented_matchesGolden() throws Exception {
    H264Format h264 = H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    assertGolden("h264-aac-fragmented.dump",
        record("b", List.of(video(h264, 90, 3), aac(141, 4)),
            Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(500_000)));
  }

  @Test
  void h265_finalized_matchesGolden() throws Exception {
    H265Format h265 = H265Format.fromHvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_HVCC));
    assertGolden("h265-finalized.dump", record("c", List.of(video(h265, 45, 5)), Mp4Options.defaults()));
  }

  @Test
  void pcm_finalized_matchesGolden() throws Exception {
    assertGolden("pcm-finalized.dump", record("d", List.of(pcm(100)), Mp4Options.defaults()));
  }

  /** Every box kind the writer makes, byte for byte, from fixed arguments. */
  @Test
  void everyBoxKind_matchesGolden() throws Exception {
    H264Format h264 = H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    H265Format h265 = H265Format.fromHvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_HVCC));
    AacFormat aac = AacFormat.of(44_100, 2);
    PcmFormat pcm = PcmFormat.s16le(48_000, 2);
    StringBuilder out = new StringBuilder();
    dump(out, "ftyp", b -> Boxes.ftyp(b));
    dump(out, "placeholder", b -> Boxes.placeholder(b));
    out.append("mdat header: ").append(hex(Boxes.largeMdatHeader(36, 1_000_000))).append('\n');
    dump(out, "mvhd", b -> Boxes.mvhd(b, 12_345, 3));
    dump(out, "tkhd video", b -> Boxes.tkhd(b, 1, h264, 12_345));
    dump(out, "tkhd audio", b -> Boxes.tkhd(b, 2, aac, 12_345));
    dump(out, "edts", b -> Boxes.edts(b, 21, 6000, 4000));
    dump(out, "mdhd", b -> Boxes.mdhd(b, 90_000, 900_000));
    dump(out, "hdlr video", b -> Boxes.hdlr(b, h264));
    dump(out, "hdlr audio", b -> Boxes.hdlr(b, aac));
    dump(out, "vmhd", b -> Boxes.mediaHeader(b, h264));
    dump(out, "smhd", b -> Boxes.mediaHeader(b, aac));
    dump(out, "dinf", b -> Boxes.dinf(b));
    for (MediaFormat f : List.of(h264, h265, aac, pcm)) {
      dump(out, "stsd " + f.mimeType(), b -> Boxes.stsd(b, f));
    }
    dump(out, "mvex", b -> Boxes.mvex(b, 2));
    dump(out, "mfhd", b -> Boxes.mfhd(b, 7));
    dump(out, "tfhd", b -> Boxes.tfhd(b, 2));
    dump(out, "tfdt", b -> Boxes.tfdt(b, 1L << 33));
    FragmentRun run = new FragmentRun(64);
    run.add(0, 6000, Boxes.FLAGS_SYNC, Sample.builder(h264).presentationTimeTicks(0)
        .payload(ByteBuffer.wrap(new byte[10])).build());
    run.setLastDuration(3000);
    run.add(3000, -3000, Boxes.FLAGS_NON_SYNC | Boxes.FLAGS_DISPOSABLE, Sample.builder(h264)
        .presentationTimeTicks(0).payload(ByteBuffer.wrap(new byte[20])).build());
    run.setLastDuration(3000);
    dump(out, "trun", b -> Boxes.trun(b, run, 2));
    // Track 1: a sync sample first, then third, then 300th (a 2-byte sample_number); track 2's
    // traf second in its moof.
    dump(out, "mfra", b -> Boxes.mfra(b, List.of(
        List.of(new long[] {0, 1000, 1, 1}, new long[] {90_000, 50_000, 1, 3}, new long[] {180_000, 90_000, 1, 300}),
        List.of(new long[] {0, 1000, 2, 1}))));
    SampleTable table = new SampleTable();
    table.addSample(100, 3000, 6000, true);
    table.addSample(50, 3000, 0, false);
    table.addSample(60, 3000, 0, false);
    table.addChunk(48, 2, 150);
    table.addChunk(5L << 30, 1, 60); // past 4 GiB: co64
    dump(out, "sample tables", b -> table.writeTables(b));
    assertGolden("boxes.dump", out.toString());
  }

  private interface BoxWrite {
    void write(BoxBuffer b) throws Exception;
  }

  private static void dump(StringBuilder out, String name, BoxWrite write) throws Exception {
    BoxBuffer b = new BoxBuffer(64);
    write.write(b);
    out.append(name).append(": ").append(hex(b.toByteBuffer())).append('\n');
  }

  private static String hex(ByteBuffer bytes) {
    StringBuilder s = new StringBuilder();
    ByteBuffer view = bytes.duplicate();
    while (view.hasRemaining()) {
      s.append(String.format("%02x", view.get()));
    }
    return s.toString();
  }
}
