package io.livemux.rtmp.chunk;

import static io.livemux.rtmp.chunk.Chunks.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.RtmpException;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Protocol control (RTMP 5.4) and user control (RTMP 7.1.7) messages: exact bytes, round trips. */
class ControlMessagesTest {
  private static String wire(RtmpMessage m) {
    return hex(Chunks.encode(new ChunkEncoder(), m));
  }

  @Test
  void setChunkSize_isFourBytesOnChunkStream2_andParsesBack() throws Exception {
    // RTMP 5.4.1: type 1, csid 2, message stream 0, 31-bit size.
    RtmpMessage m = ProtocolControl.setChunkSize(4096);
    assertEquals("02 000000 000004 01 00000000 00001000".replace(" ", ""), wire(m));
    assertEquals(4096, ProtocolControl.parseSetChunkSize(Chunks.decode(hex(wire(m))).get(0)));
  }

  @Test
  void setChunkSize_zeroOrWrongLength_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> ProtocolControl.setChunkSize(0));
    RtmpException zero = assertThrows(RtmpException.class, () -> ProtocolControl.parseSetChunkSize(
        RtmpMessage.of(2, 1, 0, 0, hex("00000000"))));
    assertTrue(zero.getMessage().contains("chunk size 0x0 out of range"), zero.getMessage());
    RtmpException shortOne = assertThrows(RtmpException.class, () -> ProtocolControl.parseSetChunkSize(
        RtmpMessage.of(2, 1, 0, 0, hex("001000"))));
    assertEquals("RTMP Set Chunk Size: payload of 3 bytes, expected 4", shortOne.getMessage());
  }

  @Test
  void abortAckAndWindow_areFourByteValues() throws Exception {
    assertEquals("02 000000 000004 02 00000000 00000005".replace(" ", ""), wire(ProtocolControl.abort(5)));
    assertEquals("02 000000 000004 03 00000000 ffffffff".replace(" ", ""),
        wire(ProtocolControl.acknowledgement(0xFFFFFFFFL)));
    assertEquals("02 000000 000004 05 00000000 002625a0".replace(" ", ""),
        wire(ProtocolControl.windowAcknowledgementSize(2_500_000)));
    assertEquals(5, ProtocolControl.parseAbort(ProtocolControl.abort(5)));
    assertEquals(0xFFFFFFFFL, ProtocolControl.parseAcknowledgement(ProtocolControl.acknowledgement(0xFFFFFFFFL)));
    assertEquals(2_500_000L, ProtocolControl.parseWindowAcknowledgementSize(
        ProtocolControl.windowAcknowledgementSize(2_500_000)));
    assertThrows(RtmpException.class, () -> ProtocolControl.parseAcknowledgement(ProtocolControl.abort(5)));
  }

  @Test
  void setPeerBandwidth_carriesWindowAndLimitType() throws Exception {
    // RTMP 5.4.5: 4-byte window, 1-byte limit type (0 hard, 1 soft, 2 dynamic).
    RtmpMessage m = ProtocolControl.setPeerBandwidth(PeerBandwidth.of(2_500_000, PeerBandwidth.LIMIT_DYNAMIC));
    assertEquals("02 000000 000005 06 00000000 002625a0 02".replace(" ", ""), wire(m));
    assertEquals(PeerBandwidth.of(2_500_000, 2), ProtocolControl.parseSetPeerBandwidth(m));
    RtmpException e = assertThrows(RtmpException.class, () -> ProtocolControl.parseSetPeerBandwidth(
        RtmpMessage.of(2, 6, 0, 0, hex("002625a0 03"))));
    assertTrue(e.getMessage().contains("limit type 3"), e.getMessage());
  }

  @Test
  void userControl_streamBeginAndPings_exactBytesAndBack() throws Exception {
    // RTMP 7.1.7: type 4, 2-byte event type, 4-byte data.
    assertEquals("02 000000 000006 04 00000000 0000 00000001".replace(" ", ""),
        wire(UserControl.streamBegin(1)));
    assertEquals("02 000000 000006 04 00000000 0006 12345678".replace(" ", ""),
        wire(UserControl.pingRequest(0x12345678L)));
    assertEquals("02 000000 000006 04 00000000 0007 12345678".replace(" ", ""),
        wire(UserControl.pingResponse(0x12345678L)));
    UserControlEvent ping = UserControl.parse(UserControl.pingRequest(0x12345678L));
    assertEquals(UserControl.PING_REQUEST, ping.eventType());
    assertEquals(0x12345678L, ping.value());
    UserControlEvent buffer = UserControl.parse(UserControl.setBufferLength(1, 3000));
    assertEquals(3000, buffer.bufferLengthMs());
    RtmpException e = assertThrows(RtmpException.class,
        () -> UserControl.parse(RtmpMessage.of(2, 4, 0, 0, hex("0003 00000001"))));
    assertEquals("RTMP User Control: event 3 with 6 payload bytes, expected 10", e.getMessage());
  }

  @Test
  void controlMessages_roundTripThroughTheChunkCodec() throws Exception {
    RtmpMessage[] all = {
      ProtocolControl.windowAcknowledgementSize(5_000_000),
      ProtocolControl.setPeerBandwidth(PeerBandwidth.of(5_000_000, PeerBandwidth.LIMIT_HARD)),
      UserControl.streamBegin(0), UserControl.pingRequest(7), ProtocolControl.acknowledgement(12),
    };
    byte[] bytes = Chunks.encode(new ChunkEncoder(), all);
    assertEquals(java.util.Arrays.asList(all),
        Chunks.decode(new ChunkDecoder(ChunkLimits.defaults()), bytes, Collections.singletonList(1)));
  }
}
