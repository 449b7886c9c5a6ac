package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import io.livemux.pipeline.AppendResult;
import io.livemux.sample.Sample;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's rules, each with a fake codec and target whose stalls the test controls. */
class EncoderEngineTest {
  @Test
  void fullQueue_notRealTime_returnsNotReady_andReadinessIsFalse() throws Exception {
    CountDownLatch codecGate = new CountDownLatch(1);
    EngineFakes.Door door = new EngineFakes.Door(100);
    EngineFakes.Target target = new EngineFakes.Target(4, null);
    EncoderEngine<Long> engine =
        EngineFakes.engine(3, 1, false, 1_000, door, EngineFakes.codec(codecGate), target);
    assertTrue(engine.isReadyForMoreMediaData());
    for (long i = 0; i < 3; i++) {
      assertEquals(AppendResult.ACCEPTED, engine.append(i));
    }
    assertFalse(engine.isReadyForMoreMediaData());
    assertEquals(AppendResult.NOT_READY, engine.append(3L));
    assertFalse(engine.awaitReady(TimeUnit.MILLISECONDS.toNanos(50)));
    codecGate.countDown();
    assertTrue(engine.awaitReady(TimeUnit.SECONDS.toNanos(5)));
    assertEquals(AppendResult.ACCEPTED, engine.append(3L));
    engine.markAsFinished();
    assertEquals(4, engine.done().get(5, TimeUnit.SECONDS).deliveredCount());
    assertTrue(target.awaitReceived(4, 5, TimeUnit.SECONDS));
    assertEquals(List.of(0L, 1L, 2L, 3L), target.received);
  }

  @Test
  void fullQueue_realTime_dropsAndCounts() throws Exception {
    CountDownLatch codecGate = new CountDownLatch(1);
    EngineFakes.Door door = new EngineFakes.Door(100);
    EngineFakes.Target target = new EngineFakes.Target(4, null);
    EncoderEngine<Long> engine =
        EngineFakes.engine(2, 1, true, 1_000, door, EngineFakes.codec(codecGate), target);
    assertEquals(AppendResult.ACCEPTED, engine.append(0L));
    assertEquals(AppendResult.ACCEPTED, engine.append(1L));
    assertEquals(AppendResult.DROPPED, engine.append(2L));
    assertEquals(AppendResult.DROPPED, engine.append(3L));
    codecGate.countDown();
    engine.markAsFinished();
    EncoderStats stats = engine.done().get(5, TimeUnit.SECONDS);
    assertEquals(2, stats.droppedFullCount());
    assertEquals(2, stats.deliveredCount());
    assertEquals(List.of(0L, 1L), door.accepted);
  }

  @Test
  void slowTarget_fillsTheQueue_thenReadinessTurnsFalse() throws Exception {
    CountDownLatch drainGate = new CountDownLatch(1);
    EngineFakes.Door door = new EngineFakes.Door(100);
    EngineFakes.Target target = new EngineFakes.Target(2, drainGate);
    EncoderEngine<Long> engine =
        EngineFakes.engine(3, 1, false, 1_000, door, EngineFakes.codec(null), target);
    long next = 0;
    // Accepted: 2 in the target's queue + 3 in ours, then nothing moves until the target drains.
    while (true) {
      AppendResult r = engine.append(next);
      if (r == AppendResult.ACCEPTED) {
        next++;
      } else if (!engine.awaitReady(TimeUnit.MILLISECONDS.toNanos(300))) {
        break;
      }
    }
    assertEquals(5, next);
    assertFalse(engine.isReadyForMoreMediaData());
    assertEquals(AppendResult.NOT_READY, engine.append(next));
    assertEquals(3, engine.stats().maxInFlight());
    drainGate.countDown();
    assertTrue(engine.awaitReady(TimeUnit.SECONDS.toNanos(5)));
    engine.markAsFinished();
    assertEquals(EncoderStats.Outcome.COMPLETED, engine.done().get(5, TimeUnit.SECONDS).outcome());
  }

  @Test
  void itemsBeforeTheTargetStarts_waitForIt_thenArriveInOrder() throws Exception {
    EngineFakes.Door door = new EngineFakes.Door(2);
    EngineFakes.Target target = new EngineFakes.Target(8, null);
    target.setStarted(false);
    EncoderEngine<Long> engine =
        EngineFakes.engine(4, 2, false, 1_000, door, EngineFakes.codec(null), target);
    for (long i = 0; i < 4; i++) {
      assertEquals(AppendResult.ACCEPTED, engine.append(i));
    }
    assertEquals(AppendResult.NOT_READY, engine.append(4L));
    target.setStarted(true);
    assertTrue(target.awaitReceived(4, 5, TimeUnit.SECONDS));
    assertEquals(List.of(0L, 1L, 2L, 3L), target.received);
    engine.markAsFinished();
    engine.done().get(5, TimeUnit.SECONDS);
  }

  @Test
  void cancel_discardsQueuedItems_andFinishesTheTarget() throws Exception {
    CountDownLatch codecGate = new CountDownLatch(1);
    EngineFakes.Door door = new EngineFakes.Door(100);
    EngineFakes.Target target = new EngineFakes.Target(4, null);
    EncoderEngine<Long> engine =
        EngineFakes.engine(4, 1, false, 1_000, door, EngineFakes.codec(codecGate), target);
    for (long i = 0; i < 4; i++) {
      engine.append(i);
    }
    EncoderStats stats = engine.cancel();
    codecGate.countDown();
    assertEquals(EncoderStats.Outcome.CANCELLED, stats.outcome());
    assertEquals(4, stats.discardedCount());
    assertTrue(target.isFinished());
    assertEquals(AppendResult.REJECTED_FINISHED, engine.append(9L));
    assertEquals(EncoderStats.Outcome.CANCELLED, engine.done().get(1, TimeUnit.SECONDS).outcome());
  }

