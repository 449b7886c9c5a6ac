package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AacEncoderPropertiesTest {
  /** A configuration the builder accepts, and a seed for the signal. */
  static final class Case {
    final int rate;
    final int channels;
    final int bitrate;
    final long seed;

    Case(int rate, int channels, int bitrate, long seed) {
      this.rate = rate;
      this.channels = channels;
      this.bitrate = bitrate;
      this.seed = seed;
    }

    @Override
    public String toString() {
      return rate + " Hz, " + channels + " ch, " + bitrate + " bit/s, seed " + seed;
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    return Combinators.combine(
            Arbitraries.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000),
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(32_000, 320_000),
            Arbitraries.longs())
        .as(
            (rate, channels, bitrate, seed) -> {
              int max = 6144 * channels * rate / 1024 * 3 / 4;
              return new Case(rate, channels, Math.max(32_000, Math.min(bitrate, max)), seed);
            })
        .filter(c -> c.bitrate <= 6144 * c.channels * c.rate / 1024 * 3 / 4);
  }

  /**
   * Silence, DC, full-scale square waves, white noise, single-sample spikes and random mixes of
   * them, switching every few hundred samples.
   */
  static short[] hostileSignal(Case c) {
    Random random = new Random(c.seed);
    int frames = c.rate / 3 + random.nextInt(3000);
    short[] out = new short[frames * c.channels];
    int i = 0;
    while (i < frames) {
      int length = 1 + random.nextInt(random.nextBoolean() ? 300 : 6000);
      int kind = random.nextInt(6);
      double period = 2 + random.nextInt(400);
      double level = random.nextBoolean() ? 32767 : random.nextInt(32768);
      double dc = random.nextInt(65536) - 32768;
      for (int n = i; n < Math.min(frames, i + length); n++) {
        for (int ch = 0; ch < c.channels; ch++) {
          double v;
          switch (kind) {
            case 0:
              v = 0;
              break;
            case 1:
              v = dc;
              break;
            case 2:
              v = ((int) (n / (period / 2)) % 2 == 0) ? level : -level - 1;
              break;
            case 3:
              v = (random.nextDouble() * 2 - 1) * level;
              break;
            case 4:
              v = n % (int) period == 0 ? (random.nextBoolean() ? 32767 : -32768) : 0;
              break;
            default:
              v = 0.5 * dc + 0.5 * (random.nextDouble() * 2 - 1) * level
                  + ((n / 7) % 2 == 0 ? 8000 : -8000);
          }
          out[n * c.channels + ch] = AacTestSupport.clip(v);
        }
      }
      i += length;
    }
    return out;
  }

  @Property(tries = 40)
  void anyPcm_yieldsFramesWithinTheBitLimit_thatParseBackAndDecodeWithFfmpegAndJcodec(
      @ForAll("cases") Case c) throws Exception {
    AacEncoder encoder = AacTestSupport.encoder(c.rate, c.channels, c.bitrate);
    short[] pcm = hostileSignal(c);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 1 + (int) (c.seed & 2047));
    assertEquals((pcm.length / c.channels + 1023) / 1024 + 1, frames.size());
    int index = encoder.audioSpecificConfig().samplingFrequencyIndex();
    for (byte[] frame : frames) {
      assertTrue(frame.length * 8 <= 6144 * c.channels, "frame of " + frame.length + " bytes");
      AacFrameParser.Frame parsed = AacFrameParser.parse(frame, index, c.channels);
      assertEquals(frame.length * 8L, parsed.bits);
    }
    long values = frames.size() * 1024L * c.channels;
    assertEquals(
        values, AacTestSupport.decodeWithJaad(frames, encoder.audioSpecificConfig()).length);
    Path dir = Files.createTempDirectory("aac-property");
    try {
      byte[] adts = AacTestSupport.adts(frames, encoder.audioSpecificConfig());
      assertEquals(values, AacTestSupport.decodeWithFfmpeg(adts, dir).length);
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }

  @Property(tries = 200)
  void frameParser_onMutatedFrames_parsesOrThrowsLivemuxException(
      @ForAll("cases") Case c) throws Exception {
    Random random = new Random(c.seed);
    AacEncoder encoder = AacTestSupport.encoder(c.rate, c.channels, c.bitrate);
    short[] pcm = AacTestSupport.whiteNoise(c.rate, c.channels, 0.1, 3000, c.seed);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 4096);
    byte[] frame = frames.get(random.nextInt(frames.size())).clone();
    int mutations = 1 + random.nextInt(8);
    for (int m = 0; m < mutations; m++) {
      switch (random.nextInt(3)) {
        case 0:
          frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
          break;
        case 1:
          frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length + 1));
          break;
        default:
          frame[random.nextInt(Math.max(1, frame.length))] = (byte) random.nextInt(256);
      }
      if (frame.length == 0) {
        break;
      }
    }
    try {
      int index = encoder.audioSpecificConfig().samplingFrequencyIndex();
      AacFrameParser.parse(frame, index, c.channels);
    } catch (LivemuxException expected) {
      assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
    }
  }
}
