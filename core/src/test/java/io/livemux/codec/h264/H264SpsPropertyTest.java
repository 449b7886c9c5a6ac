package io.livemux.codec.h264;

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

class H264SpsPropertyTest {
  @Property
  void parse_randomBytes_givesSaneSpsOrLivemuxException(@ForAll("randomNals") byte[] nal) {
    checkSane(Fuzz.parsesOrRejects(() -> H264Sps.parse(ByteBuffer.wrap(nal))));
  }

  @Property
  void parse_mutatedRealSps_givesSaneSpsOrLivemuxException(@ForAll("mutatedSps") byte[] nal) {
    checkSane(Fuzz.parsesOrRejects(() -> H264Sps.parse(ByteBuffer.wrap(nal))));
  }

  @Provide
  Arbitrary<byte[]> randomNals() {
    return Arbitraries.oneOf(
        Fuzz.bytes(64),
        Fuzz.bytesAfter(new byte[] {0x67}, 64),
        Fuzz.bytesAfter(new byte[] {0x67, 100, 0, 40}, 200)); // High: scaling lists reachable
  }

  @Provide
  Arbitrary<byte[]> mutatedSps() {
    return Fuzz.mutationsOf(
        List.of(
            RealParameterSets.X264_HIGH_HRD_SPS,
            RealParameterSets.X264_BASELINE_SPS,
            RealParameterSets.X264_HIGH444_10_SPS,
            H264SpsTest.syntheticHighSps(),
            H264SpsTest.syntheticSeparatePlanesSps()));
  }

  private static void checkSane(H264Sps sps) {
    if (sps == null) {
      return;
    }
    assertTrue(sps.width() >= 1 && sps.width() <= sps.codedWidth(), sps.toString());
    assertTrue(sps.height() >= 1 && sps.height() <= sps.codedHeight(), sps.toString());
    assertTrue(sps.chromaFormatIdc() >= 0 && sps.chromaFormatIdc() <= 3, sps.toString());
    assertTrue(sps.bitDepthLuma() >= 8 && sps.bitDepthLuma() <= 14, sps.toString());
  }
}
