package io.livemux.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AMF0 bytes in, values out and back, against hand-assembled encodings from the AMF0 spec. */
class Amf0Test {
  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static byte[] hex(String s) {
    s = s.replace(" ", "");
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  private static Object decode(String hex) throws RtmpException {
    ByteBuffer in = ByteBuffer.wrap(hex(hex));
    Object value = Amf0Decoder.withDefaults().decode(in);
    assertEquals(0, in.remaining(), "decoder must consume exactly one value");
    return value;
  }

  @Test
  void scalars_encodeToSpecBytes_andDecodeBack() throws RtmpException {
    assertArrayEquals(hex("00 3ff0000000000000"), bytes(Amf0Encoder.encode(1.0)));
    assertArrayEquals(hex("00 4000000000000000"), bytes(Amf0Encoder.encode(2))); // Integer -> number
    assertArrayEquals(hex("01 01"), bytes(Amf0Encoder.encode(true)));
    assertArrayEquals(hex("02 000a 6f6e4d65746144617461"), bytes(Amf0Encoder.encode("onMetaData")));
    assertArrayEquals(hex("05"), bytes(Amf0Encoder.encode((Object) null)));
    assertArrayEquals(hex("06"), bytes(Amf0Encoder.encode(Amf0Undefined.UNDEFINED)));
    assertArrayEquals(
        hex("0b 4076800000000000 0000"), bytes(Amf0Encoder.encode(Amf0Date.ofEpochMillis(360))));

    assertEquals(1.0, decode("00 3ff0000000000000"));
    assertEquals(Boolean.TRUE, decode("01 07")); // any non-zero byte is true (2.3)
    assertEquals(Boolean.FALSE, decode("01 00"));
    assertEquals("onMetaData", decode("02 000a 6f6e4d65746144617461"));
    assertNull(decode("05"));
    assertEquals(Amf0Undefined.UNDEFINED, decode("06"));
    assertEquals(Amf0Date.of(360, (short) -60), decode("0b 4076800000000000 ffc4"));
  }

  @Test
  void containers_encodeToSpecBytes_inInsertionOrder() throws RtmpException {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("b", true);
    object.put("a", null);
    byte[] objectBytes = hex("03 0001 62 0101 0001 61 05 0000 09");
    assertArrayEquals(objectBytes, bytes(Amf0Encoder.encode(object)));
    Object decoded = decode("03 0001 62 0101 0001 61 05 0000 09");
    assertEquals(LinkedHashMap.class, decoded.getClass());
    assertEquals(Arrays.asList("b", "a"), new ArrayList<>(((Map<?, ?>) decoded).keySet()));

    Amf0EcmaArray ecma = new Amf0EcmaArray();
    ecma.put("duration", 0.0);
    byte[] ecmaBytes = hex("08 00000001 0008 6475726174696f6e 00 0000000000000000 0000 09");
    assertArrayEquals(ecmaBytes, bytes(Amf0Encoder.encode(ecma)));
    assertInstanceOf(Amf0EcmaArray.class, decode("08 00000001 0008 6475726174696f6e 00 0000000000000000 0000 09"));
    // The associative-count is only a hint: the end marker decides.
    assertEquals(ecma, decode("08 00000063 0008 6475726174696f6e 00 0000000000000000 0000 09"));

    List<Object> list = Arrays.asList(null, Amf0Undefined.UNDEFINED, "x");
    assertArrayEquals(hex("0a 00000003 05 06 02 0001 78"), bytes(Amf0Encoder.encode(list)));
    assertEquals(list, decode("0a 00000003 05 06 02 0001 78"));
  }

  @Test
  void stringsLongerThan65535Bytes_useTheLongStringMarker() throws RtmpException {
    String s = String.join("", Collections.nCopies(70_000, "a"));
    byte[] encoded = bytes(Amf0Encoder.encode(s));
    assertEquals(0x0C, encoded[0]);
    assertEquals(1 + 4 + 70_000, encoded.length);
    assertEquals(s, Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(encoded)));
    assertEquals("é", decode("0c 00000002 c3a9"));
  }

