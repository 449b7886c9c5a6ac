package io.livemux.codec.h265;

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

class HevcConfigPropertyTest {
  @Property
  void parse_validRecord_writesTheSameBytesBackAndRoundTrips(@ForAll("validRecords") byte[] record)
      throws LivemuxException {
    HevcConfig config = HevcConfig.parse(ByteBuffer.wrap(record));

    assertArrayEquals(record, config.toBytes());
    HevcConfig again = HevcConfig.parse(ByteBuffer.wrap(config.toBytes()));
    assertEquals(config, again);
    assertEquals(config.hashCode(), again.hashCode());
  }

  @Property
  void parse_randomBytes_givesARecordThatRoundTripsOrLivemuxException(
      @ForAll("randomRecords") byte[] data) {
    checkRoundTrip(Fuzz.parsesOrRejects(() -> HevcConfig.parse(ByteBuffer.wrap(data))));
  }

  @Property
  void parse_mutatedRealRecord_givesARecordThatRoundTripsOrLivemuxException(
      @ForAll("mutatedRecords") byte[] data) {
    checkRoundTrip(Fuzz.parsesOrRejects(() -> HevcConfig.parse(ByteBuffer.wrap(data))));
  }

  private static void checkRoundTrip(HevcConfig config) {
    if (config != null) {
      assertEquals(
          config, Fuzz.bounded(() -> HevcConfig.parse(ByteBuffer.wrap(config.toBytes()))));
    }
  }

  @Provide
  Arbitrary<byte[]> randomRecords() {
    return Arbitraries.oneOf(
        Fuzz.bytes(64),
        Fuzz.bytesAfter(new byte[] {1}, 300),
        // A real fixed part, then random arrays.
        Fuzz.bytesAfter(java.util.Arrays.copyOf(RealParameterSets.FFMPEG_HVCC, 22), 300));
  }

  @Provide
  Arbitrary<byte[]> mutatedRecords() throws LivemuxException {
    byte[] hrd =
        HevcConfig.of(
                List.of(ByteBuffer.wrap(RealParameterSets.X265_HRD_VPS)),
                List.of(ByteBuffer.wrap(RealParameterSets.X265_HRD_SPS)),
                List.of(ByteBuffer.wrap(RealParameterSets.X265_PPS)))
            .toBytes();
    byte[] synthetic =
        HevcConfig.of(
                List.of(ByteBuffer.wrap(RealParameterSets.X265_HRD_VPS)),
                List.of(ByteBuffer.wrap(H265SpsTest.syntheticSps())),
                List.of(ByteBuffer.wrap(RealParameterSets.X265_PPS)))
            .toBytes();
    return Fuzz.mutationsOf(List.of(RealParameterSets.FFMPEG_HVCC, hrd, synthetic));
  }

  /**
   * Records as 8.3.3.1 writes them: random fixed fields with the reserved bits set and a NAL
   * length size of 1, 2 or 4 bytes, then up to five arrays of up to three NAL units, each headed
   * by its array's type.
   */
  @Provide
  Arbitrary<byte[]> validRecords() {
    Arbitrary<byte[]> fixed =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(22)
            .map(
                b -> {
                  b[0] = 1; // configurationVersion
                  b[13] |= (byte) 0xF0;
                  b[15] |= (byte) 0xFC;
                  b[16] |= (byte) 0xFC;
                  b[17] |= (byte) 0xF8;
                  b[18] |= (byte) 0xF8;
                  if ((b[21] & 3) == 2) {
                    b[21] |= 1; // lengthSizeMinusOne 2 is not allowed
                  }
                  return b;
                });
    Arbitrary<byte[]> array =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.oneOf(Arbitraries.of(32, 33, 34, 39, 40),
                    Arbitraries.integers().between(0, 63)),
                Fuzz.bytes(30).list().ofMaxSize(3))
            .as(
                (complete, type, tails) -> {
                  ByteArrayOutputStream out = new ByteArrayOutputStream();
                  out.write((complete ? 0x80 : 0) | type);
                  out.write(0);
                  out.write(tails.size());
                  for (byte[] tail : tails) {
                    byte[] nal = Fuzz.concat(new byte[] {(byte) (type << 1), 1}, tail);
                    out.write(nal.length >> 8);
                    out.write(nal.length);
                    out.writeBytes(nal);
                  }
                  return out.toByteArray();
                });
    return Combinators.combine(fixed, array.list().ofMaxSize(5))
        .as(
            (head, arrays) -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.writeBytes(head);
              out.write(arrays.size());
              arrays.forEach(out::writeBytes);
              return out.toByteArray();
            });
  }
}
