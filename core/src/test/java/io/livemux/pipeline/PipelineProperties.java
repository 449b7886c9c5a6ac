package io.livemux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.sample.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The pipeline's promises under random producer and consumer speeds, queue bounds, policies and
 * finish moments, on real threads.
 */
class PipelineProperties {

  /** One random scenario. */
  static final class Scenario {
    boolean[] trackIsVideo;
    boolean[] trackRealTime;
    int samplesPerTrack;
    int gop;
    boolean[] sinkLossless;
    int[] sinkMaxQueued;
    long[] sinkDelayNanos;
    long producerPauseNanos;
    int stallSink; // -1: none; else a sink whose writes block until cancelled
    int finishAfterSamples; // finish when this many appends happened in total
    long finishTimeoutMs;

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("Scenario{tracks=[");
      for (int t = 0; t < trackIsVideo.length; t++) {
        b.append(trackIsVideo[t] ? "video" : "audio").append(trackRealTime[t] ? "/rt " : " ");
      }
      b.append("], samplesPerTrack=").append(samplesPerTrack).append(", gop=").append(gop)
          .append(", sinks=[");
      for (int s = 0; s < sinkLossless.length; s++) {
        b.append(sinkLossless[s] ? "lossless" : "real-time").append('/').append(sinkMaxQueued[s])
            .append('/').append(sinkDelayNanos[s] / 1000).append("us ");
      }
      return b.append("], pauseUs=").append(producerPauseNanos / 1000).append(", stall=")
          .append(stallSink).append(", finishAfter=").append(finishAfterSamples)
          .append(", finishTimeoutMs=").append(finishTimeoutMs).append('}').toString();
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Integer> tracks = Arbitraries.integers().between(1, 3);
    Arbitrary<Integer> sinks = Arbitraries.integers().between(1, 3);
    return tracks.flatMap(
        nTracks ->
            sinks.flatMap(
                nSinks ->
                    Builders.withBuilder(Scenario::new)
                        .use(booleans(nTracks)).in((s, v) -> { s.trackIsVideo = v; return s; })
                        .use(booleans(nTracks)).in((s, v) -> { s.trackRealTime = v; return s; })
                        .use(Arbitraries.integers().between(1, 300)).in((s, v) -> { s.samplesPerTrack = v; return s; })
                        .use(Arbitraries.integers().between(1, 12)).in((s, v) -> { s.gop = v; return s; })
                        .use(booleans(nSinks)).in((s, v) -> { s.sinkLossless = v; return s; })
                        .use(ints(nSinks, 1, 40)).in((s, v) -> { s.sinkMaxQueued = v; return s; })
                        .use(longs(nSinks, 0, 30_000)).in((s, v) -> { s.sinkDelayNanos = v; return s; })
                        .use(Arbitraries.longs().between(0, 20_000)).in((s, v) -> { s.producerPauseNanos = v; return s; })
                        .use(Arbitraries.integers().between(-1, nSinks - 1)).in((s, v) -> { s.stallSink = v; return s; })
                        .use(Arbitraries.integers().between(0, 900)).in((s, v) -> { s.finishAfterSamples = v; return s; })
                        .use(Arbitraries.longs().between(50, 400)).in((s, v) -> { s.finishTimeoutMs = v; return s; })
                        .build()));
  }

  private static Arbitrary<boolean[]> booleans(int n) {
    return Arbitraries.of(true, false).array(boolean[].class).ofSize(n);
  }

  private static Arbitrary<int[]> ints(int n, int min, int max) {
    return Arbitraries.integers().between(min, max).array(int[].class).ofSize(n);
  }

  private static Arbitrary<long[]> longs(int n, long min, long max) {
    return Arbitraries.longs().between(min, max).array(long[].class).ofSize(n);
  }

  /** What the producers saw, per track: the pts of every sample and the result of its append. */
  static final class Produced {
    final List<List<Long>> acceptedByAll = new ArrayList<>();
    final List<List<Long>> offered = new ArrayList<>();
  }

  private static Sample sampleFor(Scenario sc, int track, long n) {
    return sc.trackIsVideo[track] ? Samples.gopVideo(n, sc.gop) : Samples.audio(n);
  }

  private static long sequenceOf(Scenario sc, int track, long pts) {
    return sc.trackIsVideo[track] ? pts / 3000 : pts / 1024;
  }

