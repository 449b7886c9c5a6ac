package io.livemux.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.Fuzz;
import io.livemux.format.MediaFormat;
import io.livemux.rtmp.Rejects;
import io.livemux.rtmp.flv.FlvFiles.Written;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * FlvWriter → FlvReader identity on random streams (B-frame composition offsets, timestamps past
 * 2^24 ms, H.264 and H.265, several timescales), crash truncation, chunked decoding, and every
 * decoder on random and mutated bytes.
 */
class FlvProperties {
  /** A generated stream: its tracks and samples in write order. */
  static final class Stream {
    final List<MediaFormat> tracks;
    final List<Written> samples;
    final int timescale;

    Stream(List<MediaFormat> tracks, List<Written> samples, int timescale) {
      this.tracks = tracks;
      this.samples = samples;
      this.timescale = timescale;
    }

    @Override
    public String toString() {
      return tracks + " @" + timescale + ": " + samples.size() + " samples, first "
          + (samples.isEmpty() ? "-" : samples.get(0).sample);
    }
  }

  @Property(tries = 150)
  void writeThenRead_givesTheSamplesBack_withTimesInMsByTheDocumentedRule(
      @ForAll("streams") Stream stream) throws IOException {
    byte[] flv = FlvFiles.write(stream.tracks, stream.samples, FlvWriterOptions.defaults());
    List<Sample> read = FlvFiles.read(flv);
    assertEquals(stream.samples.size(), read.size(), "sample count");
    boolean past24 = false;
    boolean reordered = false;
    for (int i = 0; i < read.size(); i++) {
      Sample in = stream.samples.get(i).sample;
      Sample out = read.get(i);
      String where = "sample " + i + ": " + in + " -> " + out;
      assertEquals(in.format(), out.format(), where);
      assertEquals(1000, out.timescale(), where);
      assertEquals(ms(in.decodeTimeTicks(), in.timescale()), out.decodeTimeTicks(), where);
      assertEquals(ms(in.presentationTimeTicks(), in.timescale()), out.presentationTimeTicks(), where);
      assertEquals(in.isSync(), out.isSync(), where);
      assertArrayEquals(FlvFiles.payload(in), FlvFiles.payload(out), where);
      past24 |= out.decodeTimeTicks() >= 1 << 24;
      reordered |= out.compositionOffsetTicks() != 0;
    }
    Statistics.label("timestamps").collect(past24 ? "past 2^24 ms" : "below 2^24 ms");
    Statistics.label("composition").collect(reordered ? "B-frame offsets" : "none");
  }

  /** The documented rule, computed independently: round half up of ticks * 1000 / timescale. */
  private static long ms(long ticks, int timescale) {
    return BigDecimal.valueOf(ticks).multiply(BigDecimal.valueOf(1000))
        .divide(BigDecimal.valueOf(timescale), 0, RoundingMode.HALF_UP).longValueExact();
  }

  @Property(tries = 60)
  void aFileCutAnywhere_readsAsAPrefixOfItsSamples(
      @ForAll("streams") Stream stream, @ForAll @IntRange(min = 0, max = 1_000_000) int cutSeed)
      throws IOException {
    byte[] flv = FlvFiles.write(stream.tracks, stream.samples, FlvWriterOptions.defaults());
    List<Sample> all = FlvFiles.read(flv);
    int cut = 9 + cutSeed % (flv.length - 9 + 1);
    List<Sample> prefix = FlvFiles.read(Arrays.copyOf(flv, cut));
    assertTrue(prefix.size() <= all.size());
    for (int i = 0; i < prefix.size(); i++) {
      assertEquals(all.get(i).decodeTimeTicks(), prefix.get(i).decodeTimeTicks());
      assertArrayEquals(FlvFiles.payload(all.get(i)), FlvFiles.payload(prefix.get(i)));
    }
    // Only the last tag can be lost: the sample tag in progress at the cut.
    assertTrue(prefix.size() >= all.size() - countTagsFrom(flv, cut), "lost more than the cut tag");
  }

  /** How many tags start at or after {@code cut} or straddle it. */
  private static int countTagsFrom(byte[] flv, int cut) {
    int tags = 0;
    int at = 13;
    while (at + 11 <= flv.length) {
      int size = (flv[at + 1] & 0xFF) << 16 | (flv[at + 2] & 0xFF) << 8 | (flv[at + 3] & 0xFF);
      int end = at + 11 + size;
      if (end > cut) {
        tags++;
      }
      at = end + 4;
    }
    return tags;
  }

