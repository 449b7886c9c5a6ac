package io.livemux.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NalUnitsTest {

  @Test
  void annexBToAvcc_keepsEmulationPreventionBytes() throws Exception {
    byte[] annexB =
        bytes(0, 0, 0, 1, 0x67, 0x42, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3, 0, 0, 1, 0x68, 0xCE, 0, 0, 3);

    ByteBuffer avcc = NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(annexB), 4);

    assertArrayEquals(
        bytes(
            0, 0, 0, 12, 0x67, 0x42, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3, 0, 0, 0, 5, 0x68, 0xCE, 0, 0, 3),
        array(avcc));
  }

  @Test
  void annexBToLengthPrefixed_dropsLeadingAndTrailingZeroBytes() throws Exception {
    // leading_zero_8bits, a 3-byte start code, trailing_zero_8bits, a 4-byte start code (B.1).
    byte[] annexB = bytes(0, 0, 0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 0, 0, 0, 1, 0x65, 0x88, 0, 0);

    ByteBuffer lp = NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(annexB), 2);

    assertArrayEquals(bytes(0, 2, 0x09, 0xF0, 0, 2, 0x65, 0x88), array(lp));
  }

  @Test
  void lengthPrefixedToAnnexB_writesFourByteStartCodes() throws Exception {
    byte[] lp = bytes(3, 0x67, 0x42, 0x1F, 1, 0x68);

    ByteBuffer annexB = NalUnits.lengthPrefixedToAnnexB(ByteBuffer.wrap(lp), 1);

    assertArrayEquals(bytes(0, 0, 0, 1, 0x67, 0x42, 0x1F, 0, 0, 0, 1, 0x68), array(annexB));
  }

  @Test
  void conversions_readRemainingBytesAndLeaveInputUntouched() throws Exception {
    ByteBuffer input = ByteBuffer.wrap(bytes(0xAA, 0xBB, 0, 0, 1, 0x41, 0x9A, 0xCC));
    input.position(2).limit(7);

    ByteBuffer lp = NalUnits.annexBToLengthPrefixed(input, 4);

    assertArrayEquals(bytes(0, 0, 0, 2, 0x41, 0x9A), array(lp));
    assertEquals(2, input.position());
    assertEquals(7, input.limit());
  }

  @Test
  void conversionIntoCallerBuffer_writesAtPositionAndReturnsSize() throws Exception {
    ByteBuffer annexB = ByteBuffer.wrap(bytes(0, 0, 1, 0x41, 0x9A));
    ByteBuffer out = ByteBuffer.allocateDirect(16);
    out.position(3);

    int written = NalUnits.annexBToLengthPrefixed(annexB, 4, out);

    assertEquals(6, written);
    assertEquals(NalUnits.sizeAsLengthPrefixed(annexB, 4), written);
    assertEquals(9, out.position());
    out.flip().position(3);
    assertArrayEquals(bytes(0, 0, 0, 2, 0x41, 0x9A), array(out));
  }

  @Test
  void conversionIntoSmallBuffer_throwsWithNeededSizeAndKeepsPosition() {
    ByteBuffer annexB = ByteBuffer.wrap(bytes(0, 0, 1, 0x41, 0x9A, 0, 0, 1, 0x41, 0x9B));
    ByteBuffer out = ByteBuffer.allocate(8);
    out.position(1);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> NalUnits.annexBToLengthPrefixed(annexB, 4, out));

    assertTrue(e.getMessage().contains("needs 12"), e.getMessage());
    assertEquals(1, out.position());
  }

  @Test
  void annexB_withoutStartCode_isRefusedNamingOffsetAndByte() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () ->
                NalUnits.annexBToLengthPrefixed(
                    ByteBuffer.wrap(bytes(0, 0, 0, 9, 0x41, 0, 0, 1, 0x41)), 4));
    assertTrue(e.getMessage().contains("0x09 at offset 3"), e.getMessage());
  }

  @Test
  void annexB_emptyOrAllZero_holdsNoNalUnits() throws Exception {
    assertEquals(0, NalUnits.sizeAsLengthPrefixed(ByteBuffer.allocate(0), 4));
    assertEquals(0, NalUnits.sizeAsLengthPrefixed(ByteBuffer.allocate(5), 4));
    assertFalse(NalUnits.annexBCursor().reset(ByteBuffer.allocate(5)).next());
  }

  @Test
  void annexB_emptyNalUnit_isRefused() {
    for (byte[] annexB :
        new byte[][] {
          bytes(0, 0, 1, 0, 0, 0, 1, 0x41),
          bytes(0, 0, 1, 0x41, 0, 0, 1),
          bytes(0, 0, 1, 0x41, 0, 0, 1, 0, 0)
        }) {
      LivemuxException e =
          assertThrows(
              LivemuxException.class,
              () -> NalUnits.sizeAsLengthPrefixed(ByteBuffer.wrap(annexB), 4));
      assertTrue(e.getMessage().startsWith("empty NAL unit"), e.getMessage());
    }
  }

  @Test
  void lengthPrefixed_lengthPastEnd_isRefusedNamingOffsetAndLength() {
    ByteBuffer lp = ByteBuffer.wrap(bytes(0, 1, 0x41, 0, 9, 0x41, 0x42));

    LivemuxException e =
        assertThrows(LivemuxException.class, () -> NalUnits.lengthPrefixedToAnnexB(lp, 2));

    assertEquals(
        "NAL unit length 9 at offset 3 runs past the end of the data: 2 bytes follow the length"
            + " field",
        e.getMessage());
  }

  @Test
  void lengthPrefixed_zeroLength_isRefused() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> NalUnits.sizeAsAnnexB(ByteBuffer.wrap(bytes(1, 0x41, 0, 1, 0x41)), 1));
    assertEquals("zero-length NAL unit at offset 2", e.getMessage());
  }

  @Test
  void lengthPrefixed_truncatedLengthField_isRefused() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> NalUnits.sizeAsAnnexB(ByteBuffer.wrap(bytes(0, 0, 0, 1, 0x41, 0, 0)), 4));
    assertTrue(e.getMessage().startsWith("truncated NAL length field at offset 5"), e.getMessage());
  }

  @Test
  void lengthPrefixed_unsupportedLengthSize_isRefusedNamingIt() {
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> NalUnits.lengthPrefixedCursor(3));
    assertTrue(e.getMessage().contains("unsupported NAL length size 3"), e.getMessage());
    assertThrows(LivemuxException.class, () -> NalUnits.sizeAsAnnexB(ByteBuffer.allocate(4), 0));
  }

  @Test
  void annexBToLengthPrefixed_badOutputLengthSize_isCallerMistake() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(bytes(0, 0, 1, 0x41)), 3));
    assertEquals("nalLengthSize not 1, 2 or 4: 3", e.getMessage());
  }

  @Test
  void annexBToLengthPrefixed_nalTooLongForLengthField_isRefused() {
    byte[] annexB = new byte[3 + 256];
    annexB[2] = 1;
    java.util.Arrays.fill(annexB, 3, annexB.length, (byte) 0x41);

    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(annexB), 1));

    assertTrue(
        e.getMessage().contains("offset 3 is 256 bytes, too long for a 1-byte length field"),
        e.getMessage());
  }

  @Test
  void cursor_yieldsOffsetsIntoTheBufferAndSlicesThatShareIt() throws Exception {
    ByteBuffer annexB =
        ByteBuffer.wrap(bytes(0, 0, 0, 1, 0x67, 0x42, 0, 0, 1, 0x68, 0, 0, 0, 1, 0x65, 0xB8));
    NalUnits.Cursor cursor = NalUnits.annexBCursor().reset(annexB);
    List<Integer> types = new ArrayList<>();
    List<String> spans = new ArrayList<>();
    ByteBuffer last = null;
    while (cursor.next()) {
      types.add(NalUnits.h264NalType(annexB.get(cursor.offset())));
      spans.add(cursor.offset() + "+" + cursor.length());
      last = cursor.slice();
    }

    assertEquals(List.of(7, 8, 5), types);
    assertEquals(List.of("4+2", "9+1", "14+2"), spans);
    annexB.put(15, (byte) 0x77);
    assertEquals(0x77, last.get(1), "the slice is a view, not a copy");
    assertThrows(IllegalStateException.class, cursor::offset);
  }

  @Test
  void cursor_isReusableAcrossBuffers() throws Exception {
    NalUnits.Cursor cursor = NalUnits.lengthPrefixedCursor(2);
    for (int round = 0; round < 3; round++) {
      cursor.reset(ByteBuffer.wrap(bytes(0, 1, 0x40 + round)));
      assertTrue(cursor.next());
      assertEquals(0x40 + round, cursor.slice().get(0));
      assertFalse(cursor.next());
    }
  }

  @Test
  void nalTypeHelpers_readH264AndH265Headers() {
    assertEquals(5, NalUnits.h264NalType(0x65));
    assertEquals(7, NalUnits.h264NalType((byte) 0x67));
    assertEquals(32, NalUnits.h265NalType(0x40)); // VPS
    assertEquals(19, NalUnits.h265NalType((byte) 0x26)); // IDR_W_RADL
    assertEquals(39, NalUnits.h265NalType((byte) 0x4E)); // prefix SEI
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  static byte[] array(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
