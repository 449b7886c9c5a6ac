package io.livemux.codec.aac;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Side-by-side quality of our encoder and ffmpeg's native {@code aac} encoder at the same bitrate
 * on the same inputs, both decoded by ffmpeg: SNR per signal and bitrate, and pre-echo on clicks
 * (energy in the 5 ms before each click). {@link #main} prints the table.
 */
final class AacQualityComparison {
  static final int DEFAULT_RATE = 44100;
  static final int CHANNELS = 2;
  static final double SECONDS = 4;
  static final int CLICK_PERIOD_MS = 250;
  static final int[] BITRATES = {64_000, 128_000, 192_000};

  private final int rate;

  /** Comparisons at {@code rate} Hz (44100 in the test; {@link #main} takes another). */
  AacQualityComparison(int rate) {
    this.rate = rate;
  }

  /** One row: a signal at a bitrate. */
  static final class Row {
    final String signal;
    final int bitrateBps;
    final double oursSnrDb;
    final double ffmpegSnrDb;
    final double oursKbps;
    final double ffmpegKbps;
    final double oursPreEchoDb;
    final double ffmpegPreEchoDb;

    Row(String signal, int bitrateBps, double oursSnrDb, double ffmpegSnrDb, double oursKbps,
        double ffmpegKbps, double oursPreEchoDb, double ffmpegPreEchoDb) {
      this.signal = signal;
      this.bitrateBps = bitrateBps;
      this.oursSnrDb = oursSnrDb;
      this.ffmpegSnrDb = ffmpegSnrDb;
      this.oursKbps = oursKbps;
      this.ffmpegKbps = ffmpegKbps;
      this.oursPreEchoDb = oursPreEchoDb;
      this.ffmpegPreEchoDb = ffmpegPreEchoDb;
    }

    boolean snrMeetsTarget() {
      return oursSnrDb >= ffmpegSnrDb - 3;
    }

    boolean preEchoMeetsTarget() {
      return Double.isNaN(oursPreEchoDb) || oursPreEchoDb <= ffmpegPreEchoDb;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "| %-12s | %3d | %6.2f | %6.2f | %+6.2f | %6.1f | %6.1f | %s | %s |",
          signal,
          bitrateBps / 1000,
          oursSnrDb,
          ffmpegSnrDb,
          oursSnrDb - ffmpegSnrDb,
          oursKbps,
          ffmpegKbps,
          Double.isNaN(oursPreEchoDb)
              ? "   -    "
              : String.format(Locale.ROOT, "%6.1f / %6.1f", oursPreEchoDb, ffmpegPreEchoDb),
          snrMeetsTarget() && preEchoMeetsTarget() ? "yes" : "NO");
    }
  }

  static String header() {
    return "| signal       | kbit/s | ours SNR dB | ffmpeg SNR dB | diff | ours kbit/s"
        + " | ffmpeg kbit/s | pre-echo dB ours / ffmpeg | target met |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  }

  Map<String, short[]> signals(Path dir) throws IOException {
    Map<String, short[]> signals = new LinkedHashMap<>();
    signals.put("tone 1 kHz", AacTestSupport.tone(rate, CHANNELS, SECONDS, 1000, 10000));
    signals.put("sine sweep", AacTestSupport.sweep(rate, CHANNELS, SECONDS, 10000));
    signals.put("white noise", AacTestSupport.whiteNoise(rate, CHANNELS, SECONDS, 3000, 1));
    signals.put("pink noise", AacTestSupport.pinkNoise(rate, CHANNELS, SECONDS, 3000, 2));
    signals.put("clicks", AacTestSupport.clicks(rate, CHANNELS, SECONDS, CLICK_PERIOD_MS, 3));
    signals.put("speech", speech(dir));
    signals.put("chords", AacTestSupport.chords(rate, CHANNELS, SECONDS));
    return signals;
  }

  /** English speech from espeak-ng, resampled by ffmpeg to 44.1 kHz stereo. */
  short[] speech(Path dir) throws IOException {
    Path espeak = Peers.require("espeak-ng", "espeak-ng");
    Path wav = dir.resolve("speech.wav");
    Peers.check(
        Duration.ofSeconds(60),
        Arrays.asList(
            espeak.toString(), "-w", wav.toString(),
            "The quick brown fox jumps over the lazy dog. Live media, encoded once, sent twice."));
    Path raw = dir.resolve("speech.raw");
    Peers.ffmpeg(
        "-v", "error", "-i", wav.toString(), "-ar", String.valueOf(rate), "-ac",
        String.valueOf(CHANNELS), "-f", "s16le", raw.toString());
    return AacTestSupport.toShorts(Files.readAllBytes(raw));
  }

  List<Row> run(Path dir) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, short[]> signal : signals(dir).entrySet()) {
      for (int bitrate : BITRATES) {
        rows.add(row(dir, signal.getKey(), signal.getValue(), bitrate));
      }
    }
    return rows;
  }

  Row row(Path dir, String name, short[] pcm, int bitrate) throws Exception {
    double seconds = (double) pcm.length / CHANNELS / rate;
    AacEncoder encoder = AacTestSupport.encoder(rate, CHANNELS, bitrate);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 4096);
    byte[] ours = AacTestSupport.adts(frames, encoder.audioSpecificConfig());
    long oursBytes = 0;
    for (byte[] f : frames) {
      oursBytes += f.length;
    }
    short[] oursDecoded = AacTestSupport.decodeWithFfmpeg(ours, dir);
    Path raw = dir.resolve("in.raw");
    ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pcm);
    Files.write(raw, bytes.array());
    Path theirs = dir.resolve("ffmpeg.aac");
    Peers.ffmpeg(
        "-v", "error", "-f", "s16le", "-ar", String.valueOf(rate), "-ac", String.valueOf(CHANNELS),
        "-i", raw.toString(), "-c:a", "aac", "-b:a", String.valueOf(bitrate), "-f", "adts",
        theirs.toString());
    byte[] theirsBytes = Files.readAllBytes(theirs);
    long theirsPayload = 0;
    int position = 0;
    while (position + 7 <= theirsBytes.length) {
      int length =
          ((theirsBytes[position + 3] & 3) << 11)
              | ((theirsBytes[position + 4] & 0xFF) << 3)
              | ((theirsBytes[position + 5] & 0xFF) >> 5);
      theirsPayload += length - 7;
      position += length;
    }
    short[] theirsDecoded = AacTestSupport.decodeWithFfmpeg(theirsBytes, dir);
    int oursDelay = encoder.encoderDelaySamples();
    double[] reference = Arrays.copyOf(mono(pcm, 0), rate);
    double[] probe = mono(theirsDecoded, 0);
    int theirsDelay = AacTestSupport.bestLag(reference, probe, 2048);
    double oursSnr = snr(pcm, oursDecoded, oursDelay);
    double theirsSnr = snr(pcm, theirsDecoded, theirsDelay);
    double oursPre = Double.NaN;
    double theirsPre = Double.NaN;
    if (name.equals("clicks")) {
      oursPre = preEchoDb(oursDecoded, oursDelay, seconds);
      theirsPre = preEchoDb(theirsDecoded, theirsDelay, seconds);
    }
    return new Row(
        name, bitrate, oursSnr, theirsSnr, oursBytes * 8 / seconds / 1000,
        theirsPayload * 8 / seconds / 1000, oursPre, theirsPre);
  }

  static double[] mono(short[] interleaved, int offsetFrames) {
    double[] out = new double[Math.max(0, interleaved.length / CHANNELS - offsetFrames)];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      for (int c = 0; c < CHANNELS; c++) {
        sum += interleaved[(i + offsetFrames) * CHANNELS + c];
      }
      out[i] = sum;
    }
    return out;
  }

  static double snr(short[] reference, short[] decoded, int delay) {
    double signal = 0;
    double noise = 0;
    for (int c = 0; c < CHANNELS; c++) {
      double[] ref = AacTestSupport.channel(reference, CHANNELS, c, 0);
      double[] dec = AacTestSupport.channel(decoded, CHANNELS, c, delay);
      for (int i = 0; i < ref.length; i++) {
        double d = i < dec.length ? dec[i] : 0;
        signal += ref[i] * ref[i];
        noise += (ref[i] - d) * (ref[i] - d);
      }
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-9));
  }

  /** Mean energy (dB re 1 LSB^2 per sample) of the decoded signal in the 5 ms before each click. */
  double preEchoDb(short[] decoded, int delay, double seconds) {
    int[] onsets = AacTestSupport.clickOnsets(rate, seconds, CLICK_PERIOD_MS);
    int window = rate * 5 / 1000;
    double energy = 0;
    int count = 0;
    for (int onset : onsets) {
      for (int i = onset - window; i < onset; i++) {
        for (int c = 0; c < CHANNELS; c++) {
          int index = (i + delay) * CHANNELS + c;
          if (i >= 0 && index < decoded.length) {
            energy += (double) decoded[index] * decoded[index];
            count++;
          }
        }
      }
    }
    return 10 * Math.log10(Math.max(energy / Math.max(count, 1), 1e-3));
  }

  /** Prints the table; the optional argument is the sample rate (default 44100). */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("aac-quality");
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_RATE;
    System.out.println(rate + " Hz, stereo");
    System.out.println(header());
    for (Row row : new AacQualityComparison(rate).run(dir)) {
      System.out.println(row);
    }
  }
}
