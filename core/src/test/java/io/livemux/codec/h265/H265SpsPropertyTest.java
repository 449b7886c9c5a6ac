package io.livemux.codec.h265;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.Fuzz;
import io.livemux.codec.RealParameterSets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class H265SpsPropertyTest {
  @Property
  void parse_randomBytes_givesSaneSpsOrLivemuxException(@ForAll("randomNals") byte[] nal) {
    checkSane(Fuzz.parsesOrRejects(() -> H265Sps.parse(ByteBuffer.wrap(nal))));
  }

  @Property
  void parse_mutatedRealSps_givesSaneSpsOrLivemuxException(@ForAll("mutatedSps") byte[] nal) {
    checkSane(Fuzz.parsesOrRejects(() -> H265Sps.parse(ByteBuffer.wrap(nal))));
  }

  @Provide
  Arbitrary<byte[]> randomNals() {
    return Arbitraries.oneOf(
        Fuzz.bytes(64),
        Fuzz.bytesAfter(new byte[] {0x42, 0x01}, 200),
        // After x265's NAL header, ids and general profile_tier_level (18 bytes with three
        // emulation-prevention bytes), so the later syntax is reached.
        Fuzz.bytesAfter(Arrays.copyOf(RealParameterSets.X265_MAIN_SPS, 18), 200));
  }

  @Provide
  Arbitrary<byte[]> mutatedSps() {
    return Fuzz.mutationsOf(
        List.of(
            RealParameterSets.X265_MAIN_SPS,
            RealParameterSets.X265_HRD_SPS,
            H265SpsTest.syntheticSps()));
  }

  private static void checkSane(H265Sps sps) {
    if (sps == null) {
      return;
    }
    assertTrue(sps.width() >= 1 && sps.width() <= sps.codedWidth(), sps.toString());
    assertTrue(sps.height() >= 1 && sps.height() <= sps.codedHeight(), sps.toString());
    assertTrue(sps.maxSubLayers() >= 1 && sps.maxSubLayers() <= 7, sps.toString());
    assertTrue(sps.bitDepthLuma() >= 8 && sps.bitDepthLuma() <= 16, sps.toString());
  }
}
