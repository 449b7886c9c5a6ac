package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AudioSpecificConfigTest {

  @Test
  void parse_aacLc44100Stereo() throws Exception {
    AudioSpecificConfig config = parse(0x12, 0x10);

    assertEquals(2, config.audioObjectType());
    assertEquals(44100, config.sampleRateHz());
    assertEquals(2, config.channelCount());
    assertEquals(1024, config.samplesPerFrame());
    assertFalse(config.sbrPresent());
    assertEquals(AudioSpecificConfig.of(2, 44100, 2), config);
  }

  @Test
  void parse_ffmpegEncoderConfig_readsBackwardCompatibleSbrAbsentAndKeepsItsBytes()
      throws Exception {
    // ffmpeg's aac encoder: AAC LC 44.1 kHz mono, then syncExtensionType 0x2b7, SBR, sbrPresentFlag
    // 0.
    byte[] ffmpeg = {0x12, 0x08, 0x56, (byte) 0xE5, 0x00};

    AudioSpecificConfig config = AudioSpecificConfig.parse(ByteBuffer.wrap(ffmpeg));

    assertEquals(2, config.audioObjectType());
    assertEquals(44100, config.sampleRateHz());
    assertEquals(1, config.channelCount());
    assertFalse(config.sbrPresent());
    assertArrayEquals(ffmpeg, config.toBytes());
    assertNotEquals(
        AudioSpecificConfig.of(2, 44100, 1), config, "the esds bytes differ, so the configs do");
  }

  @Test
  void heAacExplicit_reportsExtensionRateAndDoubleFrame() throws Exception {
    // AOT 5, core index 6 (24 kHz), stereo, extension index 3 (48 kHz), core AOT 2, GA flags 0.
    AudioSpecificConfig config = parse(0x2B, 0x11, 0x88, 0x00);

    assertEquals(5, config.audioObjectType());
    assertEquals(2, config.coreAudioObjectType());
    assertEquals(48000, config.sampleRateHz());
    assertEquals(24000, config.coreSampleRateHz());
    assertEquals(2, config.channelCount());
    assertEquals(2048, config.samplesPerFrame());
    assertTrue(config.sbrPresent());
    assertFalse(config.psPresent());
    assertEquals(AudioSpecificConfig.of(5, 48000, 2), config);
  }

  @Test
  void heAacV2Explicit_reportsStereoFromMonoCore() throws Exception {
    AudioSpecificConfig config = parse(0xEB, 0x09, 0x88, 0x00);

    assertEquals(29, config.audioObjectType());
    assertEquals(1, config.channelConfiguration());
    assertEquals(2, config.channelCount());
    assertEquals(48000, config.sampleRateHz());
    assertTrue(config.psPresent());
    assertEquals(AudioSpecificConfig.of(29, 48000, 2), config);
  }

  @Test
  void backwardCompatibleSbrAndPs_areReported() throws Exception {
    AscFields fields = new AscFields();
    fields.sfi = 7; // 22050
    fields.channelConfiguration = 1;
    fields.sbrMode = AscFields.SBR_PS_BACKWARD_COMPATIBLE;
    fields.extSfi = 4; // 44100
    fields.psFlag = true;

    AudioSpecificConfig config = AudioSpecificConfig.parse(ByteBuffer.wrap(fields.encode()));

    assertEquals(29, config.audioObjectType());
    assertEquals(2, config.coreAudioObjectType());
    assertEquals(44100, config.sampleRateHz());
    assertEquals(2, config.channelCount());
    assertArrayEquals(fields.encode(), config.toBytes());
  }

  @Test
  void eld_usesTheObjectTypeEscape() throws Exception {
    // 11111 000111: escape, 32 + 7 = 39; 48 kHz mono; ELDSpecificConfig all clear; epConfig 0.
    AudioSpecificConfig config = parse(0xF8, 0xE6, 0x20, 0x00);

    assertEquals(39, config.audioObjectType());
    assertEquals(48000, config.sampleRateHz());
    assertEquals(1, config.channelCount());
    assertEquals(512, config.samplesPerFrame());
    assertArrayEquals(
        new byte[] {(byte) 0xF8, (byte) 0xE6, 0x20, 0x00},
        AudioSpecificConfig.of(39, 48000, 1).toBytes());
  }

  @Test
  void explicitSamplingFrequency_isReadFrom24Bits() throws Exception {
    AudioSpecificConfig config = AudioSpecificConfig.of(2, 44000, 1);

    assertEquals(15, config.samplingFrequencyIndex());
    AudioSpecificConfig parsed = AudioSpecificConfig.parse(ByteBuffer.wrap(config.toBytes()));
    assertEquals(44000, parsed.sampleRateHz());
    assertEquals(config, parsed);
  }

  @Test
  void frameLengthFlag_gives960Samples() throws Exception {
    AudioSpecificConfig config = parse(0x12, 0x14); // AAC LC 44.1 kHz stereo, frameLengthFlag 1
    assertEquals(960, config.samplesPerFrame());
    assertArrayEquals(new byte[] {0x12, 0x14}, config.toBytes());
  }

  @Test
  void channelConfigurationZero_isRefusedAsProgramConfigElement() {
    LivemuxException e = assertThrows(LivemuxException.class, () -> parse(0x12, 0x00));
    assertTrue(e.getMessage().contains("channelConfiguration 0"), e.getMessage());
  }

  @Test
  void refusals_nameTheFieldAndValue() {
    assertMessage("reserved samplingFrequencyIndex: 13", 0x16, 0x90); // AOT 2, index 13
    assertMessage("reserved channelConfiguration: 8", 0x12, 0x40);
    assertMessage("unsupported audioObjectType 0", 0x02, 0x10);
    assertMessage("unsupported audioObjectType 42", 0xF9, 0x46, 0x20, 0x00);
    assertMessage("truncated data: samplingFrequencyIndex", 0x12);
    assertMessage(
        "truncated data: coreCoderDelay", 0x12, 0x12); // dependsOnCoreCoder 1, 14 bits missing
    assertMessage("samplingFrequency 0 Hz", 0x17, 0x80, 0x00, 0x00, 0x10);
  }

  @Test
  void of_refusesWhatItCannotEncode() {
    assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.of(42, 48000, 2));
    assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.of(2, 0, 2));
    assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.of(2, 48000, 9));
    assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.of(29, 48000, 1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AudioSpecificConfig.of(5, 44101, 2));
    assertTrue(e.getMessage().endsWith("44101"), e.getMessage());
  }

  @Test
  void parse_leavesBufferPositionAlone() throws Exception {
    ByteBuffer data = ByteBuffer.wrap(new byte[] {0x7F, 0x12, 0x10});
    data.position(1);
    AudioSpecificConfig.parse(data);
    assertEquals(1, data.position());
  }

  private static void assertMessage(String expected, int... bytes) {
    LivemuxException e = assertThrows(LivemuxException.class, () -> parse(bytes));
    assertTrue(
        e.getMessage().contains(expected), "expected <" + expected + "> in: " + e.getMessage());
  }

  static AudioSpecificConfig parse(int... bytes) throws LivemuxException {
    byte[] data = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      data[i] = (byte) bytes[i];
    }
    return AudioSpecificConfig.parse(ByteBuffer.wrap(data));
  }
}
