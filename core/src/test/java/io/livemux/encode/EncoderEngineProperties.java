package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The encoder engine's queue under random producers, codecs and targets. */
class EncoderEngineProperties {
  /** Producers append their own items (producer * 1000 + n) as fast as readiness lets them. */
  private static List<Thread> startProducers(EncoderEngine<Long> engine, int producers,
      int perProducer, AtomicInteger refusedFinished, List<Throwable> errors) {
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long base = p * 1000L;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int n = 0; n < perProducer; n++) {
                    while (true) {
                      AppendResult r = engine.append(base + n);
                      if (r == AppendResult.ACCEPTED) {
                        break;
                      }
                      if (r == AppendResult.REJECTED_FINISHED) {
                        refusedFinished.incrementAndGet();
                        return;
                      }
                      assertEquals(AppendResult.NOT_READY, r);
                      engine.awaitReady(TimeUnit.SECONDS.toNanos(5));
                    }
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    return threads;
  }

  @Property(tries = 60)
  void queue_underRandomProducers_neverExceedsBound_neverLosesOrReorders(
      @ForAll @IntRange(min = 1, max = 8) int capacity,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll @IntRange(min = 1, max = 3) int producers,
      @ForAll @IntRange(min = 0, max = 40) int perProducer,
      @ForAll @IntRange(min = 1, max = 10) int segmentEvery,
      @ForAll @IntRange(min = 1, max = 4) int targetCapacity)
      throws Exception {
    EngineFakes.Door door = new EngineFakes.Door(segmentEvery);
    EngineFakes.Codec codec = EngineFakes.codec(null);
    EngineFakes.Target target = new EngineFakes.Target(targetCapacity, null);
    EncoderEngine<Long> engine =
        EngineFakes.engine(capacity, threads, false, 5_000, door, codec, target);
    List<Throwable> errors = new ArrayList<>();
    List<Thread> running =
        startProducers(engine, producers, perProducer, new AtomicInteger(), errors);
    for (Thread t : running) {
      t.join(TimeUnit.SECONDS.toMillis(20));
    }
    assertTrue(errors.isEmpty(), errors.toString());
    engine.markAsFinished();
    EncoderStats stats = engine.done().get(10, TimeUnit.SECONDS);
    int total = producers * perProducer;
    assertEquals(EncoderStats.Outcome.COMPLETED, stats.outcome(), stats.toString());
    assertTrue(target.awaitReceived(total, 10, TimeUnit.SECONDS), "target got " + target.received);
    // Never lost, never reordered: the target sees exactly the acceptance order.
    assertEquals(new ArrayList<>(door.accepted), new ArrayList<>(target.received));
    assertEquals(total, stats.acceptedCount());
    assertEquals(total, stats.deliveredCount());
    assertEquals(0, stats.discardedCount());
    // Never above the bound, and never more threads encoding than asked for.
    assertTrue(stats.maxInFlight() <= capacity, stats.toString());
    assertTrue(codec.maxEncodingNow.get() <= threads, "encoding at once: " + codec.maxEncodingNow);
    // Every segment, and only a segment, started with an independent item.
    List<Long> starts = new ArrayList<>(codec.segmentStarts);
    starts.sort(null);
    List<Long> expected = new ArrayList<>(door.starts);
    expected.sort(null);
    assertEquals(expected, starts);
  }

  @Property(tries = 40)
  void finish_whileProducersAppend_completesWithinBound(
      @ForAll @IntRange(min = 1, max = 6) int capacity,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll @IntRange(min = 1, max = 3) int producers,
      @ForAll @IntRange(min = 0, max = 30) int finishAfter,
      @ForAll @IntRange(min = 0, max = 2) int stall)
      throws Exception {
    long boundMs = 150;
    // stall 0: nothing stalls; 1: the target never drains; 2: the codec never returns.
    CountDownLatch codecGate = stall == 2 ? new CountDownLatch(1) : null;
    CountDownLatch drainGate = stall == 1 ? new CountDownLatch(1) : null;
    EngineFakes.Door door = new EngineFakes.Door(4);
    EngineFakes.Codec codec = EngineFakes.codec(codecGate);
    EngineFakes.Target target = new EngineFakes.Target(2, drainGate);
    EncoderEngine<Long> engine =
        EngineFakes.engine(capacity, threads, false, boundMs, door, codec, target);
    List<Throwable> errors = new ArrayList<>();
    List<Thread> running = startProducers(engine, producers, 1000, new AtomicInteger(), errors);
    try {
      // Let some items in (or as many as fit when stalled), then finish while producers still run.
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (door.accepted.size() < Math.min(finishAfter, capacity) && System.nanoTime() < waitUntil) {
        engine.awaitReady(TimeUnit.MILLISECONDS.toNanos(10));
        Thread.yield();
      }
      long start = System.nanoTime();
      engine.markAsFinished();
      EncoderStats stats = engine.done().get(5, TimeUnit.SECONDS);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // The bound, plus scheduling slack on a shared 2-core machine.
      assertTrue(elapsedMs <= boundMs + 400, "finish took " + elapsedMs + " ms: " + stats);
      for (Thread t : running) {
        t.join(TimeUnit.SECONDS.toMillis(5));
        assertTrue(!t.isAlive(), "a producer is still appending after finish");
      }
      assertTrue(errors.isEmpty(), errors.toString());
      if (stall != 0) {
        assertTrue(stats.outcome() == EncoderStats.Outcome.TIMED_OUT
            || (stats.outcome() == EncoderStats.Outcome.COMPLETED && stats.acceptedCount() == 0)
            || (stall == 1 && stats.outcome() == EncoderStats.Outcome.COMPLETED
                && stats.acceptedCount() <= 2), stats.toString());
      }
      // Whatever was accepted was delivered or counted as discarded, and delivery kept the order.
      assertEquals(stats.acceptedCount(), stats.deliveredCount() + stats.discardedCount(),
          stats.toString());
      if (drainGate != null) {
        drainGate.countDown();
      }
      assertTrue(target.awaitReceived((int) stats.deliveredCount(), 5, TimeUnit.SECONDS));
      List<Long> accepted = new ArrayList<>(door.accepted);
      assertEquals(accepted.subList(0, (int) stats.deliveredCount()),
          new ArrayList<>(target.received));
      assertTrue(stats.maxInFlight() <= capacity, stats.toString());
      assertTrue(target.isFinished(), "the target input was not marked finished");
    } finally {
      if (codecGate != null) {
        codecGate.countDown();
      }
      if (drainGate != null) {
        drainGate.countDown();
      }
    }
  }
}
