package io.livemux.codec.aac;

import io.livemux.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.sourceforge.jaad.aac.Decoder;
import net.sourceforge.jaad.aac.SampleBuffer;

/** Signals, ADTS framing and the two independent decoders (ffmpeg, JCodec's JAAD) for the tests. */
final class AacTestSupport {
  private AacTestSupport() {}

  static AacEncoder encoder(int sampleRateHz, int channels, int bitrateBps) {
    return AacEncoder.create(
        AacEncoder.Config.builder()
            .sampleRateHz(sampleRateHz)
            .channelCount(channels)
            .bitrateBps(bitrateBps)
            .build());
  }

  /** Every access unit of {@code interleaved}, fed in pieces of {@code chunk} sample frames. */
  static List<byte[]> encode(AacEncoder encoder, short[] interleaved, int chunkFrames) {
    int channels = encoder.config().channelCount();
    List<byte[]> frames = new ArrayList<>();
    int step = chunkFrames * channels;
    for (int i = 0; i < interleaved.length; i += step) {
      int end = Math.min(interleaved.length, i + step);
      addAll(frames, encoder.encode(ShortBuffer.wrap(interleaved, i, end - i)));
    }
    addAll(frames, encoder.flush());
    return frames;
  }

  private static void addAll(List<byte[]> frames, List<ByteBuffer> buffers) {
    for (ByteBuffer b : buffers) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      frames.add(bytes);
    }
  }

  static byte[] adts(List<byte[]> frames, AudioSpecificConfig config) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      AdtsHeader header = AdtsHeader.forFrame(config, frame.length);
      byte[] headerBytes = header.toBytes();
      out.write(headerBytes, 0, headerBytes.length);
      out.write(frame, 0, frame.length);
    }
    return out.toByteArray();
  }

  /**
   * Decodes an ADTS stream with ffmpeg's native AAC decoder at {@code -v error}, fails if ffmpeg
   * prints anything, and returns the interleaved 16-bit PCM.
   */
  static short[] decodeWithFfmpeg(byte[] adts, Path dir) throws IOException {
    Path in = Files.createTempFile(dir, "enc", ".aac");
    Path out = Files.createTempFile(dir, "dec", ".raw");
    Files.write(in, adts);
    Peers.Result result =
        Peers.run(
            Duration.ofSeconds(120),
            Arrays.asList(
                Peers.ffmpeg().toString(), "-nostdin", "-y", "-v", "error", "-c:a", "aac", "-i",
                in.toString(), "-f", "s16le", "-c:a", "pcm_s16le", out.toString()));
    if (result.exitCode != 0 || !result.stderr.isEmpty()) {
      throw new AssertionError("ffmpeg failed to decode our ADTS stream cleanly: " + result.stderr);
    }
    return toShorts(Files.readAllBytes(out));
  }

  /** Decodes raw access units with JCodec's AAC decoder (JAAD); interleaved 16-bit PCM. */
  static short[] decodeWithJaad(List<byte[]> frames, AudioSpecificConfig config) throws Exception {
    Decoder decoder = new Decoder(config.toBytes());
    SampleBuffer buffer = new SampleBuffer();
    buffer.setBigEndian(false);
    ByteArrayOutputStream pcm = new ByteArrayOutputStream();
    for (byte[] frame : frames) {
      decoder.decodeFrame(frame, buffer);
      byte[] data = buffer.getData();
      pcm.write(data, 0, data.length);
    }
    return toShorts(pcm.toByteArray());
  }

  static short[] toShorts(byte[] bytes) {
    short[] values = new short[bytes.length / 2];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
    return values;
  }

  /** One channel of an interleaved signal. */
  static double[] channel(short[] interleaved, int channels, int channel, int offsetFrames) {
    int frames = interleaved.length / channels - offsetFrames;
    double[] out = new double[Math.max(0, frames)];
    for (int i = 0; i < out.length; i++) {
      out[i] = interleaved[(i + offsetFrames) * channels + channel];
    }
    return out;
  }

  /** SNR in dB of {@code decoded} against {@code reference} over the reference's length. */
  static double snrDb(double[] reference, double[] decoded) {
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < reference.length; i++) {
      double d = i < decoded.length ? decoded[i] : 0;
      signal += reference[i] * reference[i];
      noise += (reference[i] - d) * (reference[i] - d);
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-9));
  }

  /** The lag in -range..range maximizing the cross-correlation of decoded against reference. */
  static int bestLag(double[] reference, double[] decoded, int range) {
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int lag = -range; lag <= range; lag++) {
      double sum = 0;
      for (int i = 0; i < reference.length; i++) {
        int j = i + lag;
        if (j >= 0 && j < decoded.length) {
          sum += reference[i] * decoded[j];
        }
      }
      if (sum > bestValue) {
        bestValue = sum;
        best = lag;
      }
    }
    return best;
  }

  // Signals: interleaved 16-bit PCM.

  static short[] tone(int sampleRateHz, int channels, double seconds, double hz, double amplitude) {
    int frames = (int) (seconds * sampleRateHz);
    short[] out = new short[frames * channels];
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        double f = hz * (1 + 0.25 * c);
        out[i * channels + c] = clip(amplitude * Math.sin(2 * Math.PI * f * i / sampleRateHz));
      }
    }
    return out;
  }

  static short[] sweep(int sampleRateHz, int channels, double seconds, double amplitude) {
    int frames = (int) (seconds * sampleRateHz);
    short[] out = new short[frames * channels];
    double f0 = 50;
    double f1 = Math.min(18000, sampleRateHz * 0.45);
    double k = Math.log(f1 / f0) / seconds;
    for (int i = 0; i < frames; i++) {
      double t = (double) i / sampleRateHz;
      double phase = 2 * Math.PI * f0 * (Math.exp(k * t) - 1) / k;
      for (int c = 0; c < channels; c++) {
        out[i * channels + c] = clip(amplitude * Math.sin(phase + c * 0.3));
      }
    }
    return out;
  }

  static short[] whiteNoise(
      int sampleRateHz, int channels, double seconds, double amplitude, long seed) {
    Random random = new Random(seed);
    int frames = (int) (seconds * sampleRateHz);
    short[] out = new short[frames * channels];
    for (int i = 0; i < out.length; i++) {
      out[i] = clip(amplitude * random.nextGaussian());
    }
    return out;
  }

  /** Pink noise (Paul Kellet's economy filter over white noise). */
  static short[] pinkNoise(
      int sampleRateHz, int channels, double seconds, double amplitude, long seed) {
    Random random = new Random(seed);
    int frames = (int) (seconds * sampleRateHz);
    short[] out = new short[frames * channels];
    for (int c = 0; c < channels; c++) {
      double b0 = 0;
      double b1 = 0;
      double b2 = 0;
      for (int i = 0; i < frames; i++) {
        double white = random.nextGaussian();
        b0 = 0.99765 * b0 + white * 0.0990460;
        b1 = 0.96300 * b1 + white * 0.2965164;
        b2 = 0.57000 * b2 + white * 1.0526913;
        double pink = b0 + b1 + b2 + white * 0.1848;
        out[i * channels + c] = clip(amplitude * pink * 0.25);
      }
    }
    return out;
  }

  /**
   * Sharp decaying clicks (castanet-like) every {@code periodMs} over silence: noise bursts with a
   * 2 ms decay, low-passed by four causal one-pole sections at about 6 kHz so that they lie within
   * every encoder's bandwidth (nothing precedes an onset, not even filter ringing).
   */
  static short[] clicks(int sampleRateHz, int channels, double seconds, int periodMs, long seed) {
    Random random = new Random(seed);
    int frames = (int) (seconds * sampleRateHz);
    short[] out = new short[frames * channels];
    int period = sampleRateHz * periodMs / 1000;
    double a = Math.exp(-2 * Math.PI * 6000.0 / sampleRateHz);
    for (int start = period / 2; start < frames; start += period) {
      int length = sampleRateHz / 25;
      double[] state = new double[4];
      for (int i = 0; i < length && start + i < frames; i++) {
        double envelope = Math.exp(-i / (sampleRateHz * 0.002));
        double v = 60000 * envelope * (random.nextDouble() * 2 - 1);
        for (int k = 0; k < 4; k++) {
          state[k] = (1 - a) * v + a * state[k];
          v = state[k];
        }
        for (int c = 0; c < channels; c++) {
          out[(start + i) * channels + c] = clip(v);
        }
      }
    }
    return out;
  }

  /** Onsets of {@link #clicks}, in sample frames. */
  static int[] clickOnsets(int sampleRateHz, double seconds, int periodMs) {
    int frames = (int) (seconds * sampleRateHz);
    int period = sampleRateHz * periodMs / 1000;
    List<Integer> onsets = new ArrayList<>();
    for (int start = period / 2; start < frames; start += period) {
      onsets.add(start);
    }
    int[] out = new int[onsets.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = onsets.get(i);
    }
    return out;
  }

  /** A sequence of four-note chords with soft attacks, each 0.5 s. */
  static short[] chords(int sampleRateHz, int channels, double seconds) {
    double[][] chords = {
      {261.63, 329.63, 392.00, 523.25},
      {220.00, 261.63, 329.63, 440.00},
      {174.61, 220.00, 261.63, 349.23},
      {196.00, 246.94, 293.66, 392.00}
    };
    int frames = (int) (seconds * sampleRateHz);
    short[] out = new short[frames * channels];
    int chordLength = sampleRateHz / 2;
    for (int i = 0; i < frames; i++) {
      double[] notes = chords[(i / chordLength) % chords.length];
      double t = (double) (i % chordLength) / sampleRateHz;
      double envelope = Math.min(1, t / 0.01) * Math.exp(-t * 2);
      for (int c = 0; c < channels; c++) {
        double v = 0;
        for (int n = 0; n < notes.length; n++) {
          double pan = c == 0 ? 1 - 0.2 * n : 0.4 + 0.2 * n;
          for (int h = 1; h <= 4; h++) {
            v += pan * Math.sin(2 * Math.PI * notes[n] * h * i / sampleRateHz) / (h * h);
          }
        }
        out[i * channels + c] = clip(3000 * envelope * v);
      }
    }
    return out;
  }

  static short clip(double v) {
    return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
  }
}
