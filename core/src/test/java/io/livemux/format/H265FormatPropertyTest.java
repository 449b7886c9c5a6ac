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

class H265FormatPropertyTest {
  @Property
  void fromAnnexB_randomBytes_givesAFormatOrLivemuxException(@ForAll("randomStreams") byte[] data) {
    check(Fuzz.parsesOrRejects(() -> H265Format.fromAnnexB(ByteBuffer.wrap(data))));
  }

  @Property
  void fromAnnexB_mutatedRealStream_givesAFormatOrLivemuxException(
      @ForAll("mutatedStreams") byte[] data) {
    check(Fuzz.parsesOrRejects(() -> H265Format.fromAnnexB(ByteBuffer.wrap(data))));
  }

  @Property
  void fromHvcC_mutatedRealRecord_givesAFormatOrLivemuxException(
      @ForAll("mutatedRecords") byte[] data) {
    check(Fuzz.parsesOrRejects(() -> H265Format.fromHvcC(ByteBuffer.wrap(data))));
  }

  /** A format that came out must survive its own hvcC, and have a picture. */
  private static void check(H265Format format) {
    if (format != null) {
      assertEquals(format, Fuzz.bounded(() -> H265Format.fromHvcC(format.hvcC())));
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
            Fuzz.bytesAfter(new byte[] {0, 0, 1, 0x40, 0x01}, 20),
            Fuzz.bytesAfter(new byte[] {0, 0, 1, 0x42, 0x01}, 40),
            Fuzz.bytesAfter(new byte[] {0, 0, 1, 0x44, 0x01}, 10),
            Fuzz.bytesAfter(new byte[] {0, 0, 0, 1, 0x26, 0x01}, 10));
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
                RealParameterSets.X265_MAIN_VPS, RealParameterSets.X265_MAIN_SPS,
                RealParameterSets.X265_PPS, RealParameterSets.X265_IDR_PREFIX),
            annexB(
                RealParameterSets.X265_HRD_VPS, RealParameterSets.X265_HRD_SPS,
                RealParameterSets.X265_PPS, RealParameterSets.X265_IDR_PREFIX)));
  }

  /** ffmpeg's record, and the same record with one array's type changed (so it lacks one). */
  @Provide
  Arbitrary<byte[]> mutatedRecords() {
    byte[] noVps = RealParameterSets.FFMPEG_HVCC.clone();
    noVps[23] = (byte) 0xa7; // VPS array becomes a prefix SEI array
    byte[] noSps = RealParameterSets.FFMPEG_HVCC.clone();
    noSps[23 + 3 + 2 + 24] = (byte) 0xa7; // the SPS array's type byte
    return Fuzz.mutationsOf(List.of(RealParameterSets.FFMPEG_HVCC, noVps, noSps));
  }
}
