package io.livemux.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AacFormatTest {

  @Test
  void of_isAacLcWithItsConfig() {
    AacFormat format = AacFormat.of(44100, 2);

    assertEquals(44100, format.sampleRateHz());
    assertEquals(2, format.channelCount());
    assertEquals(2, format.audioObjectType());
    assertEquals(1024, format.samplesPerFrame());
    assertEquals("mp4a.40.2", format.codecString());
    assertEquals("audio/mp4a-latm", format.mimeType());
    assertFalse(format.isRaw());
    assertEquals(TrackType.AUDIO, format.trackType());
    assertEquals(44100, format.defaultTimescale());
    assertEquals(ByteBuffer.wrap(new byte[] {0x12, 0x10}), format.audioSpecificConfig());
    assertEquals(
        "AacFormat{mp4a.40.2, 44100 Hz, 2 ch, 1024 samples/frame, asc 1210}", format.toString());
  }

  @Test
  void fromAudioSpecificConfig_keepsTheBytesVerbatim() throws Exception {
    byte[] ffmpeg = {0x12, 0x08, 0x56, (byte) 0xE5, 0x00};
    ByteBuffer input = ByteBuffer.wrap(ffmpeg);

    AacFormat format = AacFormat.fromAudioSpecificConfig(input);

    assertEquals(0, input.position());
    assertEquals(ByteBuffer.wrap(ffmpeg), format.audioSpecificConfig());
    ffmpeg[0] = 0; // the format copied what it keeps
    assertEquals(0x12, format.audioSpecificConfig().get(0));
    assertEquals(44100, format.sampleRateHz());
    assertEquals(1, format.channelCount());
    assertNotEquals(AacFormat.of(44100, 1), format, "different config bytes, different formats");
  }

  @Test
  void audioSpecificConfig_isAFreshReadOnlyView() {
    AacFormat format = AacFormat.of(48000, 1);
    ByteBuffer config = format.audioSpecificConfig();
    config.get();

    assertTrue(config.isReadOnly());
    assertThrows(ReadOnlyBufferException.class, () -> config.put(0, (byte) 1));
    assertEquals(0, format.audioSpecificConfig().position());
  }

  @Test
  void fromAdtsHeader_isTheCore() throws Exception {
    AacFormat format =
        AacFormat.fromAdtsHeader(
            ByteBuffer.wrap(
                new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50, 0x40, 0x21, 0x3F, (byte) 0xFC}));

    assertEquals(AacFormat.of(44100, 1), format);
    assertEquals(AacFormat.of(44100, 1).hashCode(), format.hashCode());
  }

  @Test
  void heAac_reportsOutputRateFrameAndCodecString() throws Exception {
    AacFormat v1 =
        AacFormat.fromAudioSpecificConfig(
            ByteBuffer.wrap(new byte[] {0x2B, 0x11, (byte) 0x88, 0x00}));
    AacFormat v2 =
        AacFormat.fromAudioSpecificConfig(
            ByteBuffer.wrap(new byte[] {(byte) 0xEB, 0x09, (byte) 0x88, 0x00}));

    assertEquals("mp4a.40.5", v1.codecString());
    assertEquals(48000, v1.sampleRateHz());
    assertEquals(2048, v1.samplesPerFrame());
    assertEquals("mp4a.40.29", v2.codecString());
    assertEquals(2, v2.channelCount());
  }

  @Test
  void frameLengthFlag_gives960SamplesPerFrame() throws Exception {
    assertEquals(
        960,
        AacFormat.fromAudioSpecificConfig(ByteBuffer.wrap(new byte[] {0x12, 0x14}))
            .samplesPerFrame());
  }

  @Test
  void factories_refuseBadInput() {
    assertThrows(IllegalArgumentException.class, () -> AacFormat.of(0, 2));
    assertThrows(IllegalArgumentException.class, () -> AacFormat.of(48000, 0));
    assertThrows(
        LivemuxException.class, () -> AacFormat.fromAudioSpecificConfig(ByteBuffer.allocate(0)));
    assertThrows(LivemuxException.class, () -> AacFormat.fromAdtsHeader(ByteBuffer.allocate(7)));
  }

  @Property(tries = 1000)
  void factories_onRandomBytes_endInFormatOrLivemuxException(@ForAll @Size(max = 16) byte[] data) {
    assertParsesOrRefuses(data);
  }

  @Property(tries = 500)
  void factories_onMutatedValidInput_endInFormatOrLivemuxException(
      @ForAll @IntRange(min = 0, max = 3) int which,
      @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 55) Integer> bitFlips) {
    byte[][] valid = {
      {0x12, 0x10},
      {0x12, 0x08, 0x56, (byte) 0xE5, 0x00},
      {(byte) 0xEB, 0x09, (byte) 0x88, 0x00},
      {(byte) 0xFF, (byte) 0xF1, 0x50, 0x40, 0x21, 0x3F, (byte) 0xFC}
    };
    byte[] data = valid[which].clone();
    for (int bit : bitFlips) {
      data[(bit / 8) % data.length] ^= (byte) (0x80 >>> (bit % 8));
    }
    assertParsesOrRefuses(data);
  }

  private static void assertParsesOrRefuses(byte[] data) {
    // No hang, whatever the bytes say: a parse that loops or waits fails here instead.
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> parseOrRefuse(data), () -> "on " + Arrays.toString(data));
  }

  private static void parseOrRefuse(byte[] data) {
    try {
      AacFormat format = AacFormat.fromAudioSpecificConfig(ByteBuffer.wrap(data));
      assertTrue(format.sampleRateHz() > 0 && format.channelCount() > 0);
      byte[] config = new byte[format.audioSpecificConfig().remaining()];
      format.audioSpecificConfig().get(config);
      assertArrayEquals(data, config);
    } catch (LivemuxException expected) {
      // refused: fine
    }
    try {
      AacFormat format = AacFormat.fromAdtsHeader(ByteBuffer.wrap(data));
      assertTrue(format.sampleRateHz() > 0 && format.channelCount() > 0);
    } catch (LivemuxException expected) {
      // refused: fine
    }
  }
}
