package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.livemux.testing.Peers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ADTS and AudioSpecificConfig against the AAC that ffmpeg encodes and muxes. */
class AacPeerTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} Hz, {1} ch")
  @CsvSource({"44100, 1", "48000, 2", "22050, 1"})
  void ffmpegAdts_parsesToFfprobesRateChannelsAndPacketCount_andToTheConfigFfmpegPutsInMp4(
      int sampleRateHz, int channels) throws Exception {
    String source = "sine=frequency=440:sample_rate=" + sampleRateHz;
    Path adts = dir.resolve("out.aac");
    Path encodedMp4 = dir.resolve("encoded.m4a");
    Path remuxedMp4 = dir.resolve("remuxed.m4a");
    Peers.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        source,
        "-ac",
        "" + channels,
        "-t",
        "1",
        "-c:a",
        "aac",
        "-f",
        "adts",
        adts.toString());
    Peers.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        source,
        "-ac",
        "" + channels,
        "-t",
        "1",
        "-c:a",
        "aac",
        encodedMp4.toString());
    Peers.ffmpeg("-i", adts.toString(), "-c", "copy", remuxedMp4.toString());
    Map<String, String> probe = Peers.ffprobeStream(adts, "a:0");
    int packets =
        Integer.parseInt(
            Peers.ffprobe(
                    "-select_streams",
                    "a:0",
                    "-count_packets",
                    "-show_entries",
                    "stream=nb_read_packets",
                    "-of",
                    "csv=p=0",
                    adts.toString())
                .trim());

    byte[] stream = Files.readAllBytes(adts);
    AdtsHeader.Cursor cursor = AdtsHeader.cursor().reset(ByteBuffer.wrap(stream));
    int frames = 0;
    AudioSpecificConfig derived = null;
    while (cursor.next()) {
      AudioSpecificConfig config = cursor.header().toAudioSpecificConfig();
      if (derived == null) {
        derived = config;
      }
      assertEquals(derived, config, "frame " + frames + " changes the config");
      frames++;
    }

    assertEquals(Integer.parseInt(probe.get("sample_rate")), derived.sampleRateHz());
    assertEquals(Integer.parseInt(probe.get("channels")), derived.channelCount());
    assertEquals(packets, frames);
    // Remuxing the ADTS stream, ffmpeg derives the esds config from the header as we do.
    assertArrayEquals(esdsDecoderSpecificInfo(remuxedMp4), derived.toBytes());
    // Its encoder adds the backward-compatible "SBR absent" extension: same stream, longer config.
    byte[] encoderConfig = esdsDecoderSpecificInfo(encodedMp4);
    AudioSpecificConfig parsed = AudioSpecificConfig.parse(ByteBuffer.wrap(encoderConfig));
    assertArrayEquals(encoderConfig, parsed.toBytes());
    assertArrayEquals(derived.toBytes(), Arrays.copyOf(encoderConfig, 2));
    assertEquals(derived.audioObjectType(), parsed.audioObjectType());
    assertEquals(derived.sampleRateHz(), parsed.sampleRateHz());
    assertEquals(derived.channelCount(), parsed.channelCount());
    assertEquals(derived.samplesPerFrame(), parsed.samplesPerFrame());
    assertFalse(parsed.sbrPresent());
  }

  /**
   * The DecoderSpecificInfo (tag 0x05) of the first {@code esds} box: ES_Descriptor (0x03),
   * DecoderConfigDescriptor (0x04) and its 13 fixed bytes, then tag 0x05 (ISO/IEC 14496-1 7.2.6).
   */
  static byte[] esdsDecoderSpecificInfo(Path mp4) throws Exception {
    byte[] file = Files.readAllBytes(mp4);
    int esds = indexOf(file, "esds".getBytes(StandardCharsets.ISO_8859_1));
    if (esds < 0) {
      throw new AssertionError("no esds box in " + mp4);
    }
    int[] at = {esds + 4 + 4}; // type, then version and flags
    expectTag(file, at, 0x03);
    readSize(file, at);
    at[0] += 2; // ES_ID
    int flags = file[at[0]++] & 0xFF;
    if ((flags & 0x80) != 0) {
      at[0] += 2; // dependsOn_ES_ID
    }
    if ((flags & 0x40) != 0) {
      at[0] += 1 + (file[at[0]] & 0xFF); // URL
    }
    if ((flags & 0x20) != 0) {
      at[0] += 2; // OCR_ES_Id
    }
    expectTag(file, at, 0x04);
    readSize(file, at);
    at[0] += 13; // objectTypeIndication, streamType, bufferSizeDB, maxBitrate, avgBitrate
    expectTag(file, at, 0x05);
    int size = readSize(file, at);
    return Arrays.copyOfRange(file, at[0], at[0] + size);
  }

  private static void expectTag(byte[] file, int[] at, int tag) {
    int found = file[at[0]++] & 0xFF;
    if (found != tag) {
      throw new AssertionError(
          "expected descriptor tag " + tag + " at " + (at[0] - 1) + ", found " + found);
    }
  }

  /** The expandable size of 14496-1 8.3.3: 7 bits per byte while the top bit is set. */
  private static int readSize(byte[] file, int[] at) {
    int size = 0;
    int b;
    do {
      b = file[at[0]++] & 0xFF;
      size = (size << 7) | (b & 0x7F);
    } while ((b & 0x80) != 0);
    return size;
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
