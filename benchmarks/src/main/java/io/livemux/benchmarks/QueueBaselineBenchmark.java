package io.livemux.benchmarks;

import io.livemux.format.PcmFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
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
 * The floor {@link PipelineBenchmark} is compared with: the same samples handed from one producer
 * to one (or, for fan-out, two) consumer threads through the JDK's {@link ArrayBlockingQueue}, with
 * no policy, statistics or checks. Same operation: one sample delivered.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar 'PipelineBenchmark|QueueBaselineBenchmark'</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class QueueBaselineBenchmark {
  static final int BATCH = PipelineBenchmark.BATCH;

  @Param({"1", "2"})
  public int consumers;

  private ArrayBlockingQueue<Sample>[] queues;
  private AtomicLong[] taken;
  private Thread[] threads;
  private ByteBuffer payload;
  private PcmFormat format;
  private long next;

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() {
    format = PcmFormat.s16le(48_000, 1);
    payload = ByteBuffer.allocate(256).asReadOnlyBuffer();
    queues = new ArrayBlockingQueue[consumers];
    taken = new AtomicLong[consumers];
    threads = new Thread[consumers];
    for (int c = 0; c < consumers; c++) {
      ArrayBlockingQueue<Sample> queue = new ArrayBlockingQueue<>(1 << 12);
      AtomicLong count = new AtomicLong();
      queues[c] = queue;
      taken[c] = count;
      threads[c] = new Thread(() -> {
        try {
          while (true) {
            queue.take();
            count.lazySet(count.get() + 1);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // end of trial
        }
      });
      threads[c].setDaemon(true);
      threads[c].start();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long deliver() throws InterruptedException {
    for (int i = 0; i < BATCH; i++) {
      Sample sample =
          Sample.builder(format).presentationTimeTicks(next++).durationTicks(1).payload(payload).build();
      for (ArrayBlockingQueue<Sample> queue : queues) {
        queue.put(sample);
      }
    }
    for (AtomicLong count : taken) {
      while (count.get() < next) {
        Thread.onSpinWait();
      }
    }
    return next;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (Thread t : threads) {
      t.interrupt();
    }
  }
}