  @Test
  void targetFinishedFirst_endsWithPipelineEnded_andDiscardsTheRest() throws Exception {
    EngineFakes.Door door = new EngineFakes.Door(100);
    EngineFakes.Target target = new EngineFakes.Target(1, new CountDownLatch(1));
    EncoderEngine<Long> engine =
        EngineFakes.engine(4, 1, false, 5_000, door, EngineFakes.codec(null), target);
    for (long i = 0; i < 4; i++) {
      assertEquals(AppendResult.ACCEPTED, engine.append(i));
    }
    target.markAsFinished();
    EncoderStats stats = engine.done().get(5, TimeUnit.SECONDS);
    assertEquals(EncoderStats.Outcome.PIPELINE_ENDED, stats.outcome());
    assertEquals(4, stats.deliveredCount() + stats.discardedCount(), stats.toString());
  }

  @Test
  void codecFailure_completesTheFutureExceptionally_andRejectsLaterItems() throws Exception {
    EngineFakes.Target target = new EngineFakes.Target(4, null);
    EncoderEngine<Long> engine =
        new EncoderEngine<>("failing", 4, 1, false, TimeUnit.SECONDS.toNanos(1),
            new EngineFakes.Door(100),
            () -> new SegmentCodec<Long>() {
              @Override
              public void encode(Long item, boolean segmentStart, List<Sample> out)
                  throws LivemuxException {
                throw new LivemuxException("codec broke on item " + item);
              }

              @Override
              public void endSegment(List<Sample> out) {}
            },
            target, EngineFakes.DAEMONS);
    engine.append(7L);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> engine.done().get(5, TimeUnit.SECONDS));
    assertInstanceOf(LivemuxException.class, e.getCause());
    assertEquals("codec broke on item 7", e.getCause().getMessage());
    assertEquals(AppendResult.REJECTED_FINISHED, engine.append(8L));
    assertTrue(target.isFinished());
  }

  @Test
  void requestMediaDataWhenReady_pullsEveryItem() throws Exception {
    EngineFakes.Door door = new EngineFakes.Door(3);
    EngineFakes.Target target = new EngineFakes.Target(2, null);
    EncoderEngine<Long> engine =
        EngineFakes.engine(2, 2, false, 1_000, door, EngineFakes.codec(null), target);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      AtomicLong next = new AtomicLong();
      engine.requestMediaDataWhenReady(executor, () -> {
        long n = next.get();
        if (n == 50) {
          engine.markAsFinished();
        } else if (engine.append(n) == AppendResult.ACCEPTED) {
          next.incrementAndGet();
        }
      });
      EncoderStats stats = engine.done().get(10, TimeUnit.SECONDS);
      assertEquals(50, stats.deliveredCount());
      assertTrue(target.awaitReceived(50, 5, TimeUnit.SECONDS));
      assertEquals(door.accepted, target.received);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void twoThreads_encodeConsecutiveSegmentsAtTheSameTime_andDeliverInOrder() throws Exception {
    // Each segment's first item waits for the other thread's: only two segments encoded at once pass.
    CyclicBarrier bothSegmentsStarted = new CyclicBarrier(2);
    EngineFakes.Door door = new EngineFakes.Door(3);
    EngineFakes.Target target = new EngineFakes.Target(8, null);
    EncoderEngine<Long> engine =
        new EncoderEngine<>("parallel", 6, 2, false, TimeUnit.SECONDS.toNanos(5), door,
            () -> new SegmentCodec<Long>() {
              @Override
              public void encode(Long item, boolean segmentStart, List<Sample> out) {
                if (segmentStart && item < 6) {
                  try {
                    bothSegmentsStarted.await(5, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    throw new IllegalStateException("the segments were not encoded at once", e);
                  }
                }
                out.add(Sample.pcm(EngineFakes.FORMAT, java.nio.ByteBuffer.allocate(2), item));
              }

              @Override
              public void endSegment(List<Sample> out) {}
            },
            target, EngineFakes.DAEMONS);
    for (long i = 0; i < 6; i++) {
      assertEquals(AppendResult.ACCEPTED, engine.append(i));
    }
    engine.markAsFinished();
    assertEquals(EncoderStats.Outcome.COMPLETED, engine.done().get(10, TimeUnit.SECONDS).outcome());
    assertTrue(target.awaitReceived(6, 5, TimeUnit.SECONDS));
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), target.received);
  }

  @Test
  void itemRefusedAtTheDoor_throwsAndLeavesNoTrace() {
    EngineFakes.Door door = new EngineFakes.Door(1);
    EncoderEngine<Long> engine =
        EngineFakes.engine(2, 1, false, 1_000, door, EngineFakes.codec(null),
            new EngineFakes.Target(2, null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> engine.append(-5L));
    assertEquals("negative item: -5", e.getMessage());
    assertEquals(0, engine.stats().acceptedCount());
    engine.cancel();
  }
}
