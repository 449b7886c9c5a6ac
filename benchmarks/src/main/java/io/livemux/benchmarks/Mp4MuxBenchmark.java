package io.livemux.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Pass-through H.264 + AAC muxing to a file: livemux's {@code Mp4Writer} (driven directly) and
 * {@code Mp4Recorder} (through its pipeline and worker thread), mp4parser's streaming {@code
 * FragmentedMp4Writer} and JCodec's {@code MP4Muxer}, side by side on the same in-memory samples.
 *
 * <p>The clip is 20 s of 1280x720 30 fps H.264 (2 B-frames, GOP 60, about 3 Mbit/s) and 48 kHz
 * stereo AAC that ffmpeg makes once ({@link BenchmarkMedia}): 600 video and 939 audio samples,
 * 7.9 MB of payload. {@link #recording20s} muxes it into a fresh file and finishes the file;
 * {@link #recording200s} muxes it 10 times back to back (timestamps advancing) into one file, so
 * that what a recording costs once (buffers that grow to a fragment's size, opening the file,
 * the final moov) weighs a tenth as much per sample. livemux finalizes in place (with its fsyncs),
 * mp4parser ends fragmented with an mfra, JCodec writes mdat then moov. {@code payload-only} is
 * the control: the payloads alone, no MP4, copied once into a direct buffer and written from it
 * (the least copying possible for payloads held in heap buffers).
 *
 * <p>One operation is one sample, so {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes
 * allocated per sample (every thread's allocations, the recorder's worker included), and the
 * {@code payloadBytes} counter is payload bytes per second. Each library's own input objects
 * (livemux {@code Sample}, mp4parser {@code StreamingSample}, JCodec {@code Packet}) are built once
 * in setup, so neither figure counts wrapping the samples.
 *
 * <p>Files go to {@code /dev/shm} (tmpfs) by default, so the figure is the muxer's cost rather
 * than the disk's; {@code -p storage=tmp} writes to {@code java.io.tmpdir} instead. At the end of
 * each trial ffprobe counts the packets of the last file written, which the log prints.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Mp4MuxBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 3, jvmArgsAppend = {"-Xmx1g"})
public class Mp4MuxBenchmark {
  /** Samples in the clip: 600 video + 939 audio; checked in setup. */
  static final int SAMPLES = 1539;
  static final int CLIP_SECONDS = 20;
  static final int LONG_LOOPS = 10;

  /** {@code payload-only} is the control: the payloads alone, no MP4, with the least copying. */
  @Param({"livemux-writer", "livemux-recorder", "mp4parser", "jcodec", "payload-only"})
  public String muxer;

  /** {@code shm}: /dev/shm (tmpfs) when present; {@code tmp}: java.io.tmpdir. */
  @Param({"shm"})
  public String storage;

  /** Payload bytes muxed, reported by JMH as a rate: bytes of payload per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Payload {
    public long payloadBytes;

    @Setup(Level.Iteration)
    public void reset() {
      payloadBytes = 0;
    }
  }

  private BenchmarkMedia media;
  private ClipMuxer clipMuxer;
  private Path dir;
  private Path out;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    BenchmarkMedia clip = BenchmarkMedia.load(CLIP_SECONDS);
    if (clip.sampleCount() != SAMPLES) {
      throw new IllegalStateException(
          "the clip has " + clip.sampleCount() + " samples, the benchmark counts " + SAMPLES
              + " per invocation: update SAMPLES");
    }
    media = params.getBenchmark().endsWith("recording200s") ? clip.looped(LONG_LOOPS) : clip;
    clipMuxer = ClipMuxer.of(muxer, media);
    dir = BenchmarkMedia.outputDirectory(storage);
    out = dir.resolve(muxer + ".mp4");
  }

  /** The 20 s clip, one file per invocation. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES)
  public void recording20s(Payload payload) throws Exception {
    clipMuxer.mux(out);
    payload.payloadBytes += media.payloadBytes;
  }

  /** The clip 10 times over, 200 s in one file per invocation. */
  @Benchmark
  @OperationsPerInvocation(SAMPLES * LONG_LOOPS)
  public void recording200s(Payload payload) throws Exception {
    clipMuxer.mux(out);
    payload.payloadBytes += media.payloadBytes;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    String check =
        muxer.equals("payload-only")
            ? "not an MP4"
            : "ffprobe packets: " + BenchmarkMedia.probePackets(out);
    System.out.println(
        "\n" + muxer + " wrote " + Files.size(out) + " bytes for " + media.payloadBytes
            + " payload bytes to " + out + "; " + check);
    BenchmarkMedia.deleteDirectory(dir);
  }
}
