package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.aac.AacEncoder;
import io.livemux.encode.AudioEncoderInput;
import io.livemux.encode.EncoderStats;
import io.livemux.format.PcmFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PCM through an {@link AudioEncoderInput} into an {@link Mp4Recorder}: ffmpeg decodes the AAC
 * track, and, honouring the edit list that hides the encoder's priming, gives back the input's
 * samples at their times (cross-correlation peak at lag 0).
 */
class EncodedAudioRecordingTest {
  @TempDir Path dir;

  @Test
  void pcmBlocks_encodedToAac_recordAndDecodeToTheInput_primingHiddenByTheEditList() throws Exception {
    int rate = 48_000;
    AacEncoder.Config config =
        AacEncoder.Config.builder().sampleRateHz(rate).channelCount(2).bitrateBps(160_000).build();
    Path out = dir.resolve("tone.m4a");
    Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults());
    AudioEncoderInput audio = AudioEncoderInput.create(
        recorder.addTrack(AudioEncoderInput.formatFor(config), false), config);
    recorder.start();
    PcmFormat pcm = audio.pcmFormat();
    int total = 2 * rate;
    short[] input = new short[total * 2];
    for (int i = 0; i < total; i++) {
      double t = (double) i / rate;
      input[2 * i] = (short) (9000 * Math.sin(2 * Math.PI * 440 * t) + 3000 * Math.sin(2 * Math.PI * 3100 * t));
      input[2 * i + 1] = (short) (9000 * Math.sin(2 * Math.PI * 660 * t));
    }
    int block = 1000; // not a multiple of 1024: the encoder regroups
    for (int at = 0; at < total; at += block) {
      int n = Math.min(block, total - at);
      ByteBuffer bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asShortBuffer().put(input, 2 * at, 2 * n);
      Sample s = Sample.pcm(pcm, bytes, at);
      while (audio.append(s) == AppendResult.NOT_READY) {
        assertTrue(audio.awaitReady(10, TimeUnit.SECONDS), "the encoder stopped taking blocks");
      }
    }
    EncoderStats stats = audio.finish().get(30, TimeUnit.SECONDS);
    assertEquals(EncoderStats.Outcome.COMPLETED, stats.outcome(), stats.toString());
    Mp4Result result = recorder.finish().get(30, TimeUnit.SECONDS);
    int units = (total + AacEncoder.SAMPLES_PER_FRAME - 1) / AacEncoder.SAMPLES_PER_FRAME + 1;
    assertTrue(result.sampleCount() >= units, result.toString());

    Peers.Result decoded = Peers.ffmpeg("-v", "error", "-i", out.toString(), "-f", "s16le", "-ac", "2", "-");
    assertEquals("", decoded.stderr.trim(), "ffmpeg decodes it without an error");
    ByteBuffer d = ByteBuffer.wrap(decoded.stdoutBytes).order(ByteOrder.LITTLE_ENDIAN);
    short[] output = new short[d.remaining() / 2];
    d.asShortBuffer().get(output);
    assertTrue(output.length / 2 >= total, "decoded " + output.length / 2 + " frames of " + total);
    double best = Double.NEGATIVE_INFINITY;
    int bestLag = -1;
    for (int lag = -40; lag <= 1050; lag++) {
      double snr = snr(input, output, lag);
      if (snr > best) {
        best = snr;
        bestLag = lag;
      }
    }
    assertEquals(0, bestLag, "the decoded sound lines up with the input; SNR " + best);
    assertTrue(best > 20, "SNR " + best + " dB at 160 kbit/s");
  }

  /** SNR in dB of output (delayed by lag frames) against input, over the middle of the signal. */
  private static double snr(short[] input, short[] output, int lag) {
    double signal = 0;
    double noise = 0;
    for (int i = 4096; i < input.length / 2 - 4096; i++) {
      for (int c = 0; c < 2; c++) {
        double x = input[2 * i + c];
        int j = i + lag;
        double y = j >= 0 && 2 * j + c < output.length ? output[2 * j + c] : 0;
        signal += x * x;
        noise += (x - y) * (x - y);
      }
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-9));
  }
}
