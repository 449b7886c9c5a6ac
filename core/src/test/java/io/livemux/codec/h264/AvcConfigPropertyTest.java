package io.livemux.codec.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.LivemuxException;
import io.livemux.codec.Fuzz;
import io.livemux.codec.RealParameterSets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AvcConfigPropertyTest {
  @Property
  void parse_validRecord_writesTheSameBytesBackAndRoundTrips(@ForAll("validRecords") byte[] record)
      throws LivemuxException {
    AvcConfig config = AvcConfig.parse(ByteBuffer.wrap(record));

    assertArrayEquals(record, config.toBytes());
    AvcConfig again = AvcConfig.parse(ByteBuffer.wrap(config.toBytes()));
    assertEquals(config, again);
    assertEquals(config.hashCode(), again.hashCode());
  }

  @Property
  void parse_randomBytes_givesARecordThatRoundTripsOrLivemuxException(
      @ForAll("randomRecords") byte[] data) {
    checkRoundTrip(Fuzz.parsesOrRejects(() -> AvcConfig.parse(ByteBuffer.wrap(data))));
  }

  @Property
  void parse_mutatedRealRecord_givesARecordThatRoundTripsOrLivemuxException(
      @ForAll("mutatedRecords") byte[] data) {
    checkRoundTrip(Fuzz.parsesOrRejects(() -> AvcConfig.parse(ByteBuffer.wrap(data))));
  }

  private static void checkRoundTrip(AvcConfig config) {
    if (config != null) {
      assertEquals(
          config, Fuzz.bounded(() -> AvcConfig.parse(ByteBuffer.wrap(config.toBytes()))));
    }
  }

  @Provide
  Arbitrary<byte[]> randomRecords() {
    return Arbitraries.oneOf(Fuzz.bytes(64), Fuzz.bytesAfter(new byte[] {1}, 200));
  }

  @Provide
  Arbitrary<byte[]> mutatedRecords() throws LivemuxException {
    byte[] high444 =
        AvcConfig.of(
                List.of(ByteBuffer.wrap(RealParameterSets.X264_HIGH444_10_SPS)),
                List.of(ByteBuffer.wrap(RealParameterSets.X264_HIGH444_10_PPS)))
            .toBytes();
    byte[] baseline =
        AvcConfig.of(
                List.of(ByteBuffer.wrap(RealParameterSets.X264_BASELINE_SPS)),
                List.of(ByteBuffer.wrap(RealParameterSets.X264_BASELINE_PPS)))
            .toBytes();
    return Fuzz.mutationsOf(List.of(RealParameterSets.FFMPEG_AVCC, high444, baseline));
  }

  /** Records as 5.3.3.1 writes them, reserved bits set, NAL units of the right types. */
  @Provide
  Arbitrary<byte[]> validRecords() {
    Arbitrary<Integer> profile =
        Arbitraries.oneOf(
            Arbitraries.of(66, 77, 88, 100, 110, 122, 244), Arbitraries.integers().between(0, 255));
    Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
    Arbitrary<Integer> lengthSizeMinusOne = Arbitraries.of(0, 1, 3);
    Arbitrary<byte[]> ext =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 6),
                nalUnits(13, 3))
            .as(
                (chroma, luma, chromaDepth, nals) -> {
                  ByteArrayOutputStream out = new ByteArrayOutputStream();
                  out.write(0xFC | chroma);
                  out.write(0xF8 | luma);
                  out.write(0xF8 | chromaDepth);
                  out.write(nals.size());
                  writeNalUnits(out, nals);
                  return out.toByteArray();
                })
            .injectNull(0.3);
    return Combinators.combine(
            profile, u8, u8, lengthSizeMinusOne, nalUnits(7, 4), nalUnits(8, 4), ext)
        .as(
            (p, compatibility, level, lengthSize, sps, pps, extension) -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.write(1);
              out.write(p);
              out.write(compatibility);
              out.write(level);
              out.write(0xFC | lengthSize);
              out.write(0xE0 | sps.size());
              writeNalUnits(out, sps);
              out.write(pps.size());
              writeNalUnits(out, pps);
              if (extension != null && p != 66 && p != 77 && p != 88) {
                out.writeBytes(extension);
              }
              return out.toByteArray();
            });
  }

  /** Up to {@code max} NAL units of {@code type}, 1 to 40 bytes, any nal_ref_idc. */
  private static Arbitrary<List<byte[]>> nalUnits(int type, int max) {
    return Combinators.combine(
            Arbitraries.integers().between(0, 7), Fuzz.bytes(39))
        .as((high, tail) -> Fuzz.concat(new byte[] {(byte) (high << 5 | type)}, tail))
        .list()
        .ofMaxSize(max);
  }

  private static void writeNalUnits(ByteArrayOutputStream out, List<byte[]> nals) {
    for (byte[] nal : nals) {
      out.write(nal.length >> 8);
      out.write(nal.length);
      out.writeBytes(nal);
    }
  }
}
