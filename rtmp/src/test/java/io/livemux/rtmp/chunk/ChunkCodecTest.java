package io.livemux.rtmp.chunk;

import static io.livemux.rtmp.chunk.Chunks.decode;
import static io.livemux.rtmp.chunk.Chunks.encode;
import static io.livemux.rtmp.chunk.Chunks.hex;
import static io.livemux.rtmp.chunk.Chunks.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed chunk encodings (RTMP 5.3.1) both ways, and each decoder check. */
class ChunkCodecTest {
  private static final RtmpMessage M1 = message(3, 20, 0, 1000, "010203");
  private static final RtmpMessage M2 = message(3, 20, 0, 1040, "0405060708");
  private static final RtmpMessage M3 = message(3, 20, 0, 1060, "1112131415");
  private static final RtmpMessage M4 = message(3, 20, 0, 1080, "2122232425");

  /** RTMP 5.3.1.2.1 - 5.3.1.2.4: type 0, then 1 (length changes), 2 (delta changes), 3 (repeats). */
  private static final String HEADER_TYPES_0_1_2_3 =
      "03 0003e8 000003 14 00000000 010203"
          + "43 000028 000005 14 0405060708"
          + "83 000014 1112131415"
          + "c3 2122232425";

  @Test
  void encode_picksTheMostCompactHeaderType_0_1_2_3() {
    assertEquals(hex(hex(HEADER_TYPES_0_1_2_3)), hex(encode(new ChunkEncoder(), M1, M2, M3, M4)));
  }

  @Test
  void decode_headerTypes0123_givesTheMessagesBack() throws Exception {
    assertEquals(Arrays.asList(M1, M2, M3, M4), decode(hex(HEADER_TYPES_0_1_2_3)));
  }

  @Test
  void encode_afterType0_sendsType2ToRegisterTheDelta_notType3() {
    // RTMP 5.3.1.2.4 makes a type 3 delta after type 0 equal to the type 0 timestamp (nginx-rtmp
    // takes 0), so the encoder never relies on it.
    byte[] bytes = encode(new ChunkEncoder(), message(3, 8, 1, 0, "aa"), message(3, 8, 1, 0, "bb"));
    assertEquals("03 000000 000001 08 01000000 aa 83 000000 bb".replace(" ", ""), hex(bytes));
  }

  @Test
  void decode_type3AfterType0_takesTheType0TimestampAsDelta() throws Exception {
    // RTMP 5.3.1.2.4: "the timestamp delta for this Type 3 chunk is the same as the timestamp of
    // the Type 0 chunk".
    List<RtmpMessage> got = decode(hex("03 000014 000001 08 01000000 aa c3 bb"));
    assertEquals(Arrays.asList(message(3, 8, 1, 20, "aa"), message(3, 8, 1, 40, "bb")), got);
  }

  @Test
  void encode_newStreamIdOrBackwardTimestamp_sendsType0() {
    ChunkEncoder encoder = new ChunkEncoder();
    encode(encoder, message(4, 9, 1, 100, "aa"));
    assertEquals("04 000032 000001 09 01000000 bb".replace(" ", ""),
        hex(encode(encoder, message(4, 9, 1, 50, "bb"))));
    assertEquals("04 000032 000001 09 02000000 cc".replace(" ", ""),
        hex(encode(encoder, message(4, 9, 2, 50, "cc"))));
  }

  @Test
  void encode_messageLongerThanChunkSize_continuesInType3Chunks() {
    ChunkEncoder encoder = new ChunkEncoder();
    encoder.setChunkSize(4);
    byte[] bytes = encode(encoder, message(3, 9, 1, 0, "00010203040506070809"));
    assertEquals("03 000000 00000a 09 01000000 00010203 c3 04050607 c3 0809".replace(" ", ""), hex(bytes));
  }

  @Test
  void basicHeader_usesOneTwoAndThreeByteForms() throws Exception {
    // RTMP 5.3.1.1: csid 2..63 in one byte; 64..319 as 0 + (csid - 64); 64..65599 as 1 + (csid - 64)
    // in two bytes, least significant first.
    String[][] cases = {
      {"2", "02"}, {"63", "3f"}, {"64", "0000"}, {"319", "00ff"}, {"320", "010001"}, {"65599", "01ffff"}
    };
    for (String[] c : cases) {
      RtmpMessage m = message(Integer.parseInt(c[0]), 9, 0, 0, "");
      byte[] bytes = encode(new ChunkEncoder(), m);
      assertEquals(c[1] + "000000" + "000000" + "09" + "00000000", hex(bytes), "csid " + c[0]);
      assertEquals(Collections.singletonList(m), decode(bytes), "csid " + c[0]);
    }
  }