  @Property(tries = 100)
  void tagDecoder_givesTheSameTags_whateverTheChunking(
      @ForAll("streams") Stream stream, @ForAll("chunkSizes") List<Integer> chunks) throws Exception {
    byte[] flv = FlvFiles.write(stream.tracks, stream.samples, FlvWriterOptions.defaults());
    List<String> whole = tags(flv, List.of(flv.length));
    assertEquals(whole, tags(flv, chunks));
  }

  private static List<String> tags(byte[] flv, List<Integer> chunks) throws Exception {
    FlvTagDecoder decoder = new FlvTagDecoder(FlvLimits.defaults());
    List<String> out = new ArrayList<>();
    int at = 0;
    int k = 0;
    while (at < flv.length) {
      int n = Math.min(chunks.get(k++ % chunks.size()), flv.length - at);
      ByteBuffer chunk = ByteBuffer.wrap(flv, at, n);
      for (FlvTag tag = decoder.decode(chunk); tag != null; tag = decoder.decode(chunk)) {
        out.add(tag.type() + "@" + tag.timestampMs() + ":" + tag.body().hashCode());
      }
      assertEquals(0, chunk.remaining());
      at += n;
    }
    assertTrue(decoder.isAtTagBoundary());
    return out;
  }

  @Property(tries = 500)
  void videoPackets_encodeThenDecode_isIdentity(@ForAll("videoPackets") FlvVideoPacket packet)
      throws Exception {
    FlvVideoPacket back =
        new FlvPacketDecoder(FlvLimits.defaults()).video(FlvPacketEncoder.video(packet));
    assertEquals(packet.toString(), back.toString()); // codec, form, type, frame type, time, size
    assertEquals(packet.data(), back.data());
  }

  @Provide
  Arbitrary<FlvVideoPacket> videoPackets() {
    return Combinators.combine(
            Arbitraries.of(FlvVideoPacket.Codec.values()),
            Arbitraries.of(true, false),
            Arbitraries.of(FlvVideoPacket.Type.SEQUENCE_START, FlvVideoPacket.Type.CODED_FRAMES,
                FlvVideoPacket.Type.SEQUENCE_END),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(-(1 << 23), (1 << 23) - 1),
            Fuzz.bytes(20))
        .as((codec, enhanced, type, frameType, cts, data) ->
            FlvVideoPacket.of(codec, enhanced || codec != FlvVideoPacket.Codec.AVC, type, frameType,
                type == FlvVideoPacket.Type.CODED_FRAMES && codec != FlvVideoPacket.Codec.AV1 ? cts : 0,
                ByteBuffer.wrap(data)));
  }

  @Property(tries = 300)
  void reader_onRandomBytesAfterAHeader_endsOrFailsWithRtmpException(
      @ForAll("bytesAfterHeader") byte[] data) {
    Rejects.decodesOrRejects(() -> FlvFiles.read(data));
  }

  @Property(tries = 1500)
  void reader_onMutatedFiles_endsOrFailsWithRtmpException(@ForAll("mutatedFiles") byte[] data) {
    Rejects.decodesOrRejects(() -> FlvFiles.read(data));
  }

  @Property(tries = 500)
  void packetDecoders_onRandomBytes_decodeOrFailWithRtmpException(@ForAll("packetBytes") byte[] data) {
    FlvPacketDecoder decoder = new FlvPacketDecoder(FlvLimits.defaults());
    Rejects.decodesOrRejects(() -> String.valueOf(decoder.video(ByteBuffer.wrap(data))));
    Rejects.decodesOrRejects(() -> decoder.audio(ByteBuffer.wrap(data)));
    Rejects.decodesOrRejects(() -> decoder.script(ByteBuffer.wrap(data)));
  }

  @Provide
  Arbitrary<byte[]> bytesAfterHeader() {
    return Fuzz.bytesAfter(FlvPacketsTest.hex("464c5601 05 00000009 00000000"), 300);
  }

  @Provide
  Arbitrary<byte[]> packetBytes() {
    Arbitrary<byte[]> first = Arbitraries.of(0x17, 0x27, 0x57, 0x90, 0x91, 0x93, 0x97, 0x96, 0xAF, 0x2F, 0xD1)
        .map(b -> new byte[] {(byte) (int) b});
    return Combinators.combine(first, Fuzz.bytes(40)).as(Fuzz::concat);
  }

