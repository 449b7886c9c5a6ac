package io.livemux.benchmarks;

import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Recorder;
import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * How long {@link Mp4Recorder#finish()} takes while producers append at full rate: the time from
 * the call to the future's completion (which includes draining the lossless queue, the last
 * fragment, the final moov and the fsyncs), as JMH sample-time percentiles (p50, p99, p100 = max).
 *
 * <p>Each invocation records a fresh file: one producer thread per track (H.264 video and AAC
 * audio of {@link BenchmarkMedia}'s clip, looped with advancing timestamps) appends as fast as it
 * can, waiting only when the lossless queue is full ({@code realTime=false}) or never waiting
 * ({@code realTime=true}: full queues drop by policy). Once {@code recordFragments} fragments are
 * in the file (the recorder's own progress, not a sleep) the benchmark thread
 * calls {@code finish()} and waits for the future; the producers keep appending until their
 * appends are refused. The time measured is that wait alone; the recording before it is set-up.
 * An invocation whose future fails or whose file is not finalized fails the run.
 *
 * <p>Files go to {@code /dev/shm} (tmpfs) by default; {@code -p storage=tmp} puts them on the
 * disk under {@code java.io.tmpdir}, where finish's fsyncs flush whatever the producers wrote that
 * the kernel has not yet written back (producers here run far faster than real time, so that is
 * a worst case).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Mp4FinishLatencyBenchmark -p storage=shm,tmp</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 10, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class Mp4FinishLatencyBenchmark {
  /** Fragments (1 s of media each) published before {@code finish()} is called. */
  @Param({"8"})
  public int recordFragments;

  /** {@code false}: lossless producers that wait when the queue is full; {@code true}: real-time. */
  @Param({"false", "true"})
  public boolean realTime;

  /** {@code shm}: /dev/shm (tmpfs) when present; {@code tmp}: java.io.tmpdir. */
  @Param({"shm"})
  public String storage;

  private BenchmarkMedia media;
  private Path dir;
  private Path out;
  private long loopUs;
  private Mp4Recorder recorder;
  private Thread[] producers;
  private final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
  private final AtomicLong appended = new AtomicLong();
  private long invocations;
  private long samplesWritten;

  @Setup(Level.Trial)
  public void setUpTrial() throws Exception {
    media = BenchmarkMedia.load(Mp4MuxBenchmark.CLIP_SECONDS);
    dir = BenchmarkMedia.outputDirectory(storage);
    out = dir.resolve("finish.mp4");
    loopUs = media.loopUs;
  }

  @Setup(Level.Invocation)
  public void startRecording() throws Exception {
    recorder = Mp4Recorder.create(out, Mp4Options.defaults());
    WriterInput[] inputs = new WriterInput[media.tracks.size()];
    for (int t = 0; t < inputs.length; t++) {
      inputs[t] = recorder.addTrack(media.tracks.get(t).format, realTime);
    }
    recorder.start();
    producers = new Thread[inputs.length];
    for (int t = 0; t < inputs.length; t++) {
      WriterInput input = inputs[t];
      BenchmarkMedia.SourceTrack track = media.tracks.get(t);
      producers[t] = new Thread(() -> produce(input, track), "producer-" + t);
      producers[t].setDaemon(true);
      producers[t].start();
    }
    // Wait on the recording's progress, not on the clock.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (recorder.progress().fragments() < recordFragments) {
      if (System.nanoTime() > deadline || producerFailure.get() != null) {
        throw new IllegalStateException(
            "recording never reached " + recordFragments + " fragments", producerFailure.get());
      }
      Thread.onSpinWait();
    }
  }

  /** Appends the track's samples, clip after clip, until appends are refused (finish began). */
  private void produce(WriterInput input, BenchmarkMedia.SourceTrack track) {
    try {
      long loopTicks = BenchmarkMedia.loopTicks(loopUs, track.timescale);
      List<Sample> samples = track.samples;
      for (long loop = 0; ; loop++) {
        long shift = loop * loopTicks;
        for (Sample s : samples) {
          Sample shifted = s.shiftedBy(shift);
          AppendResult r;
          while ((r = input.append(shifted)) == AppendResult.NOT_READY) {
            input.awaitReady(1, TimeUnit.SECONDS);
          }
          if (r == AppendResult.REJECTED_FINISHED) {
            return;
          }
          appended.incrementAndGet();
        }
      }
    } catch (Throwable e) {
      producerFailure.compareAndSet(null, e);
    }
  }

  @Benchmark
  public Mp4Result finish() throws Exception {
    return recorder.finish().get(30, TimeUnit.SECONDS);
  }

  @TearDown(Level.Invocation)
  public void stopRecording() throws Exception {
    Mp4Result result = recorder.finish().get(30, TimeUnit.SECONDS); // already complete
    for (Thread p : producers) {
      p.join(10_000);
      if (p.isAlive()) {
        throw new IllegalStateException(p.getName() + " still appending 10 s after finish");
      }
    }
    if (producerFailure.get() != null) {
      throw new IllegalStateException("a producer failed", producerFailure.get());
    }
    if (!result.isFinalized()) {
      throw new IllegalStateException("the file was not finalized: " + result);
    }
    invocations++;
    for (var t : result.tracks()) {
      samplesWritten += t.sampleCount();
    }
  }

  @TearDown(Level.Trial)
  public void tearDownTrial() throws Exception {
    System.out.println(
        "\nrealTime=" + realTime + ": " + invocations + " recordings, " + samplesWritten
            + " samples written in all (" + (invocations == 0 ? 0 : samplesWritten / invocations)
            + " per recording), " + appended.get() + " appends accepted; last file's ffprobe packets: "
            + BenchmarkMedia.probePackets(out));
    BenchmarkMedia.deleteDirectory(dir);
  }
}
