package io.livemux.benchmarks;

import io.livemux.codec.aac.AacEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * AAC-LC encoding speed: livemux's pure-Java {@link AacEncoder} on one thread against ffmpeg's
 * native {@code aac} encoder (a whole {@code ffmpeg} process, one thread, reading the same PCM from
 * a tmpfs file and writing ADTS to {@code /dev/null}), on the same 20 s of 48 kHz stereo (four-note
 * chords over pink noise, with clicks every 400 ms so window switching is exercised) at {@code
 * bitrate}.
 *
 * <p>One operation encodes the whole 20 s clip; the realtime factor is {@code 20 s / score}
 * ({@code ms/op}: 200 ms/op is 100x real time). The ffmpeg figure includes starting the process
 * (some tens of ms), so read the ratio as "whole job against whole job".
 *
 * <p>On a shared, loaded machine the wall-clock score says more about the neighbours than the
 * encoder, so the {@code cpuMs} and {@code clips} counters also add up the CPU time each clip
 * took: the encoding thread's for livemux, the whole process's ({@code -benchmark}: utime + stime)
 * for ffmpeg. {@code 20000 * clips / cpuMs} is the realtime factor per core.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AacEncoderBenchmark -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class AacEncoderBenchmark {
  static final int RATE = 48_000;
  static final int CHANNELS = 2;
  static final int SECONDS = 20;

  @Param({"livemux", "ffmpeg"})
  public String encoder;

  @Param({"128000"})
  public int bitrate;

  private short[] pcm;
  private Path raw;
  private static final Pattern FFMPEG_BENCH =
      Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s");

  /** CPU time spent and clips encoded, summed over each iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    public double cpuMs;
    public long clips;

    @Setup(Level.Iteration)
    public void reset() {
      cpuMs = 0;
      clips = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    pcm = clip();
    Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : null;
    raw =
        dir == null
            ? Files.createTempFile("aac-bench", ".raw")
            : Files.createTempFile(dir, "aac-bench", ".raw");
    ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asShortBuffer().put(pcm);
    Files.write(raw, bytes.array());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(raw);
  }

  static short[] clip() {
    Random random = new Random(1);
    int frames = RATE * SECONDS;
    short[] out = new short[frames * CHANNELS];
    double[][] chords = {
      {261.63, 329.63, 392.00, 523.25}, {220.00, 261.63, 329.63, 440.00},
      {174.61, 220.00, 261.63, 349.23}, {196.00, 246.94, 293.66, 392.00}
    };
    double pink = 0;
    for (int i = 0; i < frames; i++) {
      double[] notes = chords[(i / (RATE / 2)) % 4];
      double tone = 0;
      for (double f : notes) {
        tone += Math.sin(2 * Math.PI * f * i / RATE);
      }
      pink = 0.97 * pink + 0.03 * random.nextGaussian();
      int sinceClick = i % (RATE * 2 / 5);
      double click =
          sinceClick < 400 ? 12000 * Math.exp(-sinceClick / 60.0) * random.nextGaussian() : 0;
      for (int c = 0; c < CHANNELS; c++) {
        double v = 2500 * tone + 20000 * pink * (c == 0 ? 1 : 0.8) + click;
        out[i * CHANNELS + c] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
      }
    }
    return out;
  }

  /** Returns the bytes produced, so the work cannot be optimized away. */
  @Benchmark
  public long encode20s(Cpu cpu) throws IOException, InterruptedException {
    cpu.clips++;
    if (encoder.equals("livemux")) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long startNs = threads.getCurrentThreadCpuTime();
      AacEncoder aac =
          AacEncoder.create(
              AacEncoder.Config.builder()
                  .sampleRateHz(RATE)
                  .channelCount(CHANNELS)
                  .bitrateBps(bitrate)
                  .build());
      long bytes = 0;
      for (ByteBuffer frame : aac.encode(ShortBuffer.wrap(pcm))) {
        bytes += frame.remaining();
      }
      List<ByteBuffer> tail = aac.flush();
      for (ByteBuffer frame : tail) {
        bytes += frame.remaining();
      }
      cpu.cpuMs += (threads.getCurrentThreadCpuTime() - startNs) / 1e6;
      return bytes;
    }
    Process process =
        new ProcessBuilder(
                // -benchmark prints its CPU times at the info log level.
                "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-v", "info", "-benchmark",
                "-threads", "1", "-f", "s16le", "-ar", String.valueOf(RATE), "-ac",
                String.valueOf(CHANNELS), "-i", raw.toString(), "-c:a", "aac", "-b:a",
                String.valueOf(bitrate), "-f", "adts", "-y", "/dev/null")
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException(
          "ffmpeg exited with " + exit + " (apt-get install -y ffmpeg): " + output);
    }
    Matcher bench = FFMPEG_BENCH.matcher(output);
    if (!bench.find()) {
      throw new IOException("no -benchmark line in ffmpeg's output: " + output);
    }
    cpu.cpuMs += 1000 * (Double.parseDouble(bench.group(1)) + Double.parseDouble(bench.group(2)));
    return exit;
  }
}
