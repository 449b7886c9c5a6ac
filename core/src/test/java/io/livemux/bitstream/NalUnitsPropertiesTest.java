package io.livemux.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of Annex B and length-prefixed framing on random NAL sequences.
 *
 * <p>"Identity" for Annex B means the normalized stream: each NAL unit preceded by {@code 00 00 00
 * 01}, with the leading and trailing zero bytes of B.1 gone. The generated streams mix 3- and
 * 4-byte start codes and add leading_zero_8bits and trailing_zero_8bits, so the round trip has to
 * normalize them.
 */
class NalUnitsPropertiesTest {

  /** A stream of NAL units as an encoder might frame it, and the bodies it holds. */
  static final class Stream {
    final List<byte[]> nals;
    final byte[] annexB;
    final int nalLengthSize;

    Stream(List<byte[]> nals, byte[] annexB, int nalLengthSize) {
      this.nals = nals;
      this.annexB = annexB;
      this.nalLengthSize = nalLengthSize;
    }

    byte[] normalizedAnnexB() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] nal : nals) {
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(1);
        out.writeBytes(nal);
      }
      return out.toByteArray();
    }

    byte[] lengthPrefixed() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] nal : nals) {
        for (int shift = 8 * (nalLengthSize - 1); shift >= 0; shift -= 8) {
          out.write(nal.length >>> shift);
        }
        out.writeBytes(nal);
      }
      return out.toByteArray();
    }

    @Override
    public String toString() {
      return nals.size() + " NAL units, length size " + nalLengthSize + ", Annex B " + hex(annexB);
    }
  }

  @Provide
  Arbitrary<Stream> streams() {
    Arbitrary<byte[]> nal = rawPayloads().map(NalUnitsPropertiesTest::emulationPrevent);
    Arbitrary<List<byte[]>> nals = nal.list().ofMinSize(0).ofMaxSize(8);
    return Combinators.combine(
            nals,
            Arbitraries.integers().between(0, 3), // leading_zero_8bits
            Arbitraries.integers().between(0, 3).list().ofSize(8), // trailing_zero_8bits per NAL
            Arbitraries.of(false, true).list().ofSize(8), // 4-byte start code?
            Arbitraries.of(1, 2, 4))
        .as(
            (bodies, leadingZeros, trailingZeros, longStartCodes, lengthSize) -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              for (int i = 0; i < leadingZeros; i++) {
                out.write(0);
              }
              int maxLength = 0;
              for (int i = 0; i < bodies.size(); i++) {
                if (longStartCodes.get(i)) {
                  out.write(0);
                }
                out.write(0);
                out.write(0);
                out.write(1);
                out.writeBytes(bodies.get(i));
                for (int z = 0; z < trailingZeros.get(i); z++) {
                  out.write(0);
                }
                maxLength = Math.max(maxLength, bodies.get(i).length);
              }
              int size = maxLength > 255 && lengthSize == 1 ? 2 : lengthSize;
              return new Stream(bodies, out.toByteArray(), size);
            });
  }

  /** Raw RBSP-like bytes, rich in 0x00..0x03 so that emulation prevention has work to do. */
  static Arbitrary<byte[]> rawPayloads() {
    Arbitrary<Byte> interesting =
        Arbitraries.of((byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 2, (byte) 3);
    Arbitrary<Byte> any = Arbitraries.bytes();
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, interesting), net.jqwik.api.Tuple.of(2, any))
        .list()
        .ofMinSize(1)
        .ofMaxSize(300)
        .map(
            list -> {
              byte[] raw = new byte[list.size()];
              for (int i = 0; i < raw.length; i++) {
                raw[i] = list.get(i);
              }
              return raw;
            });
  }

  /**
   * H.264 7.4.1: 0x03 after two zero bytes whenever the next byte is 0..3, and after a final 0x00,
   * so that the body never holds 00 00 00, 00 00 01 or 00 00 02 and never ends in 0x00.
   */
  static byte[] emulationPrevent(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int zeros = 0;
    for (byte b : raw) {
      if (zeros == 2 && (b & 0xFF) <= 3) {
        out.write(3);
        zeros = 0;
      }
      out.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    if (raw[raw.length - 1] == 0) {
      out.write(3);
    }
    return out.toByteArray();
  }

  @Property(tries = 400)
  void annexBToLengthPrefixedAndBack_isIdentityUpToStartCodeLength(@ForAll("streams") Stream stream)
      throws Exception {
    ByteBuffer lengthPrefixed =
        NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(stream.annexB), stream.nalLengthSize);
    ByteBuffer annexB = NalUnits.lengthPrefixedToAnnexB(lengthPrefixed, stream.nalLengthSize);

    assertArrayEquals(stream.lengthPrefixed(), NalUnitsTest.array(lengthPrefixed));
    assertArrayEquals(stream.normalizedAnnexB(), NalUnitsTest.array(annexB));
  }

  @Property(tries = 300)
  void lengthPrefixedToAnnexBAndBack_isExactIdentity(@ForAll("streams") Stream stream)
      throws Exception {
    byte[] lengthPrefixed = stream.lengthPrefixed();

    ByteBuffer annexB =
        NalUnits.lengthPrefixedToAnnexB(ByteBuffer.wrap(lengthPrefixed), stream.nalLengthSize);
    ByteBuffer back = NalUnits.annexBToLengthPrefixed(annexB, stream.nalLengthSize);

    assertArrayEquals(lengthPrefixed, NalUnitsTest.array(back));
  }

  @Property(tries = 300)
  void computedSizes_equalProducedSizes(
      @ForAll("streams") Stream stream, @ForAll @IntRange(min = 0, max = 7) int outOffset)
      throws Exception {
    ByteBuffer in = ByteBuffer.wrap(stream.annexB);
    int lpSize = NalUnits.sizeAsLengthPrefixed(in, stream.nalLengthSize);
    ByteBuffer lp = ByteBuffer.allocate(outOffset + lpSize);
    lp.position(outOffset);

    int lpWritten = NalUnits.annexBToLengthPrefixed(in, stream.nalLengthSize, lp);

    assertEquals(lpSize, lpWritten);
    assertEquals(lp.capacity(), lp.position(), "an exactly sized buffer is exactly filled");
    lp.position(outOffset);
    int annexBSize = NalUnits.sizeAsAnnexB(lp, stream.nalLengthSize);
    ByteBuffer annexB = ByteBuffer.allocateDirect(annexBSize);
    assertEquals(annexBSize, NalUnits.lengthPrefixedToAnnexB(lp, stream.nalLengthSize, annexB));
    assertEquals(0, annexB.remaining());
    assertEquals(outOffset, lp.position(), "input position is not moved");
  }

  @Property(tries = 300)
  void cursors_yieldExactlyTheNalBodies(@ForAll("streams") Stream stream) throws Exception {
    assertBodies(stream.nals, NalUnits.annexBCursor(), ByteBuffer.wrap(stream.annexB));
    assertBodies(
        stream.nals,
        NalUnits.lengthPrefixedCursor(stream.nalLengthSize),
        ByteBuffer.wrap(stream.lengthPrefixed()).asReadOnlyBuffer());
  }

  private static void assertBodies(List<byte[]> expected, NalUnits.Cursor cursor, ByteBuffer data)
      throws LivemuxException {
    List<byte[]> viaOffsets = new ArrayList<>();
    List<byte[]> viaSlices = new ArrayList<>();
    cursor.reset(data);
    while (cursor.next()) {
      byte[] body = new byte[cursor.length()];
      for (int i = 0; i < body.length; i++) {
        body[i] = data.get(cursor.offset() + i);
      }
      viaOffsets.add(body);
      viaSlices.add(NalUnitsTest.array(cursor.slice()));
    }
    assertEquals(expected.size(), viaOffsets.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), viaOffsets.get(i), "NAL " + i);
      assertArrayEquals(expected.get(i), viaSlices.get(i), "NAL " + i + " slice");
    }
  }

  /** Random bytes, biased towards zeros and small lengths so framing paths are reached. */
  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<Byte> small =
        Arbitraries.of((byte) 0, (byte) 0, (byte) 0, (byte) 1, (byte) 2, (byte) 3, (byte) 0xFF);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, small), net.jqwik.api.Tuple.of(1, Arbitraries.bytes()))
        .list()
        .ofMaxSize(200)
        .map(
            list -> {
              byte[] out = new byte[list.size()];
              for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
              }
              return out;
            });
  }

  @Property(tries = 1000)
  void randomBytes_endInResultOrLivemuxException(
      @ForAll("noise") byte[] data, @ForAll @IntRange(min = -1, max = 5) int nalLengthSize) {
    assertParsesOrRefuses(data, nalLengthSize);
  }

  @Property(tries = 1000)
  void mutatedValidInput_endsInResultOrLivemuxException(
      @ForAll("streams") Stream stream,
      @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
      @ForAll @Size(max = 4) List<Byte> values,
      @ForAll @IntRange(min = 0, max = 100_000) int cut) {
    for (byte[] valid : new byte[][] {stream.lengthPrefixed(), stream.annexB}) {
      byte[] mutated = valid.clone();
      for (int i = 0; i < Math.min(positions.size(), values.size()) && mutated.length > 0; i++) {
        mutated[positions.get(i) % mutated.length] = values.get(i);
      }
      if (mutated.length > 0 && cut % 3 == 0) {
        mutated = Arrays.copyOf(mutated, cut % mutated.length);
      }
      assertParsesOrRefuses(mutated, stream.nalLengthSize);
    }
  }

  /**
   * Every entry point that reads the data ends in a result or {@link LivemuxException}: no other
   * exception, and within a time bound. A successful parse must be self-consistent.
   */
  private static void assertParsesOrRefuses(byte[] data, int nalLengthSize) {
    // No hang, whatever the bytes say: a parse that loops or waits fails here instead.
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> parseOrRefuse(data, nalLengthSize),
        () -> "on " + Arrays.toString(data));
  }

  private static void parseOrRefuse(byte[] data, int nalLengthSize) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    try {
      int size = NalUnits.sizeAsAnnexB(buffer, nalLengthSize);
      ByteBuffer annexB = NalUnits.lengthPrefixedToAnnexB(buffer, nalLengthSize);
      assertEquals(size, annexB.remaining());
      NalUnits.Cursor cursor = NalUnits.lengthPrefixedCursor(nalLengthSize).reset(buffer);
      long covered = 0;
      while (cursor.next()) {
        assertTrue(cursor.length() > 0);
        covered += nalLengthSize + cursor.length();
      }
      assertEquals(data.length, covered, "length-prefixed NAL units cover the data");
    } catch (LivemuxException expected) {
      // refused: fine
    }
    int outputLengthSize = nalLengthSize == 1 || nalLengthSize == 2 ? nalLengthSize : 4;
    try {
      int size = NalUnits.sizeAsLengthPrefixed(buffer, outputLengthSize);
      ByteBuffer lp = NalUnits.annexBToLengthPrefixed(buffer, outputLengthSize);
      assertEquals(size, lp.remaining());
      NalUnits.Cursor cursor = NalUnits.annexBCursor().reset(buffer);
      while (cursor.next()) {
        assertTrue(cursor.length() > 0);
        assertTrue(
            buffer.get(cursor.offset() + cursor.length() - 1) != 0,
            "a NAL unit never ends in 0x00");
      }
    } catch (LivemuxException expected) {
      // refused: fine
    }
    assertEquals(0, buffer.position());
  }

  static String hex(byte[] data) {
    StringBuilder s = new StringBuilder();
    for (byte b : data) {
      s.append(String.format("%02x", b & 0xFF));
    }
    return s.toString();
  }
}
