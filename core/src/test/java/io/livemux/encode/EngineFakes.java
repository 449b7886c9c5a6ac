package io.livemux.encode;

import io.livemux.format.PcmFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A one-to-one fake codec, a door that records acceptance order, and a bounded fake target. */
final class EngineFakes {
  static final PcmFormat FORMAT = PcmFormat.s16le(48_000, 1);

  private EngineFakes() {}

  static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r, "engine-test");
        t.setDaemon(true);
        return t;
      };

  /** Items are longs; the segmenter starts a segment every {@code every} accepted items. */
  static final class Door implements Segmenter<Long> {
    final int every;
    final List<Long> accepted = Collections.synchronizedList(new ArrayList<>());
    final List<Long> starts = Collections.synchronizedList(new ArrayList<>());

    Door(int every) {
      this.every = every;
    }

    @Override
    public void check(Long item) {
      if (item < 0) {
        throw new IllegalArgumentException("negative item: " + item);
      }
    }

    @Override
    public boolean startsSegment(Long item) {
      boolean starts = accepted.size() % every == 0;
      accepted.add(item);
      if (starts) {
        starts(item);
      }
      return starts;
    }

    private void starts(Long item) {
      starts.add(item);
    }
  }

  /** One sample per item, its presentation time the item; can stall on a gate. */
  static final class Codec implements SegmentCodec<Long> {
    final List<Long> segmentStarts;
    final CountDownLatch gate;
    final AtomicInteger encodingNow;
    final AtomicInteger maxEncodingNow;

    Codec(List<Long> segmentStarts, CountDownLatch gate, AtomicInteger encodingNow,
        AtomicInteger maxEncodingNow) {
      this.segmentStarts = segmentStarts;
      this.gate = gate;
      this.encodingNow = encodingNow;
      this.maxEncodingNow = maxEncodingNow;
    }

    @Override
    public void encode(Long item, boolean segmentStart, List<Sample> out) {
      int now = encodingNow.incrementAndGet();
      maxEncodingNow.accumulateAndGet(now, Math::max);
      try {
        if (gate != null) {
          gate.await();
        }
        if (segmentStart) {
          segmentStarts.add(item);
        }
        for (int i = 0; i < (item % 3); i++) {
          Thread.yield(); // vary the interleavings a little
        }
        out.add(Sample.pcm(FORMAT, ByteBuffer.allocate(2), item));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } finally {
        encodingNow.decrementAndGet();
      }
    }

    @Override
    public void endSegment(List<Sample> out) {}
  }

  /**
   * A target with a bounded queue drained by its own consumer thread (or never, when stalled):
   * NOT_READY when full, like a pipeline input behind a lossless sink.
   */
  static final class Target implements EncodedTarget {
    final int capacity;
    final List<Long> received = Collections.synchronizedList(new ArrayList<>());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Long> queue = new ArrayDeque<>();
    private volatile boolean finished;
    private volatile boolean started = true;
    final CountDownLatch drainGate;

    /** {@code drainGate}: the consumer waits for it before draining (null: drains at once). */
    Target(int capacity, CountDownLatch drainGate) {
      this.capacity = capacity;
      this.drainGate = drainGate;
      Thread consumer = DAEMONS.newThread(this::consume);
      consumer.start();
    }

    private void consume() {
      try {
        if (drainGate != null) {
          drainGate.await();
        }
        while (true) {
          lock.lock();
          try {
            while (queue.isEmpty()) {
              if (finished) {
                return;
              }
              changed.await();
            }
            received.add(queue.poll());
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void setStarted(boolean started) {
      this.started = started;
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public AppendResult append(Sample sample) {
      lock.lock();
      try {
        if (!started) {
          throw new IllegalStateException("append before start");
        }
        if (finished) {
          return AppendResult.REJECTED_FINISHED;
        }
        if (queue.size() >= capacity) {
          return AppendResult.NOT_READY;
        }
        queue.add(sample.presentationTimeTicks());
        changed.signalAll();
        return AppendResult.ACCEPTED;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean isReadyForMoreMediaData() {
      lock.lock();
      try {
        return started && !finished && queue.size() < capacity;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean awaitReady(long timeoutNanos) throws InterruptedException {
      long deadline = System.nanoTime() + timeoutNanos;
      lock.lock();
      try {
        while (!finished && (!started || queue.size() >= capacity)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          changed.awaitNanos(left);
        }
        return !finished;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean isFinished() {
      return finished;
    }

    @Override
    public void markAsFinished() {
      lock.lock();
      try {
        finished = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Waits until the consumer has taken {@code count} items. */
    boolean awaitReceived(int count, long timeout, TimeUnit unit) throws InterruptedException {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      lock.lock();
      try {
        while (received.size() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          changed.awaitNanos(left);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }
  }

  static EncoderEngine<Long> engine(int capacity, int threads, boolean realTime,
      long finishTimeoutMs, Door door, Codec codecTemplate, Target target) {
    return new EncoderEngine<>("test engine", capacity, threads, realTime,
        TimeUnit.MILLISECONDS.toNanos(finishTimeoutMs), door,
        () -> new Codec(codecTemplate.segmentStarts, codecTemplate.gate, codecTemplate.encodingNow,
            codecTemplate.maxEncodingNow),
        target, DAEMONS);
  }

  static Codec codec(CountDownLatch gate) {
    return new Codec(Collections.synchronizedList(new ArrayList<>()), gate, new AtomicInteger(),
        new AtomicInteger());
  }
}
