package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AdtsHeaderTest {
  /**
   * ffmpeg's first frame header for 44.1 kHz mono AAC LC: a 265-byte frame, buffer fullness 0x7FF.
   */
  private static final byte[] FFMPEG_HEADER = bytes(0xFF, 0xF1, 0x50, 0x40, 0x21, 0x3F, 0xFC);

  @Test
  void parse_readsFfmpegHeader() throws Exception {
    AdtsHeader header = AdtsHeader.parse(ByteBuffer.wrap(FFMPEG_HEADER));

    assertEquals(2, header.audioObjectType());
    assertEquals(4, header.samplingFrequencyIndex());
    assertEquals(44100, header.sampleRateHz());
    assertEquals(1, header.channelCount());
    assertEquals(265, header.frameLengthBytes());
    assertEquals(7, header.headerLengthBytes());
    assertEquals(258, header.payloadLengthBytes());
    assertEquals(0x7FF, header.bufferFullness());
    assertEquals(1, header.rawDataBlockCount());
    assertFalse(header.hasCrc());
    assertFalse(header.isMpeg2());
    assertEquals(AudioSpecificConfig.of(2, 44100, 1), header.toAudioSpecificConfig());
  }

  @Test
  void forFrame_buildsTheHeaderFfmpegWrites() {
    AdtsHeader header = AdtsHeader.forFrame(AudioSpecificConfig.of(2, 44100, 1), 258);

    assertArrayEquals(FFMPEG_HEADER, header.toBytes());
    ByteBuffer out = ByteBuffer.allocate(9);
    out.position(2);
    header.writeTo(out);
    assertEquals(9, out.position());
  }

  @Test
  void forFrame_heAac_namesTheLcCoreAtTheCoreRate() {
    AdtsHeader header = AdtsHeader.forFrame(AudioSpecificConfig.of(29, 48000, 2), 100);

    assertEquals(2, header.audioObjectType());
    assertEquals(24000, header.sampleRateHz());
    assertEquals(1, header.channelConfiguration());
  }

  @Test
  void parse_withCrc_hasNineByteHeader() throws Exception {
    byte[] data =
        bytes(
            0xFF, 0xF0, 0x50, 0x80, 0x02, 0x1F, 0xFC, 0xAB, 0xCD); // protection_absent 0, 16 bytes

    AdtsHeader header = AdtsHeader.parse(ByteBuffer.wrap(data));

    assertTrue(header.hasCrc());
    assertEquals(9, header.headerLengthBytes());
    assertEquals(16, header.frameLengthBytes());
    assertEquals(7, header.payloadLengthBytes());
    assertArrayEquals(data, header.toBytes());
  }

  @Test
  void refusals_nameOffsetAndValue() {
    assertMessage("no ADTS syncword at offset 0: 0xFFE", 0xFF, 0xE1, 0x50, 0x40, 0x21, 0x3F, 0xFC);
    assertMessage(
        "ADTS layer must be 0, at offset 0 it is 2", 0xFF, 0xF5, 0x50, 0x40, 0x21, 0x3F, 0xFC);
    assertMessage(
        "aac_frame_length 6 at offset 0 is shorter than its 7-byte header",
        0xFF,
        0xF1,
        0x50,
        0x40,
        0x00,
        0xDF,
        0xFC);
    assertMessage(
        "aac_frame_length 8 at offset 0 is shorter than its 9-byte header",
        0xFF,
        0xF0,
        0x50,
        0x40,
        0x01,
        0x1F,
        0xFC,
        0,
        0);
    assertMessage("sampling_frequency_index 13", 0xFF, 0xF1, 0x74, 0x40, 0x21, 0x3F, 0xFC);
    assertMessage("channel_configuration 0", 0xFF, 0xF1, 0x50, 0x00, 0x21, 0x3F, 0xFC);
    assertMessage("truncated ADTS header at offset 0: 6 bytes", 0xFF, 0xF1, 0x50, 0x40, 0x21, 0x3F);
  }

  @Test
  void forFrame_refusesWhatAdtsCannotCarry() {
    assertThrows(
        IllegalArgumentException.class,
        () -> AdtsHeader.forFrame(AudioSpecificConfig.of(39, 48000, 1), 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> AdtsHeader.forFrame(AudioSpecificConfig.of(2, 44000, 1), 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> AdtsHeader.forFrame(AudioSpecificConfig.of(2, 48000, 7), 10));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AdtsHeader.forFrame(AudioSpecificConfig.of(2, 48000, 2), 8185));
    assertTrue(e.getMessage().endsWith("8185"), e.getMessage());
  }

  @Test
  void cursor_yieldsRawFramesWithoutCopying() throws Exception {
    AudioSpecificConfig config = AudioSpecificConfig.of(2, 48000, 2);
    ByteBuffer stream = ByteBuffer.allocate(40);
    stream.put((byte) 0x55); // not part of the stream: the cursor starts at the position
    for (int payload : new int[] {3, 0, 5}) {
      AdtsHeader.forFrame(config, payload).writeTo(stream);
      for (int i = 0; i < payload; i++) {
        stream.put((byte) (payload * 16 + i));
      }
    }
    stream.flip().position(1);

    AdtsHeader.Cursor cursor = AdtsHeader.cursor().reset(stream);
    StringBuilder seen = new StringBuilder();
    while (cursor.next()) {
      seen.append(cursor.frameOffset())
          .append(':')
          .append(cursor.payloadOffset())
          .append('+')
          .append(cursor.payloadLength())
          .append(' ');
      assertEquals(config, cursor.header().toAudioSpecificConfig());
    }

    assertEquals("1:8+3 11:18+0 18:25+5 ", seen.toString());
    assertEquals(1, stream.position());
    cursor.reset(stream);
    cursor.next();
    ByteBuffer payload = cursor.payload();
    stream.put(9, (byte) 0x77);
    assertEquals(0x77, payload.get(1), "the payload is a view");
  }

  @Test
  void cursor_refusesCutOffFrameAndGarbage() throws Exception {
    byte[] frame = AdtsHeader.forFrame(AudioSpecificConfig.of(2, 48000, 2), 4).toBytes();
    byte[] cut = new byte[frame.length + 2];
    System.arraycopy(frame, 0, cut, 0, frame.length);

    LivemuxException e =
        assertThrows(
            LivemuxException.class, () -> AdtsHeader.cursor().reset(ByteBuffer.wrap(cut)).next());
    assertEquals("ADTS frame at offset 0 is 11 bytes but only 9 remain", e.getMessage());

    byte[] garbage = new byte[frame.length + 4 + 7];
    System.arraycopy(frame, 0, garbage, 0, frame.length);
    AdtsHeader.Cursor cursor = AdtsHeader.cursor().reset(ByteBuffer.wrap(garbage));
    assertTrue(cursor.next());
    e = assertThrows(LivemuxException.class, cursor::next);
    assertEquals("no ADTS syncword at offset 11: 0x000", e.getMessage());
  }

  @Test
  void cursor_refusesFramesOfSeveralRawDataBlocks() {
    byte[] twoBlocks =
        bytes(0xFF, 0xF1, 0x50, 0x40, 0x01, 0x1F, 0xFD, 0, 0); // number_of_raw_data_blocks 1

    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> AdtsHeader.cursor().reset(ByteBuffer.wrap(twoBlocks)).next());

    assertTrue(e.getMessage().contains("holds 2 raw data blocks"), e.getMessage());
  }

  private static void assertMessage(String expected, int... data) {
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> AdtsHeader.parse(ByteBuffer.wrap(bytes(data))));
    assertTrue(
        e.getMessage().contains(expected), "expected <" + expected + "> in: " + e.getMessage());
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
