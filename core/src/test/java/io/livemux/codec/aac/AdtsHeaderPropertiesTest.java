package io.livemux.codec.aac;

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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AdtsHeaderPropertiesTest {

  @Property(tries = 2000)
  void forFrameThenParse_roundTripsEveryProfileRateChannelAndLength(
      @ForAll @IntRange(min = 1, max = 4) int audioObjectType,
      @ForAll @IntRange(min = 0, max = 12) int samplingFrequencyIndex,
      @ForAll @IntRange(min = 1, max = 7) int channelConfiguration,
      @ForAll @IntRange(min = 0, max = AdtsHeader.MAX_PAYLOAD_LENGTH_BYTES) int payloadLength)
      throws Exception {
    int channels = AscFields.CHANNELS[channelConfiguration];
    AudioSpecificConfig config =
        AudioSpecificConfig.of(
            audioObjectType, AscFields.RATES_HZ[samplingFrequencyIndex], channels);

    AdtsHeader built = AdtsHeader.forFrame(config, payloadLength);
    byte[] bytes = built.toBytes();
    AdtsHeader parsed = AdtsHeader.parse(ByteBuffer.wrap(bytes));

    assertEquals(built, parsed);
    assertEquals(audioObjectType, parsed.audioObjectType());
    assertEquals(AscFields.RATES_HZ[samplingFrequencyIndex], parsed.sampleRateHz());
    assertEquals(channels, parsed.channelCount());
    assertEquals(7 + payloadLength, parsed.frameLengthBytes());
    assertEquals(payloadLength, parsed.payloadLengthBytes());
    assertEquals(config, parsed.toAudioSpecificConfig());
    // The fields where 1.A.2.2 puts them, read here without the class under test.
    assertEquals(0xFFF, ((bytes[0] & 0xFF) << 4) | ((bytes[1] & 0xF0) >> 4));
    assertEquals(audioObjectType - 1, (bytes[2] & 0xC0) >> 6);
    assertEquals(samplingFrequencyIndex, (bytes[2] & 0x3C) >> 2);
    assertEquals(channelConfiguration, ((bytes[2] & 0x01) << 2) | ((bytes[3] & 0xC0) >> 6));
    assertEquals(
        7 + payloadLength,
        ((bytes[3] & 0x03) << 11) | ((bytes[4] & 0xFF) << 3) | ((bytes[5] & 0xE0) >> 5));
  }

  @Provide
  Arbitrary<List<byte[]>> payloads() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(600).list().ofMaxSize(12);
  }

  @Property(tries = 300)
  void cursor_yieldsExactlyThePayloadsOfABuiltStream(
      @ForAll("payloads") List<byte[]> payloads, @ForAll @Size(12) List<Boolean> withCrc)
      throws Exception {
    AudioSpecificConfig config = AudioSpecificConfig.of(2, 48000, 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < payloads.size(); i++) {
      byte[] payload = payloads.get(i);
      if (withCrc.get(i)) {
        // protection_absent 0: the same frame with a 16-bit crc_check after the 7 bytes (1.A.2.2).
        byte[] header = AdtsHeader.forFrame(config, payload.length + 2).toBytes();
        header[1] &= (byte) 0xFE;
        out.writeBytes(header);
        out.write(0xC0);
        out.write(0xDE);
      } else {
        out.writeBytes(AdtsHeader.forFrame(config, payload.length).toBytes());
      }
      out.writeBytes(payload);
    }
    byte[] stream = out.toByteArray();

    List<byte[]> seen = new ArrayList<>();
    AdtsHeader.Cursor cursor = AdtsHeader.cursor().reset(ByteBuffer.wrap(stream));
    while (cursor.next()) {
      byte[] viaOffset =
          Arrays.copyOfRange(
              stream, cursor.payloadOffset(), cursor.payloadOffset() + cursor.payloadLength());
      byte[] viaView = new byte[cursor.payloadLength()];
      cursor.payload().get(viaView);
      assertArrayEquals(viaOffset, viaView);
      seen.add(viaView);
    }

    assertEquals(payloads.size(), seen.size());
    for (int i = 0; i < payloads.size(); i++) {
      assertArrayEquals(payloads.get(i), seen.get(i), "frame " + i);
    }
  }

  static byte[] adts(AudioSpecificConfig config, List<byte[]> payloads) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] payload : payloads) {
      out.writeBytes(AdtsHeader.forFrame(config, payload.length).toBytes());
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<byte[]> noise() {
    // Often starting like a header so that the checks after the syncword are reached.
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    return Arbitraries.oneOf(
        random,
        random.map(
            b -> {
              byte[] out = Arrays.copyOf(b, Math.max(b.length, 2));
              out[0] = (byte) 0xFF;
              out[1] = (byte) (out[1] | 0xF0);
              return out;
            }));
  }

  @Property(tries = 1500)
  void randomBytes_endInHeaderOrLivemuxException(@ForAll("noise") byte[] data) {
    assertParsesOrRefuses(data);
  }

  @Property(tries = 1000)
  void mutatedValidStreams_endInFramesOrLivemuxException(
      @ForAll("payloads") List<byte[]> payloads,
      @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
      @ForAll @Size(max = 4) List<Byte> values,
      @ForAll @IntRange(min = 0, max = 100_000) int cut) {
    byte[] data = adts(AudioSpecificConfig.of(2, 44100, 1), payloads);
    for (int i = 0; i < Math.min(positions.size(), values.size()) && data.length > 0; i++) {
      data[positions.get(i) % data.length] = values.get(i);
    }
    if (data.length > 0 && cut % 3 == 0) {
      data = Arrays.copyOf(data, cut % data.length);
    }
    assertParsesOrRefuses(data);
  }

  private static void assertParsesOrRefuses(byte[] data) {
    // No hang, whatever the bytes say: a parse that loops or waits fails here instead.
    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> parseOrRefuse(data), () -> "on " + Arrays.toString(data));
  }

  private static void parseOrRefuse(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    try {
      AdtsHeader header = AdtsHeader.parse(buffer);
      assertTrue(header.frameLengthBytes() >= header.headerLengthBytes());
      assertEquals(header, AdtsHeader.parse(ByteBuffer.wrap(header.toBytes())));
      header.toAudioSpecificConfig();
    } catch (LivemuxException expected) {
      // refused: fine
    }
    try {
      AdtsHeader.Cursor cursor = AdtsHeader.cursor().reset(buffer);
      long covered = 0;
      while (cursor.next()) {
        covered += cursor.header().frameLengthBytes();
        assertTrue(cursor.payloadOffset() + cursor.payloadLength() <= data.length);
      }
      assertEquals(data.length, covered, "frames cover the stream");
    } catch (LivemuxException expected) {
      // refused: fine
    }
    assertEquals(0, buffer.position());
  }
}