  @Test
  void decodeAll_readsAScriptBody() throws RtmpException {
    ByteBuffer body = Amf0Encoder.encode("onMetaData", new Amf0EcmaArray());
    List<Object> values = Amf0Decoder.withDefaults().decodeAll(body);
    assertEquals(Arrays.asList("onMetaData", new Amf0EcmaArray()), values);
  }

  @Test
  void nestingDeeperThanTheLimit_isRefusedWithTheLimitNamed() {
    byte[] deep = new byte[40 * 5];
    for (int i = 0; i < 40; i++) { // 40 nested strict arrays of one element
      System.arraycopy(hex("0a 00000001"), 0, deep, i * 5, 5);
    }
    RtmpException e =
        assertThrows(RtmpException.class, () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(deep)));
    assertEquals("AMF0: strict array nested 33 deep exceeds maxDepth 32", e.getMessage());
  }

  @Test
  void lengthsBeyondLimitsOrInput_areRefusedBeforeAllocating() {
    Amf0Decoder decoder = new Amf0Decoder(Amf0Limits.defaults().withMaxStringBytes(10));
    RtmpException string =
        assertThrows(RtmpException.class, () -> decoder.decode(ByteBuffer.wrap(hex("02 000b"))));
    assertEquals("AMF0: string of 11 bytes exceeds maxStringBytes 10", string.getMessage());
    RtmpException longString =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("0c ffffffff 00"))));
    assertEquals("AMF0: long string of 4294967295 bytes exceeds maxStringBytes 1048576",
        longString.getMessage());
    RtmpException array =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("0a 0000ffff 05 05"))));
    assertEquals("AMF0: strict array of 65535 elements cannot fit in the 2 bytes left",
        array.getMessage());
    RtmpException huge =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("0a ffffffff"))));
    assertEquals("AMF0: strict array of 4294967295 elements exceeds maxEntries 65536",
        huge.getMessage());
  }

  @Test
  void unsupportedMarkersAndStrayObjectEnds_areNamed() {
    RtmpException reference =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("07 0001"))));
    assertEquals("AMF0: type marker 0x07 (reference) at offset 0 is not supported",
        reference.getMessage());
    RtmpException amf3 =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("11"))));
    assertTrue(amf3.getMessage().contains("0x11 (avmplus-object (AMF3))"), amf3.getMessage());
    RtmpException end =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("09"))));
    assertEquals("AMF0: object-end marker 0x09 outside an object at offset 0", end.getMessage());
    RtmpException truncated =
        assertThrows(RtmpException.class,
            () -> Amf0Decoder.withDefaults().decode(ByteBuffer.wrap(hex("00 3ff0"))));
    assertEquals("AMF0: truncated at offset 1: a number needs 8 bytes, 2 left", truncated.getMessage());
  }

  @Test
  void encoder_refusesWhatAmf0CannotHold_namingTheValue() {
    IllegalArgumentException type =
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(new Object[] {new StringBuilder("x")}));
    assertTrue(type.getMessage().startsWith("AMF0 cannot encode a java.lang.StringBuilder"), type.getMessage());
    IllegalArgumentException inexact =
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode((1L << 53) + 1));
    assertEquals("AMF0 number cannot hold this Long exactly: 9007199254740993", inexact.getMessage());
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    IllegalArgumentException deep =
        assertThrows(IllegalArgumentException.class, () -> Amf0Encoder.encode(cycle));
    assertTrue(deep.getMessage().contains("maxDepth 32 (a cycle?)"), deep.getMessage());
  }

  @Test
  void limits_refuseBadValues_withTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Amf0Limits.defaults().withMaxDepth(0));
    assertEquals("maxDepth out of range 1..1024: 0", e.getMessage());
  }
}