  /**
   * Without a stalled sink and with finish after the producers are done: nothing a lossless sink
   * took from a producer that could wait is lost or reordered; real-time drops keep video
   * decodable; every sample offered to a sink is written or counted as dropped exactly once.
   */
  @Property(tries = 80)
  void everyOfferedSample_isWrittenOrCountedOnce_andLosslessSinksLoseNothing(
      @ForAll("scenarios") Scenario sc) throws Exception {
    sc.stallSink = -1;
    Run run = Run.start(sc, Duration.ofSeconds(30));
    run.joinProducers();
    PipelineResult result = run.pipeline.finish().get(40, TimeUnit.SECONDS);
    for (int s = 0; s < run.sinks.size(); s++) {
      SinkStats stats = result.sink(s);
      RecordingSink sink = run.sinks.get(s);
      assertEquals(SinkOutcome.COMPLETED, stats.outcome(), stats + " " + sc);
      assertAccountedOnce(stats, sink, sc);
      for (int t = 0; t < sc.trackIsVideo.length; t++) {
        List<Long> written = sink.ptsOfTrack(t);
        assertStrictlyIncreasing(written, "sink " + s + " track " + t);
        if (sc.sinkLossless[s] && !sc.trackRealTime[t]) {
          assertEquals(run.produced.offered.get(t), written, "lossless sink " + s + " track " + t);
        }
        if (sc.trackIsVideo[t]) {
          assertDecodable(sc, t, written);
        }
      }
      assertEquals(run.totalOffered(), stats.offered(), "offered to sink " + s);
    }
  }

  /**
   * With one sink stalled for good and finish at a random moment while producers still append:
   * finish completes within its bound, the stalled sink is cancelled with its samples counted, and
   * the other sinks are not delayed: a lossless one holds every sample all sinks accepted.
   */
  @Property(tries = 60)
  void finish_withStalledSink_atRandomMoment_completesWithinBound_andOthersAreUndisturbed(
      @ForAll("scenarios") Scenario sc) throws Exception {
    if (sc.stallSink < 0) {
      sc.stallSink = 0;
    }
    // A stalled real-time sink never gates anyone; make it real-time so that the lossless sinks
    // are fed at full speed, which is the claim under test.
    sc.sinkLossless[sc.stallSink] = false;
    Run run = Run.start(sc, Duration.ofMillis(sc.finishTimeoutMs));
    run.awaitAppends(sc.finishAfterSamples);
    long start = System.nanoTime();
    PipelineResult result = run.pipeline.finish().get(10, TimeUnit.SECONDS);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    run.joinProducers();
    assertTrue(
        elapsedMs <= sc.finishTimeoutMs + 1000,
        "finish took " + elapsedMs + " ms, bound " + sc.finishTimeoutMs + " ms, " + sc);
    SinkStats stalled = result.sink(sc.stallSink);
    if (stalled.accepted() > 0) { // else it never got a sample to stall on
      assertEquals(SinkOutcome.TIMED_OUT, stalled.outcome(), stalled.toString());
      assertTrue(run.sinks.get(sc.stallSink).cancelled);
    }
    for (int s = 0; s < run.sinks.size(); s++) {
      SinkStats stats = result.sink(s);
      assertAccountedOnce(stats, run.sinks.get(s), sc);
      if (s == sc.stallSink || stats.outcome() != SinkOutcome.COMPLETED) {
        continue;
      }
      for (int t = 0; t < sc.trackIsVideo.length; t++) {
        List<Long> written = run.sinks.get(s).ptsOfTrack(t);
        assertStrictlyIncreasing(written, "sink " + s + " track " + t);
        if (sc.sinkLossless[s] && !sc.trackRealTime[t]) {
          Set<Long> got = new HashSet<>(written);
          for (long pts : run.produced.acceptedByAll.get(t)) {
            assertTrue(got.contains(pts), "lossless sink " + s + " lost pts " + pts + " " + sc);
          }
        }
      }
    }
  }

  private static void assertAccountedOnce(SinkStats stats, RecordingSink sink, Scenario sc) {
    assertEquals(0, stats.queuedSamples(), stats.toString());
    assertEquals(0, stats.inFlightSamples(), stats.toString());
    assertEquals(stats.offered(), stats.written() + stats.dropped(), stats + " " + sc);
    if (stats.outcome() == SinkOutcome.COMPLETED) {
      assertEquals(stats.written(), sink.writes.size(), stats.toString());
    } else {
      // A cancelled write may still land after the sink was abandoned; never more than one batch.
      assertTrue(sink.writes.size() <= stats.written() + 64, stats.toString());
    }
  }

  private static void assertStrictlyIncreasing(List<Long> pts, String what) {
    for (int i = 1; i < pts.size(); i++) {
      assertTrue(pts.get(i) > pts.get(i - 1), what + ": reordered at " + i + ": " + pts);
    }
  }

