package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AacEncoderTest {
  @TempDir Path dir;

  /** Chords with a few clicks mixed in, so that both long and short windows occur. */
  private static short[] program(int rate, int channels, double seconds) {
    short[] chords = AacTestSupport.chords(rate, channels, seconds);
    short[] clicks = AacTestSupport.clicks(rate, channels, seconds, 400, 7);
    short[] out = new short[chords.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = AacTestSupport.clip(chords[i] + 0.5 * clicks[i]);
    }
    return out;
  }

  @ParameterizedTest(name = "{0} Hz, {1} ch, {2} bit/s")
  @CsvSource({
    "8000, 1, 32000",
    "8000, 2, 48000",
    "11025, 1, 32000",
    "12000, 2, 64000",
    "16000, 1, 48000",
    "22050, 2, 96000",
    "24000, 1, 64000",
    "32000, 2, 128000",
    "44100, 1, 96000",
    "44100, 2, 128000",
    "48000, 1, 64000",
    "48000, 2, 320000",
  })
  void encode_decodesCleanlyWithFfmpegAndJcodec_alignedAtReportedDelay(
      int rate, int channels, int bitrate) throws Exception {
    AacEncoder encoder = AacTestSupport.encoder(rate, channels, bitrate);
    short[] pcm = program(rate, channels, 1.5);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 777);
    int delay = encoder.encoderDelaySamples();
    assertEquals(1024, delay);
    int inputFrames = pcm.length / channels;
    assertEquals((inputFrames + 1023) / 1024 + 1, frames.size(), "access units");
    int index = encoder.audioSpecificConfig().samplingFrequencyIndex();
    for (byte[] frame : frames) {
      AacFrameParser.Frame parsed = AacFrameParser.parse(frame, index, channels);
      assertTrue(parsed.bits <= 6144L * channels, "frame of " + parsed.bits + " bits");
    }
    short[] ffmpeg =
        AacTestSupport.decodeWithFfmpeg(
            AacTestSupport.adts(frames, encoder.audioSpecificConfig()), dir);
    short[] jcodec = AacTestSupport.decodeWithJaad(frames, encoder.audioSpecificConfig());
    assertEquals(frames.size() * 1024L * channels, ffmpeg.length, "ffmpeg's decoded values");
    assertEquals(frames.size() * 1024L * channels, jcodec.length, "JCodec's decoded values");
    for (int c = 0; c < channels; c++) {
      double[] reference = AacTestSupport.channel(pcm, channels, c, 0);
      for (short[] decoded : new short[][] {ffmpeg, jcodec}) {
        double[] trimmed = AacTestSupport.channel(decoded, channels, c, delay);
        assertEquals(0, AacTestSupport.bestLag(reference, trimmed, 300), "lag, channel " + c);
        double snr = AacTestSupport.snrDb(reference, trimmed);
        assertTrue(snr > 12, "SNR " + snr + " dB, channel " + c);
      }
      // The two decoders agree with each other far better than either with the input.
      double agreement =
          AacTestSupport.snrDb(
              AacTestSupport.channel(ffmpeg, channels, c, 0),
              AacTestSupport.channel(jcodec, channels, c, 0));
      assertTrue(agreement > 40, "ffmpeg vs JCodec " + agreement + " dB");
    }
  }

  @ParameterizedTest(name = "{0} Hz, {1} ch, {2} bit/s")
  @CsvSource({
    "48000, 2, 32000",
    "48000, 2, 64000",
    "44100, 2, 128000",
    "48000, 2, 192000",
    "44100, 2, 256000",
    "48000, 2, 320000",
    "44100, 1, 32000",
    "48000, 1, 160000",
  })
  void bitrate_heldWithinFivePercent_overEveryTenSeconds(int rate, int channels, int bitrate) {
    // 16 s: pink noise, then silence (the reservoir fills, fill elements keep the rate), then
    // chords with clicks.
    double seconds = 16;
    short[] pink = AacTestSupport.pinkNoise(rate, channels, seconds, 4000, 11);
    short[] music = program(rate, channels, seconds);
    short[] pcm = new short[pink.length];
    int frameValues = pcm.length / 3;
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = i < frameValues ? pink[i] : i < 2 * frameValues ? 0 : music[i];
    }
    AacEncoder encoder = AacTestSupport.encoder(rate, channels, bitrate);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 4096);
    int window = (int) Math.round(10.0 * rate / 1024);
    long bits = 0;
    double worst = 0;
    for (int i = 0; i < frames.size(); i++) {
      bits += frames.get(i).length * 8L;
      assertTrue(frames.get(i).length * 8L <= 6144L * channels, "frame " + i);
      if (i >= window) {
        bits -= frames.get(i - window).length * 8L;
      }
      if (i >= window - 1) {
        double bps = bits * rate / (window * 1024.0);
        worst = Math.max(worst, Math.abs(bps / bitrate - 1));
      }
    }
    System.out.printf(
        "bitrate %d Hz %d ch %d bit/s: worst 10 s window off by %.2f %%%n",
        rate, channels, bitrate, worst * 100);
    assertTrue(worst <= 0.05, "worst 10 s deviation " + worst * 100 + " %");
  }

  @Test
  void clicks_switchToShortWindows_withStartAndStopWindowsAround() throws Exception {
    AacEncoder encoder = AacTestSupport.encoder(44100, 2, 128000);
    short[] pcm = AacTestSupport.clicks(44100, 2, 2, 250, 5);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 1024);
    List<Integer> sequences = new ArrayList<>();
    for (byte[] frame : frames) {
      AacFrameParser.Frame parsed = AacFrameParser.parse(frame, 4, 2);
      sequences.add(parsed.elements.get(0).channels.get(0).windowSequence);
    }
    int shortFrames = 0;
    for (int i = 0; i < sequences.size(); i++) {
      int s = sequences.get(i);
      int previous = i == 0 ? IcsLayout.ONLY_LONG_SEQUENCE : sequences.get(i - 1);
      if (s == IcsLayout.EIGHT_SHORT_SEQUENCE) {
        shortFrames++;
        assertTrue(
            previous == IcsLayout.LONG_START_SEQUENCE || previous == IcsLayout.EIGHT_SHORT_SEQUENCE,
            "frame " + i + " short after " + previous + ": " + sequences);
      } else {
        boolean afterShort = previous == IcsLayout.EIGHT_SHORT_SEQUENCE;
        assertEquals(
            afterShort, s == IcsLayout.LONG_STOP_SEQUENCE, "frame " + i + ": " + sequences);
        assertTrue(previous != IcsLayout.LONG_START_SEQUENCE, "frame " + i + ": " + sequences);
      }
    }
    // Eight clicks in 2 s: each needs at least one frame of short windows.
    assertTrue(shortFrames >= 8, "short frames " + shortFrames + ": " + sequences);
  }

  @Test
  void encode_byteBufferAndShortBuffer_giveIdenticalFrames() {
    short[] pcm = program(48000, 2, 0.5);
    ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pcm);
    bytes.order(ByteOrder.BIG_ENDIAN); // the byte order of the buffer must not matter
    AacEncoder a = AacTestSupport.encoder(48000, 2, 128000);
    AacEncoder b = AacTestSupport.encoder(48000, 2, 128000);
    List<ByteBuffer> fromShorts = new ArrayList<>(a.encode(ShortBuffer.wrap(pcm)));
    fromShorts.addAll(a.flush());
    List<ByteBuffer> fromBytes = new ArrayList<>(b.encode(bytes));
    assertEquals(bytes.limit(), bytes.position());
    fromBytes.addAll(b.flush());
    assertEquals(fromShorts.size(), fromBytes.size());
    for (int i = 0; i < fromShorts.size(); i++) {
      assertEquals(fromShorts.get(i), fromBytes.get(i), "frame " + i);
    }
  }

  @Test
  void audioSpecificConfig_isAacLcAtTheConfiguredRateAndChannels() {
    AudioSpecificConfig config = AacTestSupport.encoder(44100, 2, 128000).audioSpecificConfig();
    assertArrayEquals(new byte[] {0x12, 0x10}, config.toBytes());
    assertEquals(2, config.audioObjectType());
    assertEquals(1024, config.samplesPerFrame());
  }

  @Test
  void config_rejectsBadValues_namingThem() {
    IllegalArgumentException rate =
        assertThrows(
            IllegalArgumentException.class,
            () -> AacEncoder.Config.builder().sampleRateHz(44000).build());
    assertTrue(rate.getMessage().endsWith(": 44000"), rate.getMessage());
    IllegalArgumentException channels =
        assertThrows(
            IllegalArgumentException.class,
            () -> AacEncoder.Config.builder().channelCount(3).build());
    assertTrue(channels.getMessage().endsWith(": 3"), channels.getMessage());
    IllegalArgumentException low =
        assertThrows(
            IllegalArgumentException.class,
            () -> AacEncoder.Config.builder().bitrateBps(31_999).build());
    assertTrue(low.getMessage().endsWith(": 31999"), low.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> AacEncoder.Config.builder().bitrateBps(320_001).build());
    IllegalArgumentException tooHighForRate =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AacEncoder.Config.builder()
                    .sampleRateHz(8000)
                    .channelCount(1)
                    .bitrateBps(64_000)
                    .build());
    assertTrue(tooHighForRate.getMessage().contains("64000"), tooHighForRate.getMessage());
  }

  @Test
  void encode_rejectsPartialSampleFrames_andUseAfterFlush() {
    AacEncoder encoder = AacTestSupport.encoder(48000, 2, 128000);
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(ShortBuffer.allocate(3)));
    assertThrows(IllegalArgumentException.class, () -> encoder.encode(ByteBuffer.allocate(6)));
    encoder.flush();
    assertThrows(IllegalStateException.class, () -> encoder.encode(ShortBuffer.allocate(2)));
    assertThrows(IllegalStateException.class, encoder::flush);
  }
}
