package io.livemux.format;

import static io.livemux.codec.EncodedStreams.annexB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.Fuzz;
import io.livemux.codec.RealParameterSets;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class H264FormatPropertyTest {
  @Property
  void fromAnnexB_randomBytes_givesAFormatOrLivemuxException(@ForAll("randomStreams") byte[] data) {
    check(Fuzz.parsesOrRejects(() -> H264Format.fromAnnexB(ByteBuffer.wrap(data))));
  }

  @Property
  void fromAnnexB_mutatedRealStream_givesAFormatOrLivemuxException(
      @ForAll("mutatedStreams") byte[] data) {
    check(Fuzz.parsesOrRejects(() -> H264Format.fromAnnexB(ByteBuffer.wrap(data))));
  }

  @Property
  void fromAvcC_mutatedRealRecord_givesAFormatOrLivemuxException(
      @ForAll("mutatedRecords") byte[] data) {
    check(Fuzz.parsesOrRejects(() -> H264Format.fromAvcC(ByteBuffer.wrap(data))));
  }

  /** A format that came out must survive its own avcC, and have a picture. */
  private static void check(H264Format format) {
    if (format != null) {
      assertEquals(format, Fuzz.bounded(() -> H264Format.fromAvcC(format.avcC())));
      assertTrue(format.width() >= 1 && format.height() >= 1, format.toString());
    }
  }

  /** Random chunks, most after a start code, with NAL headers of the interesting types. */
  @Provide
  Arbitrary<byte[]> randomStreams() {
    Arbitrary<byte[]> chunk =
        Arbitraries.oneOf(
            Fuzz.bytes(30),
            Fuzz.bytesAfter(new byte[] {0, 0, 1}, 3), // tiny and empty NAL units
            Fuzz.bytesAfter(new byte[] {0, 0, 1, 0x67}, 30),
            Fuzz.bytesAfter(new byte[] {0, 0, 1, 0x68}, 10),
            Fuzz.bytesAfter(new byte[] {0, 0, 0, 1, 0x65}, 10));
    return chunk.list().ofMaxSize(8).map(chunks -> {
      byte[] out = new byte[0];
      for (byte[] c : chunks) {
        out = Fuzz.concat(out, c);
      }
      return out;
    });
  }

  @Provide
  Arbitrary<byte[]> mutatedStreams() {
    return Fuzz.mutationsOf(
        List.of(
            annexB(
                RealParameterSets.X264_HIGH_HRD_SPS, RealParameterSets.X264_HIGH_CQM_PPS,
                RealParameterSets.X264_IDR_PREFIX),
            annexB(
                RealParameterSets.X264_BASELINE_SPS, RealParameterSets.X264_BASELINE_PPS,
                RealParameterSets.X264_HIGH444_10_SPS, RealParameterSets.X264_HIGH444_10_PPS,
                RealParameterSets.X264_IDR_PREFIX)));
  }

  /** ffmpeg's record, and records with only a PPS or only an SPS, which parse as records. */
  @Provide
  Arbitrary<byte[]> mutatedRecords() {
    byte[] sps = RealParameterSets.X264_BASELINE_SPS;
    byte[] pps = RealParameterSets.X264_BASELINE_PPS;
    byte[] ppsOnly = Fuzz.concat(new byte[] {1, 66, (byte) 0xc0, 13, -1, (byte) 0xe0, 1, 0, 5}, pps);
    byte[] spsOnly =
        Fuzz.concat(
            Fuzz.concat(new byte[] {1, 66, (byte) 0xc0, 13, -1, (byte) 0xe1, 0, (byte) sps.length},
                sps),
            new byte[] {0});
    return Fuzz.mutationsOf(List.of(RealParameterSets.FFMPEG_AVCC, ppsOnly, spsOnly));
  }
}
