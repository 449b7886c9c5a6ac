package io.livemux.pipeline;

import io.livemux.sample.Sample;

/**
 * A sink lane's queue: a ring of parallel arrays (sample, track, decode time, enqueue time, kind),
 * so queuing a sample allocates nothing, with the counts the drop policy needs to know at once
 * whether an eviction candidate exists rather than scan for one that is not there. Order is kept,
 * also across removals from the middle.
 *
 * <p>Not thread-safe: the owning {@link SinkLane}'s lock guards every call.
 */
final class SampleRing {
  /** Slot kinds, for the drop policy: may be evicted, and is video; and is also disposable. */
  static final byte EVICTABLE_VIDEO = 1;
  static final byte EVICTABLE_DISPOSABLE = 2;

  // Logical index i lives at (head + i) % capacity.
  private final Sample[] samples;
  private final int[] tracks;
  private final long[] dtsUs;
  private final long[] enqueuedNanos;
  private final byte[] kinds;
  private int head;
  private int count;
  private long queuedBytes;
  private long newestDtsUs = Long.MIN_VALUE;
  private int evictableVideo;
  private int evictableDisposable;
  private long lastTakenBytes;
  private long lastTakenWorstLatencyNanos;

  SampleRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    samples = new Sample[capacity];
    tracks = new int[capacity];
    dtsUs = new long[capacity];
    enqueuedNanos = new long[capacity];
    kinds = new byte[capacity];
  }

  int count() {
    return count;
  }

  long queuedBytes() {
    return queuedBytes;
  }

  /** From the oldest queued decode time to the newest; 0 when empty. */
  long queuedDurationUs() {
    return count == 0 ? 0 : Math.max(0, newestDtsUs - dtsUs[head]);
  }

  /** The track of logical entry {@code i}. */
  int track(int i) {
    return tracks[slot(i)];
  }

  private int slot(int logicalIndex) {
    int s = head + logicalIndex;
    return s >= samples.length ? s - samples.length : s;
  }

  /** Appends a sample; the caller made sure there is a free slot. */
  void add(int track, Sample sample, long decodeTimeUs, long nowNanos, byte kind) {
    if (count == samples.length) {
      throw new IllegalStateException("ring full: " + count + " samples");
    }
    int s = slot(count);
    samples[s] = sample;
    tracks[s] = track;
    dtsUs[s] = decodeTimeUs;
    enqueuedNanos[s] = nowNanos;
    kinds[s] = kind;
    countKind(kind, 1);
    count++;
    queuedBytes += sample.size();
    if (decodeTimeUs > newestDtsUs) {
      newestDtsUs = decodeTimeUs;
    }
  }

  private void countKind(byte kind, int delta) {
    if ((kind & EVICTABLE_VIDEO) != 0) {
      evictableVideo += delta;
    }
    if ((kind & EVICTABLE_DISPOSABLE) != 0) {
      evictableDisposable += delta;
    }
  }

  /** The logical index of the oldest evictable disposable video sample, or -1. */
  int oldestDisposableVideo() {
    if (evictableDisposable == 0) {
      return -1;
    }
    for (int i = 0; i < count; i++) {
      if ((kinds[slot(i)] & EVICTABLE_DISPOSABLE) != 0) {
        return i;
      }
    }
    throw new AssertionError("evictableDisposable=" + evictableDisposable + " but none queued");
  }

  /** The logical index of the newest evictable video sample, or -1. */
  int newestVideo() {
    if (evictableVideo == 0) {
      return -1;
    }
    for (int i = count - 1; i >= 0; i--) {
      if ((kinds[slot(i)] & EVICTABLE_VIDEO) != 0) {
        return i;
      }
    }
    throw new AssertionError("evictableVideo=" + evictableVideo + " but none queued");
  }

  /** Removes logical entry {@code i}, closing the gap from whichever end is nearer; order is kept. */
  void removeAt(int i) {
    int removedSlot = slot(i);
    long removedUs = dtsUs[removedSlot];
    queuedBytes -= samples[removedSlot].size();
    countKind(kinds[removedSlot], -1);
    if (i < count / 2) {
      for (int j = i; j > 0; j--) {
        moveSlot(slot(j - 1), slot(j));
      }
      samples[head] = null;
      head = head + 1 == samples.length ? 0 : head + 1;
    } else {
      for (int j = i; j < count - 1; j++) {
        moveSlot(slot(j + 1), slot(j));
      }
      samples[slot(count - 1)] = null;
    }
    count--;
    if (removedUs >= newestDtsUs) {
      newestDtsUs = newestQueuedDtsUs();
    }
  }

  private long newestQueuedDtsUs() {
    long newest = Long.MIN_VALUE;
    for (int j = 0; j < count; j++) {
      newest = Math.max(newest, dtsUs[slot(j)]);
    }
    return newest;
  }

  private void moveSlot(int from, int to) {
    samples[to] = samples[from];
    tracks[to] = tracks[from];
    dtsUs[to] = dtsUs[from];
    enqueuedNanos[to] = enqueuedNanos[from];
    kinds[to] = kinds[from];
  }

  /** Empties the ring; returns how many samples it held. */
  int clear() {
    int n = count;
    for (int i = 0; i < count; i++) {
      samples[slot(i)] = null;
    }
    head = 0;
    count = 0;
    queuedBytes = 0;
    newestDtsUs = Long.MIN_VALUE;
    evictableVideo = 0;
    evictableDisposable = 0;
    return n;
  }

  /**
   * Moves up to {@code max} samples from the head into {@code batch} and {@code batchTracks};
   * returns how many. {@link #lastTakenBytes()} and {@link #lastTakenWorstLatencyNanos()} then
   * describe them.
   */
  int take(Sample[] batch, int[] batchTracks, int max, long nowNanos) {
    int n = Math.min(count, max);
    long bytes = 0;
    long worst = 0;
    boolean newestTaken = false;
    for (int i = 0; i < n; i++) {
      int s = head;
      newestTaken |= dtsUs[s] >= newestDtsUs;
      Sample sample = samples[s];
      batch[i] = sample;
      batchTracks[i] = tracks[s];
      bytes += sample.size();
      worst = Math.max(worst, nowNanos - enqueuedNanos[s]);
      countKind(kinds[s], -1);
      samples[s] = null;
      head = s + 1 == samples.length ? 0 : s + 1;
    }
    count -= n;
    queuedBytes -= bytes;
    if (newestTaken) {
      newestDtsUs = newestQueuedDtsUs(); // tracks interleave: the head may have been the newest
    }
    lastTakenBytes = bytes;
    lastTakenWorstLatencyNanos = worst;
    return n;
  }

  long lastTakenBytes() {
    return lastTakenBytes;
  }

  long lastTakenWorstLatencyNanos() {
    return lastTakenWorstLatencyNanos;
  }
}
