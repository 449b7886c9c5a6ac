package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import io.livemux.format.TrackType;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's bounded queue and the worker that drains it into the sink.
 *
 * <p>Producers call {@link #offer} (under {@link #lock}); the worker thread runs {@link #run}; the
 * pipeline calls {@link #finishInputs} and {@link #abort} from any thread. The queue is a ring of
 * parallel arrays, so queuing a sample allocates nothing.
 */
final class SinkLane implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SinkLane.class);
  private static final int BATCH = 64;

  static final int OFFER_ACCEPTED = 0;
  static final int OFFER_DROPPED = 1;
  static final int OFFER_REFUSED_FINISHED = 2;

  final SampleSink sink;
  final SinkOptions options;
  private final Pipeline pipeline;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();

  // The ring: logical index i lives at (head + i) % capacity.
  private Sample[] samples;
  private int[] tracks;
  private long[] dtsUs;
  private long[] enqueuedNanos;
  private int head;
  private int count;
  private long queuedBytes;
  private long newestDtsUs = Long.MIN_VALUE;
  private boolean[] awaitingKeyframe;
  /** Per track: may the drop policy evict its queued samples? Not in a lossless sink fed by a producer that waits. */
  private boolean[] evictable;

  private boolean inputsFinished;
  /** Non-null once offers are refused: FINISHED, SINK_FAILED, FINISH_TIMEOUT or CANCELLED. */
  private DropReason refuseReason;
  /** Set by abort: the worker's later progress no longer counts. */
  private boolean abandoned;
  private boolean workerWaiting;
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
  private Thread worker;

  SinkLane(Pipeline pipeline, SampleSink sink, SinkOptions options) {
    this.pipeline = pipeline;
    this.sink = sink;
    this.options = options;
  }

  /** Sizes the ring (the bound plus one sample per producer that may overshoot it) and starts the worker. */
  void start(List<TrackInfo> tracks, java.util.concurrent.ThreadFactory threadFactory) {
    int capacity = options.maxQueuedSamples() + tracks.size() + 1;
    this.samples = new Sample[capacity];
    this.tracks = new int[capacity];
    this.dtsUs = new long[capacity];
    this.enqueuedNanos = new long[capacity];
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

  /** True while the queue is below all three bounds (or the lane no longer takes samples). */
  boolean hasRoomOrIsClosed() {
    return roomOrClosed;
  }

  /** Call under the lock after any change to the queue, its bounds' inputs or refuseReason. */
  private void updateRoom() {
    boolean now = refuseReason != null || hasRoom();
    if (now != roomOrClosed) {
      roomOrClosed = now;
    }
  }

  /**
   * Queues {@code sample} or drops it by policy. With a lossless sink and a producer that is not
   * real-time, the caller checked for room first and the sample is always queued.
   */
  int offer(int track, Sample sample, long decodeTimeUs, boolean realTimeInput, long nowNanos) {
    lock.lock();
    try {
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
    } finally {
      updateRoom();
      lock.unlock();
    }
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
      int i = oldestDisposableVideo();
      if (i < 0) {
        break;
      }
      removeAt(i, DropReason.DISPOSABLE);
    }
    if (!hasRoom()) {
      if (video) {
        // The queue keeps a decodable prefix; this frame and its dependants wait for a keyframe.
        awaitingKeyframe[track] = true;
        dropped[DropReason.UNTIL_KEYFRAME.ordinal()]++;
        return OFFER_DROPPED;
      }
      while (!hasRoom()) {
        int i = newestVideo();
        if (i < 0) {
          break;
        }
        // Removing the newest frame of a track keeps its queued prefix decodable.
        awaitingKeyframe[tracks[slot(i)]] = true;
        removeAt(i, DropReason.UNTIL_KEYFRAME);
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
    return count + inFlight < options.maxQueuedSamples()
        && queuedBytes + inFlightBytes < options.maxQueuedBytes()
        && queuedDurationUs() < options.maxQueuedDurationUs();
  }

  private long queuedDurationUs() {
    return count == 0 ? 0 : Math.max(0, newestDtsUs - dtsUs[head]);
  }

  private int slot(int logicalIndex) {
    int s = head + logicalIndex;
    return s >= samples.length ? s - samples.length : s;
  }

  private void enqueue(int track, Sample sample, long decodeTimeUs, boolean video, long nowNanos) {
    int s = slot(count);
    long us = decodeTimeUs;
    samples[s] = sample;
    tracks[s] = track;
    dtsUs[s] = us;
    enqueuedNanos[s] = nowNanos;
    count++;
    queuedBytes += sample.size();
    if (us > newestDtsUs) {
      newestDtsUs = us;
    }
    accepted++;
    if (video && sample.isSync()) {
      awaitingKeyframe[track] = false;
    }
    if (workerWaiting) {
      notEmpty.signal();
    }
  }

  private int oldestDisposableVideo() {
    for (int i = 0; i < count; i++) {
      int at = slot(i);
      Sample s = samples[at];
      if (evictable[tracks[at]] && s.isDisposable() && s.format().trackType() == TrackType.VIDEO) {
        return i;
      }
    }
    return -1;
  }

  private int newestVideo() {
    for (int i = count - 1; i >= 0; i--) {
      int at = slot(i);
      if (evictable[tracks[at]] && samples[at].format().trackType() == TrackType.VIDEO) {
        return i;
      }
    }
    return -1;
  }

  /** Removes logical entry {@code i}, shifting the newer ones toward the head. */
  private void removeAt(int i, DropReason reason) {
    int removedSlot = slot(i);
    long removedUs = dtsUs[removedSlot];
    queuedBytes -= samples[removedSlot].size();
    dropped[reason.ordinal()]++;
    for (int j = i; j < count - 1; j++) {
      int to = slot(j);
      int from = slot(j + 1);
      samples[to] = samples[from];
      tracks[to] = tracks[from];
      dtsUs[to] = dtsUs[from];
      enqueuedNanos[to] = enqueuedNanos[from];
    }
    samples[slot(count - 1)] = null;
    count--;
    if (removedUs >= newestDtsUs) {
      newestDtsUs = Long.MIN_VALUE;
      for (int j = 0; j < count; j++) {
        newestDtsUs = Math.max(newestDtsUs, dtsUs[slot(j)]);
      }
    }
  }

  private void dropAllQueued(DropReason reason) {
    dropped[reason.ordinal()] += count;
    for (int i = 0; i < count; i++) {
      samples[slot(i)] = null;
    }
    head = 0;
    count = 0;
    queuedBytes = 0;
    newestDtsUs = Long.MIN_VALUE;
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
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
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
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    if (worker != null) {
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
          options.name(), outcome, offered, accepted, written, dropped, count, inFlight,
          queuedBytes + inFlightBytes, queuedDurationUs(), worstLatencyNanos / 1000, failure);
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
    while (true) {
      int n = 0;
      lock.lock();
      try {
        // An idle worker parks at once. Yielding first (tried: 8..512 yields) was faster on a
        // quiet machine but collapsed to a third of the throughput on this shared 2-core one.
        while (count == 0 && !inputsFinished && !abandoned) {
          workerWaiting = true;
          try {
            notEmpty.await();
          } finally {
            workerWaiting = false;
          }
        }
        if (abandoned) {
          return;
        }
        if (count == 0) {
          break; // inputs finished and everything written
        }
        long now = System.nanoTime();
        n = Math.min(count, BATCH);
        for (int i = 0; i < n; i++) {
          int s = head;
          batch[i] = samples[s];
          batchTracks[i] = tracks[s];
          queuedBytes -= batch[i].size();
          inFlightBytes += batch[i].size();
          long latency = now - enqueuedNanos[s];
          if (latency > worstLatencyNanos) {
            worstLatencyNanos = latency;
          }
          samples[s] = null;
          head = s + 1 == samples.length ? 0 : s + 1;
          count--;
        }
        if (count == 0) {
          newestDtsUs = Long.MIN_VALUE;
        }
        inFlight = n;
        updateRoom();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        // Only abort interrupts the worker; anything else is treated as a failure of this sink.
        lock.unlock();
        if (!isAbandoned()) {
          fail(new InterruptedIOException("sink worker interrupted"), 0);
        }
        return;
      } finally {
        if (lock.isHeldByCurrentThread()) {
          lock.unlock();
        }
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
      lock.lock();
      try {
        if (abandoned) {
          return;
        }
        written += n;
        inFlight = 0;
        inFlightBytes = 0;
        updateRoom();
      } finally {
        lock.unlock();
      }
      pipeline.laneDrained();
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
