package io.livemux.encode;

import io.livemux.LivemuxException;
import io.livemux.pipeline.AppendResult;
import io.livemux.sample.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The engine behind every encoder input, whatever the codec: a bounded queue, one or more encoder
 * threads, a delivery thread, readiness, and bounded finish and cancel.
 *
 * <p><b>The queue and its bound.</b> An item counts against {@code capacity} from the {@link
 * #append} that accepts it until the encoded sample it became has been handed to the target (or
 * discarded): queued, being encoded, or encoded and waiting for delivery. {@link #append} refuses
 * with {@code NOT_READY} (or, real-time, drops with {@code DROPPED}) when that count is at the
 * bound, so a slow target turns readiness false after at most {@code capacity} items, and memory
 * stays bounded by {@code capacity} items plus one codec's state per thread.
 *
 * <p><b>Segments and threads.</b> The {@link Segmenter} cuts the input, in append order, into
 * segments a codec can encode independently (GOPs that start with an IDR). Each encoder thread has
 * its own {@link SegmentCodec}, claims the oldest segment nobody has claimed, and encodes it item by
 * item as items arrive. The delivery thread hands the oldest segment's samples to the target as
 * they are encoded and holds later segments' samples until their turn: output order is append
 * order, whatever the number of threads. With one thread this is a plain serial encoder.
 *
 * <p><b>Finish.</b> {@link #markAsFinished()} closes the input; the engine encodes and delivers
 * what it holds, then marks the target finished and completes {@link #done()}. The delivery thread
 * enforces the bound: at {@code finishTimeout} after {@code markAsFinished} whatever is left is
 * discarded (counted) and the future completes, even if an encoder thread is still inside a
 * picture (it discards its result when it comes back). {@link #cancel()} does the same at once.
 * If the target ends first (the pipeline finished), the rest is discarded as well.
 *
 * <p><b>Threads.</b> {@link #append} and every public-facing method may be called from any thread;
 * appends are serialized by the engine's lock, which no thread holds while encoding or waiting for
 * the target. Codecs are called only from their own encoder thread; the target only from the
 * delivery thread.
 */
final class EncoderEngine<T> {
  /** Longest single wait on the target's readiness, so cancel and the finish bound are noticed. */
  private static final long TARGET_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final String name;
  private final int capacity;
  private final boolean realTime;
  private final Segmenter<T> segmenter;
  private final EncodedTarget target;
  private final long finishTimeoutNanos;
  private final CompletableFuture<EncoderStats> done = new CompletableFuture<>();

  private final ReentrantLock lock = new ReentrantLock();
  /** Encoder threads and the delivery thread wait here for items, samples and state changes. */
  private final Condition work = lock.newCondition();
  /** Producers in {@link #awaitReady} wait here for room. */
  private final Condition room = lock.newCondition();

  // Guarded by lock.
  private final ArrayDeque<Segment<T>> segments = new ArrayDeque<>();
  private Segment<T> open;
  private int inFlight;
  private int encoding;
  private int maxInFlight;
  private long accepted;
  private long droppedFull;
  private long rejected;
  private long encoded;
  private long delivered;
  private long discarded;
  private boolean finishing;
  private long finishDeadlineNanos;
  private EncoderStats.Outcome outcome = EncoderStats.Outcome.RUNNING;

  private volatile Executor callbackExecutor;
  private volatile Runnable callback;
  private final AtomicBoolean callbackScheduled = new AtomicBoolean();

  /** Items of one independent segment, and the samples they became. Guarded by the engine's lock. */
  private static final class Segment<T> {
    final ArrayDeque<T> items = new ArrayDeque<>();
    final ArrayDeque<Sample> outputs = new ArrayDeque<>();
    /** No more items will join (a later segment has started, or the input finished). */
    boolean closed;
    boolean claimed;
    /** Every item is encoded and the codec's end-of-segment samples are in {@link #outputs}. */
    boolean encoded;
  }

  EncoderEngine(
      String name,
      int capacity,
      int threads,
      boolean realTime,
      long finishTimeoutNanos,
      Segmenter<T> segmenter,
      Supplier<? extends SegmentCodec<T>> codecs,
      EncodedTarget target,
      ThreadFactory threadFactory) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1: " + threads);
    }
    this.name = name;
    this.capacity = capacity;
    this.realTime = realTime;
    this.finishTimeoutNanos = finishTimeoutNanos;
    this.segmenter = segmenter;
    this.target = target;
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      started.add(threadFactory.newThread(() -> encodeLoop(codecs)));
    }
    started.add(threadFactory.newThread(this::deliveryLoop));
    for (Thread t : started) {
      t.start();
    }
  }

  // ---- producer side -------------------------------------------------------------------------

  AppendResult append(T item) {
    lock.lock();
    try {
      if (finishing || outcome != EncoderStats.Outcome.RUNNING) {
        rejected++;
        return AppendResult.REJECTED_FINISHED;
      }
      segmenter.check(item);
      if (inFlight >= capacity) {
        if (realTime) {
          droppedFull++;
          return AppendResult.DROPPED;
        }
        return AppendResult.NOT_READY;
      }
      boolean starts = segmenter.startsSegment(item);
      if (open == null || starts) {
        if (open != null) {
          open.closed = true;
        }
        open = new Segment<>();
        segments.add(open);
      }
      open.items.add(item);
      accepted++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      work.signalAll();
      return AppendResult.ACCEPTED;
    } finally {
      lock.unlock();
    }
  }

  boolean isReadyForMoreMediaData() {
    lock.lock();
    try {
      return !finishing && outcome == EncoderStats.Outcome.RUNNING && inFlight < capacity;
    } finally {
      lock.unlock();
    }
  }

  /** True once ready; false on timeout, or once the input has finished or ended. */
  boolean awaitReady(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    lock.lock();
    try {
      while (true) {
        if (finishing || outcome != EncoderStats.Outcome.RUNNING) {
          return false;
        }
        if (inFlight < capacity) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        room.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  void requestMediaDataWhenReady(Executor executor, Runnable callback) {
    if (executor == null || callback == null) {
      throw new NullPointerException(executor == null ? "executor" : "callback");
    }
    this.callbackExecutor = executor;
    this.callback = callback;
    maybeSchedule();
  }

  void markAsFinished() {
    lock.lock();
    try {
      if (finishing || outcome != EncoderStats.Outcome.RUNNING) {
        return;
      }
      finishing = true;
      finishDeadlineNanos = System.nanoTime() + finishTimeoutNanos;
      if (open != null) {
        open.closed = true;
      }
      work.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isFinished() {
    lock.lock();
    try {
      return finishing || outcome != EncoderStats.Outcome.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  /** Completes when the input has ended (normally with the stats; exceptionally if the codec failed). */
  CompletableFuture<EncoderStats> done() {
    return done;
  }

  EncoderStats cancel() {
    end(EncoderStats.Outcome.CANCELLED, null);
    return stats();
  }

  EncoderStats stats() {
    lock.lock();
    try {
      return snapshot();
    } finally {
      lock.unlock();
    }
  }

  private EncoderStats snapshot() {
    return new EncoderStats(accepted, droppedFull, rejected, encoded, delivered, discarded,
        maxInFlight, capacity, outcome);
  }

  // ---- encoder threads -----------------------------------------------------------------------

  private void encodeLoop(Supplier<? extends SegmentCodec<T>> codecs) {
    List<Sample> out = new ArrayList<>();
    try {
      SegmentCodec<T> codec = codecs.get();
      while (true) {
        Segment<T> segment = claimSegment();
        if (segment == null) {
          return;
        }
        boolean first = true;
        while (true) {
          T item = nextItem(segment);
          if (item == null) {
            break;
          }
          codec.encode(item, first, out);
          first = false;
          if (!addEncoded(segment, out, true)) {
            return;
          }
        }
        codec.endSegment(out);
        if (!addEncoded(segment, out, false)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // Nobody interrupts these private threads; if someone does, stop and say why.
      Thread.currentThread().interrupt();
      end(EncoderStats.Outcome.FAILED, e);
    } catch (LivemuxException | RuntimeException | Error e) {
      end(EncoderStats.Outcome.FAILED, e);
    }
  }

  /** The oldest segment nobody has claimed, waiting for one; null once there will be none. */
  private Segment<T> claimSegment() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (outcome != EncoderStats.Outcome.RUNNING) {
          return null;
        }
        for (Segment<T> s : segments) {
          if (!s.claimed) {
            s.claimed = true;
            return s;
          }
        }
        if (finishing) {
          return null; // every segment is closed and claimed: no more work will come
        }
        work.await();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The segment's next item, waiting for it; null at the segment's end or when the engine ended. */
  private T nextItem(Segment<T> segment) throws InterruptedException {
    lock.lock();
    try {
      while (segment.items.isEmpty() && !segment.closed && outcome == EncoderStats.Outcome.RUNNING) {
        work.await();
      }
      if (outcome != EncoderStats.Outcome.RUNNING || segment.items.isEmpty()) {
        return null;
      }
      encoding++;
      return segment.items.poll();
    } finally {
      lock.unlock();
    }
  }

  /** Hands encoded samples to the segment; false if the engine has ended meanwhile (they are dropped). */
  private boolean addEncoded(Segment<T> segment, List<Sample> out, boolean forItem) {
    boolean freed;
    lock.lock();
    try {
      if (outcome != EncoderStats.Outcome.RUNNING) {
        out.clear(); // counted as discarded when the engine ended
        return false;
      }
      if (forItem) {
        encoding--;
        encoded++;
      }
      segment.outputs.addAll(out);
      int before = inFlight;
      inFlight += out.size() - (forItem ? 1 : 0);
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (!forItem) {
        segment.encoded = true;
      }
      freed = inFlight < before;
      if (freed) {
        room.signalAll();
      }
      work.signalAll();
    } finally {
      lock.unlock();
    }
    out.clear();
    if (freed) {
      maybeSchedule();
    }
    return true;
  }

  // ---- delivery thread -----------------------------------------------------------------------

  private void deliveryLoop() {
    boolean targetStarted = false;
    try {
      while (true) {
        Sample sample = nextOutput();
        if (sample == null) {
          return;
        }
        while (true) {
          if (!targetStarted) {
            // Before the pipeline starts its inputs refuse appends; wait until it first runs.
            if (target.isReadyForMoreMediaData()) {
              targetStarted = true;
            } else if (!waitForTarget()) {
              return;
            } else {
              continue;
            }
          }
          AppendResult r = offer(sample);
          if (r == null) {
            return; // ended
          }
          if (r != AppendResult.NOT_READY) {
            break;
          }
          if (!waitForTarget()) {
            return;
          }
        }
        maybeSchedule();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      end(EncoderStats.Outcome.FAILED, e);
    } catch (RuntimeException | Error e) {
      end(EncoderStats.Outcome.FAILED, e);
    }
  }

  /**
   * The next encoded sample in order (left at the head of its segment until delivered), waiting for
   * it; null once the engine has ended. Completes the engine when everything has been delivered
   * after {@link #markAsFinished}, and enforces the finish bound.
   */
  private Sample nextOutput() throws InterruptedException {
    boolean completed = false;
    lock.lock();
    try {
      while (true) {
        if (outcome != EncoderStats.Outcome.RUNNING) {
          return null;
        }
        Segment<T> head = segments.peek();
        if (head != null && !head.outputs.isEmpty()) {
          return head.outputs.peek();
        }
        if (head != null && head.encoded) {
          segments.poll();
          continue;
        }
        if (head == null && finishing) {
          outcome = EncoderStats.Outcome.COMPLETED;
          work.signalAll();
          room.signalAll();
          completed = true;
          return null;
        }
        if (finishing) {
          long left = finishDeadlineNanos - System.nanoTime();
          if (left <= 0) {
            break;
          }
          work.awaitNanos(left);
        } else {
          work.await();
        }
      }
    } finally {
      lock.unlock();
      if (completed) {
        target.markAsFinished();
        done.complete(stats());
      }
    }
    end(EncoderStats.Outcome.TIMED_OUT, null);
    return null;
  }

  /** Appends the head sample to the target; null if the engine has ended. */
  private AppendResult offer(Sample sample) {
    AppendResult r;
    boolean targetEnded = false;
    lock.lock();
    try {
      if (outcome != EncoderStats.Outcome.RUNNING) {
        return null;
      }
      // Under the lock, so that nothing reaches the target after cancel or the finish bound.
      r = target.append(sample);
      if (r == AppendResult.REJECTED_FINISHED) {
        targetEnded = true;
      } else if (r != AppendResult.NOT_READY) {
        segments.peek().outputs.poll();
        delivered++;
        inFlight--;
        room.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (targetEnded) {
      end(EncoderStats.Outcome.PIPELINE_ENDED, null);
      return null;
    }
    return r;
  }

  /**
   * Waits a slice for the target to be ready; false (after ending the engine) once the target has
   * finished or the finish bound has passed, or if the engine ended meanwhile.
   */
  private boolean waitForTarget() throws InterruptedException {
    long slice = TARGET_WAIT_SLICE_NANOS;
    lock.lock();
    try {
      if (outcome != EncoderStats.Outcome.RUNNING) {
        return false;
      }
      if (finishing) {
        long left = finishDeadlineNanos - System.nanoTime();
        if (left <= 0) {
          slice = -1;
        } else {
          slice = Math.min(slice, left);
        }
      }
    } finally {
      lock.unlock();
    }
    if (slice < 0) {
      end(EncoderStats.Outcome.TIMED_OUT, null);
      return false;
    }
    if (target.isFinished()) {
      end(EncoderStats.Outcome.PIPELINE_ENDED, null);
      return false;
    }
    target.awaitReady(slice);
    return true;
  }

  // ---- ending --------------------------------------------------------------------------------

  /** Ends the engine unless it has ended: discards what it holds, finishes the target, completes. */
  private void end(EncoderStats.Outcome how, Throwable failure) {
    EncoderStats stats;
    lock.lock();
    try {
      if (outcome != EncoderStats.Outcome.RUNNING) {
        return;
      }
      outcome = how;
      for (Segment<T> s : segments) {
        discarded += s.items.size() + s.outputs.size();
      }
      discarded += encoding;
      encoding = 0;
      segments.clear();
      open = null;
      inFlight = 0;
      work.signalAll();
      room.signalAll();
      stats = snapshot();
    } finally {
      lock.unlock();
    }
    target.markAsFinished();
    if (failure != null) {
      done.completeExceptionally(
          failure instanceof LivemuxException
              ? failure
              : new LivemuxException(name + " failed: " + failure, failure));
    } else {
      done.complete(stats);
    }
  }

  // ---- pull-style producers ------------------------------------------------------------------

  private void maybeSchedule() {
    Runnable cb = callback;
    Executor executor = callbackExecutor;
    if (cb == null || !isReadyForMoreMediaData()) {
      return;
    }
    if (!callbackScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::runCallback);
    } catch (RejectedExecutionException e) {
      callbackScheduled.set(false);
      throw e;
    }
  }

  private void runCallback() {
    try {
      while (isReadyForMoreMediaData()) {
        callback.run();
      }
    } finally {
      callbackScheduled.set(false);
    }
    // Readiness may have come back between the last check and clearing the flag.
    maybeSchedule();
  }
}
