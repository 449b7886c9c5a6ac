package io.livemux.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Tag bodies: exact bytes out of the encoder, the same bytes into the decoder. */
class FlvPacketsTest {
  private static final FlvPacketDecoder DECODER = new FlvPacketDecoder(FlvLimits.defaults());
  private static final byte[] DATA = {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC};

  static byte[] hex(String s) {
    s = s.replace(" ", "");
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static FlvVideoPacket video(
      FlvVideoPacket.Codec codec, boolean enhanced, FlvVideoPacket.Type type, int frameType, int cts) {
    return FlvVideoPacket.of(codec, enhanced, type, frameType, cts, ByteBuffer.wrap(DATA));
  }

  private static void assertRoundTrip(FlvVideoPacket packet, String expectedHex) throws RtmpException {
    byte[] body = bytes(FlvPacketEncoder.video(packet));
    assertArrayEquals(hex(expectedHex), body, packet.toString());
    FlvVideoPacket back = DECODER.video(ByteBuffer.wrap(body));
    assertEquals(packet.codec(), back.codec());
    assertEquals(packet.isEnhanced(), back.isEnhanced());
    assertEquals(packet.type(), back.type());
    assertEquals(packet.frameType(), back.frameType());
    assertEquals(packet.compositionTimeMs(), back.compositionTimeMs());
    assertEquals(packet.data(), back.data());
  }

  @Test
  void legacyAvc_writesFrameTypeCodecIdPacketTypeAndSi24CompositionTime() throws RtmpException {
    FlvVideoPacket.Codec avc = FlvVideoPacket.Codec.AVC;
    assertRoundTrip(video(avc, false, FlvVideoPacket.Type.SEQUENCE_START, 1, 0), "17 00 000000 aabbcc");
    assertRoundTrip(video(avc, false, FlvVideoPacket.Type.CODED_FRAMES, 1, 67), "17 01 000043 aabbcc");
    assertRoundTrip(video(avc, false, FlvVideoPacket.Type.CODED_FRAMES, 2, -1), "27 01 ffffff aabbcc");
    assertRoundTrip(video(avc, false, FlvVideoPacket.Type.CODED_FRAMES, 2, (1 << 23) - 1), "27 01 7fffff aabbcc");
  }

  @Test
  void enhancedHevc_usesFourCcAndCodedFramesXWhenCompositionTimeIsZero() throws RtmpException {
    FlvVideoPacket.Codec hevc = FlvVideoPacket.Codec.HEVC;
    // IsExHeader | FrameType << 4 | VideoPacketType, then 'hvc1'
    assertRoundTrip(video(hevc, true, FlvVideoPacket.Type.SEQUENCE_START, 1, 0), "90 68766331 aabbcc");
    assertRoundTrip(video(hevc, true, FlvVideoPacket.Type.CODED_FRAMES, 1, 40), "91 68766331 000028 aabbcc");
    assertRoundTrip(video(hevc, true, FlvVideoPacket.Type.CODED_FRAMES, 2, 0), "a3 68766331 aabbcc");
    assertRoundTrip(video(hevc, true, FlvVideoPacket.Type.SEQUENCE_END, 1, 0), "92 68766331 aabbcc");
  }

  @Test
  void enhancedAv1_parsesWithoutCompositionTime() throws RtmpException {
    FlvVideoPacket.Codec av1 = FlvVideoPacket.Codec.AV1;
    assertRoundTrip(video(av1, true, FlvVideoPacket.Type.SEQUENCE_START, 1, 0), "90 61763031 aabbcc");
    assertRoundTrip(video(av1, true, FlvVideoPacket.Type.CODED_FRAMES, 2, 0), "a1 61763031 aabbcc");
    RtmpException x =
        assertThrows(RtmpException.class, () -> DECODER.video(ByteBuffer.wrap(hex("a3 61763031 00"))));
    assertEquals("FLV video: CodedFramesX (VideoPacketType 3) is not defined for av01", x.getMessage());
  }

  @Test
  void modExPrefix_isSkipped() throws RtmpException {
    // FrameType 1, ModEx; modExDataSize 3 (UI8 2); 3 bytes of TimestampOffsetNano; ModExType 0 | CodedFramesX
    FlvVideoPacket p = DECODER.video(ByteBuffer.wrap(hex("97 02 0f4240 03 68766331 aabbcc")));
    assertEquals(FlvVideoPacket.Type.CODED_FRAMES, p.type());
    assertEquals(FlvVideoPacket.Codec.HEVC, p.codec());
    assertArrayEquals(DATA, bytes(p.data()));
  }

  @Test
  void commandFrames_carryNoPacket() throws RtmpException {
    assertNull(DECODER.video(ByteBuffer.wrap(hex("57 00"))));
    assertNull(DECODER.video(ByteBuffer.wrap(hex("d1 01")))); // enhanced: FrameType 5, no FourCC
  }

  @Test
  void aac_writesNominalFlagsAndPacketType() throws RtmpException {
    FlvAudioPacket raw = FlvAudioPacket.aac(FlvAudioPacket.Type.RAW, ByteBuffer.wrap(DATA));
    assertArrayEquals(hex("af 01 aabbcc"), bytes(FlvPacketEncoder.audio(raw)));
    FlvAudioPacket config =
        FlvAudioPacket.aac(FlvAudioPacket.Type.SEQUENCE_HEADER, ByteBuffer.wrap(hex("1190")));
    assertArrayEquals(hex("af 00 1190"), bytes(FlvPacketEncoder.audio(config)));
    FlvAudioPacket back = DECODER.audio(ByteBuffer.wrap(hex("a2 01 aabbcc"))); // 11 kHz mono, as read
    assertEquals(FlvAudioPacket.Type.RAW, back.type());
    assertEquals(0x2, back.soundFlags());
    assertArrayEquals(hex("a2 01 aabbcc"), bytes(FlvPacketEncoder.audio(back)));
  }

  @Test
  void otherSoundFormats_areRefusedByName() {
    RtmpException mp3 =
        assertThrows(RtmpException.class, () -> DECODER.audio(ByteBuffer.wrap(hex("2f ff"))));
    assertEquals("FLV audio: SoundFormat 2 (MP3) is not supported, only 10 (AAC)", mp3.getMessage());
    RtmpException ex =
        assertThrows(RtmpException.class, () -> DECODER.audio(ByteBuffer.wrap(hex("90 00"))));
    assertEquals(
        "FLV audio: SoundFormat 9 (enhanced audio ExHeader) is not supported, only 10 (AAC)",
        ex.getMessage());
  }

  @Test
  void otherVideoCodecs_areRefusedByName() {
    RtmpException vp6 =
        assertThrows(RtmpException.class, () -> DECODER.video(ByteBuffer.wrap(hex("14 00"))));
    assertTrue(vp6.getMessage().startsWith("FLV video: CodecID 4 (On2 VP6) is not supported"),
        vp6.getMessage());
    RtmpException vp9 =
        assertThrows(RtmpException.class, () -> DECODER.video(ByteBuffer.wrap(hex("90 76703039 00"))));
    assertEquals(
        "FLV video: FourCC 'vp09' (0x76703039) is not supported, only 'avc1', 'hvc1', 'av01'",
        vp9.getMessage());
    RtmpException multitrack =
        assertThrows(RtmpException.class, () -> DECODER.video(ByteBuffer.wrap(hex("96 00 68766331"))));
    assertTrue(multitrack.getMessage().contains("multitrack"), multitrack.getMessage());
  }

  @Test
  void tagFraming_matchesTheSpecLayout() {
    assertArrayEquals(hex("464c5601 05 00000009 00000000"), bytes(FlvTagEncoder.fileHeader(true, true)));
    assertArrayEquals(hex("464c5601 01 00000009 00000000"), bytes(FlvTagEncoder.fileHeader(false, true)));
    FlvTag tag = FlvTag.of(FlvTag.VIDEO, 0x01234567, ByteBuffer.wrap(DATA));
    // TagType, DataSize UI24, Timestamp UI24 (low bits), TimestampExtended (high byte), StreamID, body, PreviousTagSize
    assertArrayEquals(hex("09 000003 234567 01 000000 aabbcc 0000000e"), bytes(FlvTagEncoder.tag(tag)));
  }

  @Test
  void tagDecoder_refusesTagsOverTheLimit_beforeReadingThem() {
    FlvTagDecoder decoder = new FlvTagDecoder(FlvLimits.defaults().withMaxTagDataSize(1000));
    ByteBuffer in = ByteBuffer.wrap(hex("464c5601 05 00000009 00000000 09 0003e9 000000 00 000000"));
    RtmpException e = assertThrows(RtmpException.class, () -> decoder.decode(in));
    assertEquals("FLV: tag at offset 13: DataSize 1001 exceeds maxTagDataSize 1000", e.getMessage());
  }

  @Test
  void tagDecoder_checksPreviousTagSize() {
    FlvTagDecoder decoder = new FlvTagDecoder(FlvLimits.defaults());
    ByteBuffer in =
        ByteBuffer.wrap(hex("464c5601 05 00000009 00000000 09 000001 000000 00 000000 aa 0000000b"));
    RtmpException e =
        assertThrows(RtmpException.class, () -> {
          while (decoder.decode(in) != null) {
            // tags
          }
        });
    assertEquals("FLV: PreviousTagSize at offset 25 is 11, the tag before it is 12 bytes", e.getMessage());
  }

  @Test
  void tagDecoder_readsTheExtendedTimestampAsTheHighByte() throws RtmpException {
    FlvTagDecoder decoder = new FlvTagDecoder(FlvLimits.defaults());
    FlvTag tag =
        decoder.decode(ByteBuffer.wrap(hex("464c5601 05 00000009 00000000 08 000001 ffffff 7f 000000 aa 0000000c")));
    assertEquals(Integer.MAX_VALUE, tag.timestampMs());
    assertEquals(FlvTag.AUDIO, tag.type());
  }
}
