package io.livemux.benchmarks;

import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.TrackInfo;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

/**
 * Samples per second from one producer through a {@link Pipeline} to its sinks, with the producer
 * creating one {@link Sample} per append (the "one small object per sample" the target allows).
 *
 * <p>One operation is one sample delivered: each invocation appends {@link #BATCH} samples and
 * waits until every sink has written or dropped all of them, so the figure is end-to-end
 * throughput, not just enqueue speed. Run with {@code -prof gc} for bytes allocated per sample.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PipelineBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class PipelineBenchmark {
  static final int BATCH = 100_000;

  /** {@code realtime}: real-time input and sink; {@code lossless}: backpressure; {@code fanout}: lossless file + real-time network sink. */
  @Param({"realtime", "lossless", "fanout"})
  public String mode;

  /** A sink that counts, as cheaply as a sink can. */
  static final class CountingSink implements SampleSink {
    final AtomicLong written = new AtomicLong();

    @Override
    public void start(List<TrackInfo> tracks) {}

    @Override
    public void formatChanged(int track, MediaFormat newFormat) {}

    @Override
    public void write(int track, Sample sample) {
      written.lazySet(written.get() + 1);
    }

    @Override
    public void finish() {}
  }

  private Pipeline pipeline;
  private WriterInput input;
  private CountingSink[] sinks;
  private ByteBuffer payload;
  private PcmFormat format;
  private long next;

  @Setup(Level.Trial)
  public void setUp() {
    format = PcmFormat.s16le(48_000, 1);
    payload = ByteBuffer.allocate(256).asReadOnlyBuffer();
    Pipeline.Builder builder = Pipeline.builder();
    boolean realTimeInput;
    switch (mode) {
      case "realtime":
        sinks = new CountingSink[] {new CountingSink()};
        builder.addSink(sinks[0], SinkOptions.realTime().withMaxQueuedSamples(1 << 16)
            .withMaxQueuedDurationUs(Long.MAX_VALUE));
        realTimeInput = true;
        break;
      case "lossless":
        sinks = new CountingSink[] {new CountingSink()};
        builder.addSink(sinks[0], SinkOptions.lossless().withMaxQueuedSamples(1 << 12)
            .withMaxQueuedDurationUs(Long.MAX_VALUE));
        realTimeInput = false;
        break;
      case "fanout":
        sinks = new CountingSink[] {new CountingSink(), new CountingSink()};
        builder.addSink(sinks[0], SinkOptions.lossless().withMaxQueuedSamples(1 << 12)
            .withMaxQueuedDurationUs(Long.MAX_VALUE));
        builder.addSink(sinks[1], SinkOptions.realTime().withMaxQueuedSamples(1 << 16)
            .withMaxQueuedDurationUs(Long.MAX_VALUE));
        realTimeInput = false;
        break;
      default:
        throw new IllegalArgumentException("mode: " + mode);
    }
    pipeline = builder.build();
    input = pipeline.addInput(format, realTimeInput);
    pipeline.start();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long deliver() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      Sample sample =
          Sample.builder(format).presentationTimeTicks(next++).durationTicks(1).payload(payload).build();
      while (input.append(sample) == AppendResult.NOT_READY) {
        input.awaitReady(10, TimeUnit.SECONDS);
      }
    }
    // Wait until each sink has written or dropped everything offered so far; the counter is read
    // while spinning and the (allocating) statistics only now and then.
    for (int s = 0; s < sinks.length; s++) {
      long spins = 0;
      while (sinks[s].written.get() < next) {
        if ((++spins & 0xFFF) == 0) {
          io.livemux.pipeline.SinkStats stats = pipeline.sinkStats(s);
          if (stats.written() + stats.dropped() >= stats.offered()) {
            break;
          }
        }
        Thread.onSpinWait();
      }
    }
    return next;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    PipelineResult result = pipeline.finish().get(10, TimeUnit.SECONDS);
    System.out.println("\n" + mode + ": " + result);
  }
}