  @Test
  void extendedTimestamp_type0_isRepeatedInType3Continuations() throws Exception {
    // RTMP 5.3.1.3: 0xFFFFFF in the field, the full value in 4 more bytes; type 3 chunks of the
    // message repeat them (as Flash, ffmpeg and nginx-rtmp do).
    ChunkEncoder encoder = new ChunkEncoder();
    encoder.setChunkSize(4);
    RtmpMessage m = message(4, 9, 1, 0x01000000L, "000102030405");
    String expected = "04 ffffff 000006 09 01000000 01000000 00010203 c4 01000000 0405";
    byte[] bytes = encode(encoder, m);
    assertEquals(expected.replace(" ", ""), hex(bytes));
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    decoder.decode(ByteBuffer.wrap(encode(new ChunkEncoder(), ProtocolControl.setChunkSize(4))));
    assertEquals(Collections.singletonList(m), decode(decoder, bytes, Collections.singletonList(1)));
  }

  @Test
  void extendedTimestamp_startsAt0xFFFFFF_notBelow() {
    assertEquals("03 fffffe 000000 09 00000000".replace(" ", ""),
        hex(encode(new ChunkEncoder(), message(3, 9, 0, 0xFFFFFE, ""))));
    assertEquals("03 ffffff 000000 09 00000000 00ffffff".replace(" ", ""),
        hex(encode(new ChunkEncoder(), message(3, 9, 0, 0xFFFFFF, ""))));
  }

  @Test
  void extendedDelta_inType2_isRepeatedByTheType3MessageThatReusesIt() throws Exception {
    RtmpMessage a = message(5, 8, 1, 0, "aa");
    RtmpMessage b = message(5, 8, 1, 0x01000000L, "bb");
    RtmpMessage c = message(5, 8, 1, 0x02000000L, "cc");
    byte[] bytes = encode(new ChunkEncoder(), a, b, c);
    assertEquals(("05 000000 000001 08 01000000 aa" + "85 ffffff 01000000 bb" + "c5 01000000 cc")
        .replace(" ", ""), hex(bytes));
    assertEquals(Arrays.asList(a, b, c), decode(bytes));
  }

  @Test
  void decode_extendedFieldWithASmallValue_stillExpectsItInType3Chunks() throws Exception {
    // RTMP 5.3.1.3: the 0xFFFFFF field, not the 4-byte value, announces the extended timestamp;
    // a peer may send 0xFFFFFF then 5, and repeats the 5 in the continuation chunk.
    StringBuilder hex = new StringBuilder("03 ffffff 000082 09 01000000 00000005");
    hex.append("ab".repeat(128)).append("c3 00000005 cdcd");
    List<RtmpMessage> got = decode(hex(hex.toString()));
    assertEquals(1, got.size());
    assertEquals(5, got.get(0).timestampMs());
    assertEquals(130, got.get(0).length());
    assertEquals((byte) 0xCD, got.get(0).payloadByte(129));
  }

  @Test
  void timestamps_wrapModulo2pow32() throws Exception {
    // A delta that carries past 2^32 wraps (RTMP 5.3.1.3 / 6.1.1: timestamps are 32 bits).
    List<RtmpMessage> got =
        decode(hex("03 ffffff 000001 08 01000000 fffffff0 aa" + "83 000020 bb"));
    assertEquals(0xFFFFFFF0L, got.get(0).timestampMs());
    assertEquals(0x10L, got.get(1).timestampMs());
  }

  @Test
  void decode_setChunkSize_appliesToTheFollowingChunks() throws Exception {
    ChunkEncoder encoder = new ChunkEncoder();
    RtmpMessage big = RtmpMessage.of(6, 9, 1, 0, new byte[300]);
    byte[] first = encode(encoder, ProtocolControl.setChunkSize(4096));
    encoder.setChunkSize(4096);
    byte[] second = encode(encoder, big);
    assertEquals(1 + 11 + 300, second.length, "one chunk");
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    List<RtmpMessage> got = decode(decoder, Chunks.hex(Chunks.hex(first) + Chunks.hex(second)),
        Collections.<Integer>emptyList());
    assertEquals(Arrays.asList(ProtocolControl.setChunkSize(4096), big), got);
    assertEquals(4096, decoder.chunkSize());
  }

  @Test
  void decode_abort_discardsThePartialMessage() throws Exception {
    // 10-byte message on csid 3, 4 bytes sent, aborted (RTMP 5.4.2), then a new message on csid 3.
    String bytes = "02 000000 000004 01 00000000 00000004"
        + "03 000000 00000a 09 01000000 00010203"
        + "02 000000 000004 02 00000000 00000003"
        + "03 000000 000001 09 01000000 ff";
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    List<RtmpMessage> got = decode(decoder, hex(bytes), Collections.<Integer>emptyList());
    assertEquals(3, got.size(), got.toString());
    assertEquals(ProtocolControl.ABORT, got.get(1).typeId());
    assertEquals(message(3, 9, 1, 0, "ff"), got.get(2));
    assertEquals(0, decoder.bufferedBytes());
  }