  /** Every written non-sync frame's reference (the previous non-disposable frame) was written. */
  private static void assertDecodable(Scenario sc, int track, List<Long> writtenPts) {
    long lastReference = Long.MIN_VALUE;
    for (long pts : writtenPts) {
      long n = sequenceOf(sc, track, pts);
      boolean sync = n % sc.gop == 0;
      boolean disposable = !sync && n % 2 == 1;
      if (!sync) {
        long reference = n - 1;
        while (reference % sc.gop != 0 && reference % 2 == 1) {
          reference--; // disposable frames are nobody's reference
        }
        assertEquals(reference, lastReference, "track " + track + ": frame " + n + " lost its reference");
      }
      if (!disposable) {
        lastReference = n;
      }
    }
  }

  /** Producer threads feeding one pipeline. */
  static final class Run {
    final Pipeline pipeline;
    final List<RecordingSink> sinks = new ArrayList<>();
    final Produced produced = new Produced();
    final List<Thread> producers = new ArrayList<>();
    final AtomicLong appends = new AtomicLong();
    final AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    final CountDownLatch allAppended;

    private Run(Scenario sc, Duration finishTimeout) {
      Pipeline.Builder builder = Pipeline.builder().finishTimeout(finishTimeout);
      for (int s = 0; s < sc.sinkLossless.length; s++) {
        RecordingSink sink = new RecordingSink();
        sink.writeDelayNanos = sc.sinkDelayNanos[s];
        if (s == sc.stallSink) {
          sink.gate = new CountDownLatch(1); // never opened: only cancel frees it
        }
        sinks.add(sink);
        SinkOptions options = sc.sinkLossless[s] ? SinkOptions.lossless() : SinkOptions.realTime();
        builder.addSink(sink, options.withMaxQueuedSamples(sc.sinkMaxQueued[s]).withName("sink" + s));
      }
      pipeline = builder.build();
      int tracks = sc.trackIsVideo.length;
      allAppended = new CountDownLatch(tracks);
      for (int t = 0; t < tracks; t++) {
        produced.acceptedByAll.add(Collections.synchronizedList(new ArrayList<>()));
        produced.offered.add(Collections.synchronizedList(new ArrayList<>()));
        WriterInput input =
            pipeline.addInput(sc.trackIsVideo[t] ? Samples.VIDEO : Samples.AUDIO, sc.trackRealTime[t]);
        int track = t;
        producers.add(new Thread(() -> produce(sc, track, input), "producer-" + t));
      }
    }

    static Run start(Scenario sc, Duration finishTimeout) {
      Run run = new Run(sc, finishTimeout);
      run.pipeline.start();
      for (Thread t : run.producers) {
        t.start();
      }
      return run;
    }

    private void produce(Scenario sc, int track, WriterInput input) {
      try {
        for (long n = 0; n < sc.samplesPerTrack; n++) {
          Sample sample = sampleFor(sc, track, n);
          AppendResult r;
          while ((r = input.append(sample)) == AppendResult.NOT_READY) {
            if (!input.awaitReady(30, TimeUnit.SECONDS)) {
              if (input.isFinished()) {
                return;
              }
              throw new AssertionError("input " + track + " never became ready");
            }
          }
          appends.incrementAndGet();
          if (r == AppendResult.REJECTED_FINISHED) {
            return;
          }
          produced.offered.get(track).add(sample.presentationTimeTicks());
          if (r == AppendResult.ACCEPTED) {
            produced.acceptedByAll.get(track).add(sample.presentationTimeTicks());
          }
          long end = System.nanoTime() + sc.producerPauseNanos;
          while (System.nanoTime() < end) {
            Thread.onSpinWait();
          }
        }
      } catch (Throwable e) {
        producerFailure.compareAndSet(null, e);
      } finally {
        allAppended.countDown();
      }
    }

    long totalOffered() {
      long total = 0;
      for (List<Long> l : produced.offered) {
        total += l.size();
      }
      return total;
    }

    /** Returns once {@code count} appends happened, or every producer is done. */
    void awaitAppends(long count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (appends.get() < count && allAppended.getCount() > 0) {
        assertTrue(System.nanoTime() < deadline, "producers stuck");
        Thread.onSpinWait();
      }
    }

    void joinProducers() throws InterruptedException {
      assertTrue(allAppended.await(60, TimeUnit.SECONDS), "producers blocked");
      for (Thread t : producers) {
        t.join();
      }
      if (producerFailure.get() != null) {
        throw new AssertionError("producer failed", producerFailure.get());
      }
    }
  }
}
