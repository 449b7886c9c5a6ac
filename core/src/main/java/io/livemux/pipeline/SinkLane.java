package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import io.livemux.format.TrackType;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's bounded queue and the worker that drains it into the sink.
 *
 * <p>Producers call {@link #offer} (under {@link #lock}); the worker thread runs {@link #run}; the
 * pipeline calls {@link #finishInputs} and {@link #abort} from any thread. The queue is a {@link
 * SampleRing}, so queuing a sample allocates nothing.
 *
 * <p>An idle worker parks outside the lock ({@link LockSupport}); a producer that must wake it
 * unparks it after releasing the lock, so a woken worker never queues up behind the producer for the
 * lock. On a 2-core machine an unpark (a system call and a cross-CPU wake-up) costs as much as
 * queuing a few hundred samples, so a worker that has just emptied its queue first dozes (a timed
 * park) and is woken early only when the lane is half full or out of room; only an idle worker
 * sleeps until the next sample (see WORKER_DOZING). The worker takes the lock once per batch: it
 * books the batch it wrote and takes the next one together. Measured with PipelineBenchmark.
 */
final class SinkLane implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SinkLane.class);
  private static final int BATCH = 64;

  /** The worker is taking or writing samples: nobody needs to wake it. */
  private static final int WORKER_RUNNING = 0;
  /**
   * The queue ran empty moments ago and the worker naps for {@link #DOZE_NANOS}: a producer wakes it
   * early only for a half-full lane or a lane without room. While samples stream in, this saves the
   * producer an unpark (a system call) every few samples, at the price of at most one nap of
   * extra queue latency for a sample that arrives while the worker dozes.
   */
  private static final int WORKER_DOZING = 1;
  /** The worker parked until woken: the next sample wakes it (an idle or slow stream pays nothing). */
  private static final int WORKER_SLEEPING = 2;
  static final long DOZE_NANOS = 200_000;
  private static final int DOZES_BEFORE_SLEEP = 4;

  static final int OFFER_ACCEPTED = 0;
  static final int OFFER_DROPPED = 1;
  static final int OFFER_REFUSED_FINISHED = 2;

  final SampleSink sink;
  final SinkOptions options;
  private final Pipeline pipeline;

  private final ReentrantLock lock = new ReentrantLock();

  /** The queue; guarded by {@link #lock}. Empty until {@link #start} sizes it for the tracks. */
  private SampleRing ring = new SampleRing(1);
  private boolean[] awaitingKeyframe;
  /** Per track: may the drop policy evict its queued samples? Not in a lossless sink fed by a producer that waits. */
  private boolean[] evictable;

  private boolean inputsFinished;
  /** Non-null once offers are refused: FINISHED, SINK_FAILED, FINISH_TIMEOUT or CANCELLED. */
  private DropReason refuseReason;
  /** Set by abort: the worker's later progress no longer counts. */
  private boolean abandoned;
  /** What the worker is doing, for producers deciding whether to unpark it. Under the lock. */
  private int workerState = WORKER_RUNNING;
  /**
   * Empty-queue naps in a row, worker thread only; the worker sleeps until woken after {@link
   * #DOZES_BEFORE_SLEEP}. It starts asleep: the first sample wakes it at once.
   */
  private int dozes = DOZES_BEFORE_SLEEP;
  /**
   * Queued samples at which a producer wakes a dozing worker early. Half the bound: the nap's end
   * normally comes first, so a fast producer pays no unpark at all, and the lane keeps room.
   */
  private int wakeDozerAt;
  /**
   * Mirrors {@code refuseReason != null || hasRoom()} for lock-free readiness checks; written under
   * the lock after every change of the queue. Readiness is advisory (the bounds are soft by one
   * sample per producer), so a stale read costs at most one sample of overshoot or one retry.
   */
  private volatile boolean roomOrClosed = true;

  private SinkOutcome outcome = SinkOutcome.RUNNING;
  private Throwable failure;

  private long offered;
  private long accepted;
  private long written;
  private int inFlight;
  private long inFlightBytes;
  private final long[] dropped = new long[DropReason.values().length];
  private long worstLatencyNanos;

  private List<TrackInfo> trackInfos;
  private volatile Thread worker;

  SinkLane(Pipeline pipeline, SampleSink sink, SinkOptions options) {
    this.pipeline = pipeline;
    this.sink = sink;
    this.options = options;
  }

  /** Sizes the ring (the bound plus one sample per producer that may overshoot it) and starts the worker. */
  void start(List<TrackInfo> tracks, java.util.concurrent.ThreadFactory threadFactory) {
    this.ring = new SampleRing(options.maxQueuedSamples() + tracks.size() + 1);
    this.wakeDozerAt = Math.max(1, options.maxQueuedSamples() / 2);
    this.awaitingKeyframe = new boolean[tracks.size()];
    this.evictable = new boolean[tracks.size()];
    for (TrackInfo t : tracks) {
      evictable[t.index()] = !options.isLossless() || t.isRealTime();
    }
    this.trackInfos = tracks;
    worker = threadFactory.newThread(this);
    worker.start();
  }

  // ---- producer side -------------------------------------------------------------------------

  /** True if this lane takes part in readiness for an input of this kind, and has room. */
  boolean gatesReadiness(boolean realTimeInput) {
    return realTimeInput || options.isLossless();
  }

  /** A dozing worker must not let a full lane wait for its nap to end. */
  private boolean roomAfterOffer() {
    return refuseReason == null && hasRoom();
  }

  /** True while the queue is below all three bounds (or the lane no longer takes samples). */
  boolean hasRoomOrIsClosed() {
    return roomOrClosed;
  }

  /**
   * Call under the lock after any change to the queue, its bounds' inputs or refuseReason. Returns
   * true if the lane just gained room: only then can a waiting producer become ready.
   */
  private boolean updateRoom() {
    boolean now = refuseReason != null || hasRoom();
    if (now != roomOrClosed) {
      roomOrClosed = now;
      return now;
    }
    return false;
  }

  /**
   * Queues {@code sample} or drops it by policy. With a lossless sink and a producer that is not
   * real-time, the caller checked for room first and the sample is always queued.
   */
  int offer(int track, Sample sample, long decodeTimeUs, boolean realTimeInput, long nowNanos) {
    int result;
    boolean wake;
    lock.lock();
    try {
      result = offerLocked(track, sample, decodeTimeUs, realTimeInput, nowNanos);
      wake = workerState != WORKER_RUNNING && ring.count() > 0
          && (workerState == WORKER_SLEEPING || ring.count() >= wakeDozerAt || !roomAfterOffer());
      if (wake) {
        workerState = WORKER_RUNNING;
      }
    } finally {
      updateRoom();
      lock.unlock();
    }
    if (wake) {
      LockSupport.unpark(worker);
    }
    return result;
  }

  private int offerLocked(
      int track, Sample sample, long decodeTimeUs, boolean realTimeInput, long nowNanos) {
    offered++;
    if (refuseReason != null) {
      dropped[refuseReason.ordinal()]++;
      return refuseReason == DropReason.FINISHED ? OFFER_REFUSED_FINISHED : OFFER_DROPPED;
    }
    boolean video = sample.format().trackType() == TrackType.VIDEO;
    if (video && awaitingKeyframe[track] && !sample.isSync()) {
      dropped[DropReason.UNTIL_KEYFRAME.ordinal()]++;
      return OFFER_DROPPED;
    }
    if (hasRoom() || (options.isLossless() && !realTimeInput)) {
      enqueue(track, sample, decodeTimeUs, video, nowNanos);
      return OFFER_ACCEPTED;
    }
    return dropByPolicy(track, sample, decodeTimeUs, video, nowNanos);
  }

  /**
   * The real-time policy when the queue is full: disposable video first, then video up to the next
   * keyframe, audio only when no video is left.
   */
  private int dropByPolicy(int track, Sample sample, long decodeTimeUs, boolean video, long nowNanos) {
    if (video && sample.isDisposable()) {
      dropped[DropReason.DISPOSABLE.ordinal()]++;
      return OFFER_DROPPED;
    }
    while (!hasRoom()) {
      int i = ring.oldestDisposableVideo();
      if (i < 0) {
        break;
      }
      ring.removeAt(i);
      dropped[DropReason.DISPOSABLE.ordinal()]++;
    }
    if (!hasRoom()) {
      if (video) {
        // The queue keeps a decodable prefix; this frame and its dependants wait for a keyframe.
        awaitingKeyframe[track] = true;
        dropped[DropReason.UNTIL_KEYFRAME.ordinal()]++;
        return OFFER_DROPPED;
      }
      while (!hasRoom()) {
        int i = ring.newestVideo();
        if (i < 0) {
          break;
        }
        // Removing the newest frame of a track keeps its queued prefix decodable.
        awaitingKeyframe[ring.track(i)] = true;
        ring.removeAt(i);
        dropped[DropReason.UNTIL_KEYFRAME.ordinal()]++;
      }
      if (!hasRoom()) {
        dropped[DropReason.AUDIO_OVERFLOW.ordinal()]++;
        return OFFER_DROPPED;
      }
    }
    enqueue(track, sample, decodeTimeUs, video, nowNanos);
    return OFFER_ACCEPTED;
  }

  private boolean hasRoom() {
    // Samples the worker holds still count: a stalled sink holds no more than the bound.
    return ring.count() + inFlight < options.maxQueuedSamples()
        && ring.queuedBytes() + inFlightBytes < options.maxQueuedBytes()
        && ring.queuedDurationUs() < options.maxQueuedDurationUs();
  }

  private void enqueue(int track, Sample sample, long decodeTimeUs, boolean video, long nowNanos) {
    byte kind = 0;
    if (video && evictable[track]) {
      kind = sample.isDisposable()
          ? (byte) (SampleRing.EVICTABLE_VIDEO | SampleRing.EVICTABLE_DISPOSABLE)
          : SampleRing.EVICTABLE_VIDEO;
    }
    ring.add(track, sample, decodeTimeUs, nowNanos, kind);
    accepted++;
    if (video && sample.isSync()) {
      awaitingKeyframe[track] = false;
    }
  }

  private void dropAllQueued(DropReason reason) {
    dropped[reason.ordinal()] += ring.clear();
  }

  // ---- pipeline side -------------------------------------------------------------------------

  /** No more offers: drain what is queued, then finish the sink. */
  void finishInputs() {
    lock.lock();
    try {
      inputsFinished = true;
      if (refuseReason == null) {
        refuseReason = DropReason.FINISHED;
      }
      updateRoom();
      workerState = WORKER_RUNNING;
    } finally {
      lock.unlock();
    }
    LockSupport.unpark(worker);
  }

  /**
   * Stops the lane now (finish bound ran out, or cancel): drops what is queued or in flight under
   * {@code reason}, interrupts the worker and cancels the sink. Returns false if the lane had
   * already ended.
   */
  boolean abort(DropReason reason, SinkOutcome why) {
    lock.lock();
    try {
      if (outcome != SinkOutcome.RUNNING) {
        return false;
      }
      outcome = why;
      abandoned = true;
      refuseReason = reason;
      dropAllQueued(reason);
      dropped[reason.ordinal()] += inFlight;
      inFlight = 0;
      inFlightBytes = 0;
      updateRoom();
      workerState = WORKER_RUNNING;
    } finally {
      lock.unlock();
    }
    if (worker != null) {
      LockSupport.unpark(worker);
      worker.interrupt();
    }
    try {
      sink.cancel();
    } catch (RuntimeException e) {
      log.warn("sink {} threw from cancel()", options.name(), e);
    }
    pipeline.laneEnded();
    return true;
  }

  SinkStats stats() {
    lock.lock();
    try {
      return new SinkStats(
          options.name(), outcome, offered, accepted, written, dropped, ring.count(), inFlight,
          ring.queuedBytes() + inFlightBytes, ring.queuedDurationUs(), worstLatencyNanos / 1000, failure);
    } finally {
      lock.unlock();
    }
  }

  // ---- worker side ---------------------------------------------------------------------------

  @Override
  public void run() {
    try {
      sink.start(trackInfos);
    } catch (IOException | RuntimeException e) {
      fail(e, 0);
      return;
    }
    MediaFormat[] current = new MediaFormat[trackInfos.size()];
    for (TrackInfo t : trackInfos) {
      current[t.index()] = t.format();
    }
    Sample[] batch = new Sample[BATCH];
    int[] batchTracks = new int[BATCH];
    int n = 0; // the batch just written, booked at the next turn of the lock
    while (true) {
      boolean park = false;
      boolean gainedRoom;
      lock.lock();
      try {
        if (abandoned) {
          return;
        }
        workerState = WORKER_RUNNING;
        written += n;
        inFlight = 0;
        inFlightBytes = 0;
        n = 0;
        if (ring.count() == 0) {
          if (inputsFinished) {
            updateRoom();
            break; // everything written
          }
          // An idle worker parks at once, never spinning. Yielding first (tried: 8..512 yields)
          // was faster on a quiet machine but collapsed to a third of the throughput on this
          // shared 2-core one.
          workerState = dozes < DOZES_BEFORE_SLEEP ? WORKER_DOZING : WORKER_SLEEPING;
          park = true;
        } else {
          n = takeBatch(batch, batchTracks);
          dozes = 0;
        }
        gainedRoom = updateRoom();
      } finally {
        lock.unlock();
      }
      if (gainedRoom) {
        pipeline.laneDrained();
      }
      if (park) {
        if (dozes < DOZES_BEFORE_SLEEP) {
          dozes++;
          LockSupport.parkNanos(this, DOZE_NANOS);
        } else {
          LockSupport.park(this);
        }
        if (Thread.currentThread().isInterrupted()) {
          // Only abort interrupts the worker; anything else is treated as a failure of this sink.
          // The flag stays set for whoever owns the thread.
          if (!isAbandoned()) {
            fail(new InterruptedIOException("sink worker interrupted"), 0);
          }
          return;
        }
        continue;
      }
      int done = 0;
      try {
        for (; done < n; done++) {
          Sample sample = batch[done];
          int track = batchTracks[done];
          MediaFormat format = sample.format();
          if (format != current[track]) {
            if (!format.equals(current[track])) {
              sink.formatChanged(track, format);
            }
            current[track] = format;
          }
          sink.write(track, sample);
          batch[done] = null;
        }
      } catch (IOException | RuntimeException e) {
        java.util.Arrays.fill(batch, null);
        fail(e, n - done, done);
        return;
      }
    }
    try {
      sink.finish();
    } catch (IOException | RuntimeException e) {
      fail(e, 0);
      return;
    }
    boolean ended;
    lock.lock();
    try {
      ended = outcome == SinkOutcome.RUNNING;
      if (ended) {
        outcome = SinkOutcome.COMPLETED;
      }
    } finally {
      lock.unlock();
    }
    if (ended) {
      pipeline.laneEnded();
    }
  }

  /** Moves up to {@link #BATCH} samples from the queue's head to the worker. Under the lock. */
  private int takeBatch(Sample[] batch, int[] batchTracks) {
    int n = ring.take(batch, batchTracks, BATCH, System.nanoTime());
    worstLatencyNanos = Math.max(worstLatencyNanos, ring.lastTakenWorstLatencyNanos());
    inFlightBytes = ring.lastTakenBytes();
    inFlight = n;
    return n;
  }

  private boolean isAbandoned() {
    lock.lock();
    try {
      return abandoned;
    } finally {
      lock.unlock();
    }
  }

  private void fail(Throwable cause, int unwritten) {
    fail(cause, unwritten, 0);
  }

  /** The sink threw: count what it will never write, refuse further offers, free the producers. */
  private void fail(Throwable cause, int unwritten, int writtenInBatch) {
    lock.lock();
    try {
      if (outcome != SinkOutcome.RUNNING) {
        return;
      }
      log.warn("sink {} failed; the other sinks go on", options.name(), cause);
      outcome = SinkOutcome.FAILED;
      failure = cause;
      refuseReason = DropReason.SINK_FAILED;
      written += writtenInBatch;
      dropped[DropReason.SINK_FAILED.ordinal()] += unwritten;
      inFlight = 0;
      inFlightBytes = 0;
      dropAllQueued(DropReason.SINK_FAILED);
      updateRoom();
    } finally {
      lock.unlock();
    }
    pipeline.laneEnded();
    pipeline.laneDrained();
  }
}