  @Test
  void decode_type1OnUnseenChunkStream_isRejected() {
    RtmpException e = assertThrows(RtmpException.class, () -> decode(hex("47 000028 000005 14")));
    assertEquals("RTMP chunk: type 1 chunk on chunk stream 7 that has had no type 0 header"
        + " (csid 7, at byte 1)", e.getMessage());
  }

  @Test
  void decode_messageLengthOverTheLimit_isRejectedNamingLengthLimitAndCsid() {
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults().withMaxMessageLength(4 << 20));
    RtmpException e = assertThrows(RtmpException.class,
        () -> decoder.decode(ByteBuffer.wrap(hex("04 000000 ffffff 09 01000000"))));
    assertEquals("RTMP chunk: message length 16777215 exceeds the limit of 4194304 (csid 4, at byte 12)",
        e.getMessage());
    RtmpException again = assertThrows(RtmpException.class, () -> decoder.decode(ByteBuffer.allocate(1)));
    assertEquals(e.getMessage(), again.getMessage(), "a failed decoder stays failed");
  }

  @Test
  void decode_headerInsideAnUnfinishedMessage_isRejected() {
    RtmpException e = assertThrows(RtmpException.class,
        () -> decode(hex("03 000000 0000ff 09 01000000" + "00".repeat(128) + "43 000000 000001 09")));
    assertTrue(e.getMessage().contains("type 1 header inside an unfinished message (128 of 255"),
        e.getMessage());
  }

  @Test
  void decode_setChunkSizeWithTopBitOrAboveTheLimit_isRejected() {
    RtmpException top = assertThrows(RtmpException.class,
        () -> decode(hex("02 000000 000004 01 00000000 80000080")));
    assertTrue(top.getMessage().contains("chunk size 0x80000080 out of range"), top.getMessage());
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults().withMaxChunkSize(65536));
    RtmpException limit = assertThrows(RtmpException.class,
        () -> decoder.decode(ByteBuffer.wrap(hex("02 000000 000004 01 00000000 00010001"))));
    assertTrue(limit.getMessage().contains("Set Chunk Size 65537 exceeds the limit of 65536"),
        limit.getMessage());
  }

  @Test
  void decode_tooManyChunkStreams_isRejected() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults().withMaxChunkStreams(2));
    decode(decoder, hex("03 000000 000000 09 01000000" + "04 000000 000000 09 01000000"),
        Collections.<Integer>emptyList());
    RtmpException e = assertThrows(RtmpException.class,
        () -> decoder.decode(ByteBuffer.wrap(hex("05 000000 000000 09 01000000"))));
    assertTrue(e.getMessage().contains("chunk stream 5 exceeds the limit of 2 chunk streams"), e.getMessage());
  }

  @Test
  void decode_claimedLengths_allocateOnlyAsBytesArrive() throws Exception {
    // 200 chunk streams each claim 0xFFFFFF bytes and send 10: no 16 MiB buffers.
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults()
        .withMaxMessageLength(RtmpMessage.MAX_PAYLOAD_LENGTH).withMaxChunkStreams(1000));
    for (int csid = 64; csid < 264; csid++) {
      ByteBuffer in = ByteBuffer.allocate(2 + 11 + 128);
      in.put((byte) 0).put((byte) (csid - 64)).put(hex("000000 ffffff 09 01000000")).put(new byte[128]);
      in.flip();
      assertNull(decoder.decode(in));
    }
    assertTrue(decoder.bufferedBytes() <= 200 * 256, "buffered " + decoder.bufferedBytes());
  }

  @Test
  void decode_bufferedBytesOverTheLimit_isRejected() {
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults().withMaxBufferedBytes(300));
    String head = "03 000000 000200 09 01000000" + "00".repeat(128) + "04 000000 000200 09 01000000"
        + "00".repeat(128) + "c3" + "00".repeat(128) + "c4" + "00".repeat(128);
    RtmpException e = assertThrows(RtmpException.class,
        () -> decode(decoder, hex(head), Collections.<Integer>emptyList()));
    assertTrue(e.getMessage().contains("above the limit of 300"), e.getMessage());
  }

  @Test
  void encode_intoASmallBuffer_isRefusedWithoutWriting() {
    ChunkEncoder encoder = new ChunkEncoder();
    ByteBuffer out = ByteBuffer.allocate(10);
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(M1, out));
    assertEquals(0, out.position());
    assertEquals(hex(hex(HEADER_TYPES_0_1_2_3)), hex(encode(encoder, M1, M2, M3, M4)), "state unchanged");
  }

  @Test
  void encodedLength_matchesTheBytesWritten() {
    ChunkEncoder encoder = new ChunkEncoder();
    encoder.setChunkSize(3);
    RtmpMessage m = message(400, 9, 1, 0x7FFFFFFFL, "00010203040506070809");
    int predicted = encoder.encodedLength(m);
    assertEquals(predicted, encode(encoder, m).length);
  }
}