  @Provide
  Arbitrary<List<Integer>> chunkSizes() {
    return Arbitraries.integers().between(1, 64).list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<byte[]> mutatedFiles() {
    List<byte[]> seeds = new ArrayList<>();
    try {
      for (MediaFormat video : Arrays.<MediaFormat>asList(FlvFiles.H264, FlvFiles.H265)) {
        List<Written> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          samples.add(new Written(0, Sample.builder(video).timescale(1000).decodeTimeTicks(i * 40L)
              .presentationTimeTicks(i * 40L + 80).flags(i == 0 ? Sample.FLAG_SYNC : 0)
              .payload(ByteBuffer.wrap(new byte[] {0, 0, 0, 2, 0x65, (byte) i})).build()));
          samples.add(new Written(1, Sample.builder(FlvFiles.AAC).timescale(1000)
              .presentationTimeTicks(i * 21L).payload(ByteBuffer.wrap(new byte[] {0x21, (byte) i})).build()));
        }
        seeds.add(FlvFiles.write(Arrays.asList(video, FlvFiles.AAC), samples, FlvWriterOptions.defaults()));
      }
    } catch (IOException e) {
      FlvFiles.unchecked(e);
    }
    return Fuzz.mutationsOf(seeds);
  }

  @Provide
  Arbitrary<Stream> streams() {
    Arbitrary<Integer> timescales = Arbitraries.of(1000, 90_000, 48_000, 30);
    Arbitrary<MediaFormat> videos = Arbitraries.of(FlvFiles.H264, FlvFiles.H265);
    // Start times in ms: from zero, just below 2^24 (crossing into the extended byte), up high.
    Arbitrary<Long> startsMs =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.longs().between(0, 1000)),
            Tuple.of(2, Arbitraries.longs().between((1L << 24) - 3000, (1L << 24) + 3000)),
            Tuple.of(1, Arbitraries.longs().between(1L << 24, Integer.MAX_VALUE - 600_000L)));
    Arbitrary<List<int[]>> frames = // {delta 0..100 ms in per-mille of a second, cts 0..500 ms, sync}
        Combinators.combine(
                Arbitraries.integers().between(0, 100),
                Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 500))),
                Arbitraries.integers().between(0, 3))
            .as((d, c, s) -> new int[] {d, c, s})
            .list().ofMaxSize(25);
    Arbitrary<List<Integer>> audioDeltas = Arbitraries.integers().between(0, 64).list().ofMaxSize(25);
    Arbitrary<List<byte[]>> payloads = Fuzz.bytes(48).list().ofSize(50);
    Arbitrary<Integer> layout = Arbitraries.of(0, 1, 2); // video+audio, video only, audio only
    return Combinators.combine(timescales, videos, startsMs, frames, audioDeltas, payloads, layout)
        .as(FlvProperties::stream);
  }

  private static Stream stream(int timescale, MediaFormat video, long startMs, List<int[]> frames,
      List<Integer> audioDeltas, List<byte[]> payloads, int layout) {
    List<MediaFormat> tracks = new ArrayList<>();
    int videoTrack = layout == 2 ? -1 : 0;
    int audioTrack = layout == 1 ? -1 : layout == 2 ? 0 : 1;
    if (videoTrack >= 0) {
      tracks.add(video);
    }
    if (audioTrack >= 0) {
      tracks.add(FlvFiles.AAC);
    }
    long start = startMs * timescale / 1000;
    List<Written> v = new ArrayList<>();
    long dts = start;
    int p = 0;
    for (int[] f : videoTrack < 0 ? List.<int[]>of() : frames) {
      dts += (long) f[0] * timescale / 1000 + (f[0] % 3); // odd tick counts exercise rounding
      long pts = dts + (long) f[1] * timescale / 1000;
      v.add(new Written(videoTrack, Sample.builder(video).timescale(timescale).decodeTimeTicks(dts)
          .presentationTimeTicks(pts).flags(f[2] == 0 ? Sample.FLAG_SYNC : 0)
          .payload(ByteBuffer.wrap(payloads.get(p++ % payloads.size()))).build()));
    }
    List<Written> a = new ArrayList<>();
    long t = start;
    for (int d : audioTrack < 0 ? List.<Integer>of() : audioDeltas) {
      t += (long) d * timescale / 1000;
      a.add(new Written(audioTrack, Sample.builder(FlvFiles.AAC).timescale(timescale)
          .presentationTimeTicks(t).payload(ByteBuffer.wrap(payloads.get(p++ % payloads.size())))
          .build()));
    }
    // Interleave by decode time, as a muxer would.
    List<Written> merged = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < v.size() || j < a.size()) {
      if (j >= a.size() || (i < v.size()
          && v.get(i).sample.decodeTimeTicks() <= a.get(j).sample.decodeTimeTicks())) {
        merged.add(v.get(i++));
      } else {
        merged.add(a.get(j++));
      }
    }
    return new Stream(tracks, merged, timescale);
  }
}
