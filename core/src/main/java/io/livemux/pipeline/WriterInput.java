package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import io.livemux.format.TrackType;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The producer's handle on one track of a {@link Pipeline}, modelled on AVAssetWriterInput.
 *
 * <p>A <b>real-time</b> input never blocks and never refuses for lack of room: a full sink drops by
 * its policy and counts it. An input that is not real-time returns {@link AppendResult#NOT_READY}
 * while a lossless sink is full; the producer then waits with {@link #awaitReady} or registers a
 * pull callback with {@link #requestMediaDataWhenReady}.
 *
 * <p>Checked at the door: the sample's format is of the track's kind and codec; its decode time
 * never goes backwards; a video format change (new SPS/PPS) comes on a sync sample, and is signalled
 * to every sink before the sample ({@link SampleSink#formatChanged}). Breaking these is a caller bug
 * and throws {@link IllegalArgumentException} naming the values.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; {@link #append} is serialized per
 * input (one producer at a time per track is the intended use; different tracks may be fed from
 * different threads concurrently).
 */
public final class WriterInput {
  private final Pipeline pipeline;
  private final int track;
  private final MediaFormat format;
  private final boolean realTime;

  // Guarded by this.
  private MediaFormat currentFormat;
  private boolean hasLast;
  private long lastDecodeTicks;
  private int lastTimescale;
  private long rejected;
  private long formatChanges;

  private volatile boolean finished;
  private volatile Executor callbackExecutor;
  private volatile Runnable callback;
  private final AtomicBoolean callbackScheduled = new AtomicBoolean();

  WriterInput(Pipeline pipeline, int track, MediaFormat format, boolean realTime) {
    this.pipeline = pipeline;
    this.track = track;
    this.format = format;
    this.currentFormat = format;
    this.realTime = realTime;
  }

  /** This input's track index, 0-based in the order inputs were added. */
  public int track() {
    return track;
  }

  /** The format the track started with. */
  public MediaFormat format() {
    return format;
  }

  public boolean isRealTime() {
    return realTime;
  }

  /**
   * True if the next {@link #append} would be queued by every sink that gates this input: for a
   * real-time input, every sink; otherwise every lossless sink. False before start and after finish.
   */
  public boolean isReadyForMoreMediaData() {
    return !finished && pipeline.isRunning() && pipeline.hasRoom(realTime);
  }

  /**
   * Waits until the input is ready, up to {@code timeout}. Returns false on timeout, or once the
   * input or the pipeline has finished (it will never be ready again).
   */
  public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout < 0: " + timeout);
    }
    return pipeline.awaitReady(this, unit.toNanos(timeout));
  }

  /**
   * Offers {@code sample} to every sink. Never blocks on a sink; see {@link AppendResult} for what
   * each outcome means. Only {@link AppendResult#NOT_READY} leaves the sample with the caller.
   *
   * @throws IllegalStateException before {@link Pipeline#start()}
   * @throws IllegalArgumentException for a sample of another kind or codec, a decode time earlier
   *     than the previous sample's, or a video format change on a non-sync sample
   */
  public synchronized AppendResult append(Sample sample) {
    if (sample == null) {
      throw new NullPointerException("sample");
    }
    if (!pipeline.hasStarted()) {
      throw new IllegalStateException("append before Pipeline.start() on track " + track);
    }
    if (finished || !pipeline.isRunning()) {
      rejected++;
      return AppendResult.REJECTED_FINISHED;
    }
    MediaFormat sampleFormat = sample.format();
    if (sampleFormat != currentFormat && !sampleFormat.equals(currentFormat)) {
      checkFormatChange(sample, sampleFormat);
    }
    if (hasLast
        && MediaTime.compare(
                sample.decodeTimeTicks(), sample.timescale(), lastDecodeTicks, lastTimescale)
            < 0) {
      throw new IllegalArgumentException(
          "track " + track + " (" + format.mimeType() + "): decode time went backwards: "
              + sample.decodeTimeTicks() + "/" + sample.timescale() + " after "
              + lastDecodeTicks + "/" + lastTimescale);
    }
    if (!realTime && !pipeline.losslessHaveRoom()) {
      return AppendResult.NOT_READY;
    }
    int r = pipeline.offer(track, sample, realTime);
    hasLast = true;
    lastDecodeTicks = sample.decodeTimeTicks();
    lastTimescale = sample.timescale();
    if (sampleFormat != currentFormat) {
      formatChanges += sampleFormat.equals(currentFormat) ? 0 : 1;
      currentFormat = sampleFormat;
    }
    int acceptedBy = r & 0xFFFF;
    int refusedBy = r >>> 16;
    if (acceptedBy == pipeline.laneCount()) {
      return AppendResult.ACCEPTED;
    }
    if (acceptedBy > 0) {
      return AppendResult.ACCEPTED_WITH_DROPS;
    }
    if (refusedBy == pipeline.laneCount()) {
      return AppendResult.REJECTED_FINISHED;
    }
    return AppendResult.DROPPED;
  }

  private void checkFormatChange(Sample sample, MediaFormat sampleFormat) {
    if (sampleFormat.getClass() != format.getClass()) {
      throw new IllegalArgumentException(
          "track " + track + " carries " + format.mimeType() + " but got a sample of "
              + sampleFormat.mimeType() + " (" + sampleFormat + ")");
    }
    if (sampleFormat.trackType() == TrackType.VIDEO && !sample.isSync()) {
      throw new IllegalArgumentException(
          "track " + track + ": video format changed on a non-sync sample at decode time "
              + sample.decodeTimeTicks() + "/" + sample.timescale()
              + "; new parameter sets must start with a keyframe");
    }
  }

  /**
   * Calls {@code callback} on {@code executor} whenever this input is ready, again and again while it
   * stays ready, until {@link #markAsFinished()}: the callback should append until not ready or until
   * it has no more data (then mark the input finished). For pull-style producers (a file reader, an
   * encoder). Replaces any earlier callback.
   */
  public void requestMediaDataWhenReady(Executor executor, Runnable callback) {
    if (executor == null || callback == null) {
      throw new NullPointerException(executor == null ? "executor" : "callback");
    }
    this.callbackExecutor = executor;
    this.callback = callback;
    pipeline.callbacksRegistered();
    maybeSchedule();
  }

  /** No more samples on this track; further appends return {@link AppendResult#REJECTED_FINISHED}. */
  public void markAsFinished() {
    finished = true;
  }

  /** True once this input or the whole pipeline has finished (or was cancelled). */
  public boolean isFinished() {
    return finished || pipeline.hasEnded();
  }

  /** Samples refused with {@link AppendResult#REJECTED_FINISHED}. */
  public synchronized long rejectedCount() {
    return rejected;
  }

  /** How many times the track's format changed mid-stream. */
  public synchronized long formatChangeCount() {
    return formatChanges;
  }

  void finishByPipeline() {
    finished = true;
  }

  void maybeSchedule() {
    Runnable cb = callback;
    Executor executor = callbackExecutor;
    if (cb == null || finished || !isReadyForMoreMediaData()) {
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
      while (!finished && isReadyForMoreMediaData()) {
        callback.run();
      }
    } finally {
      callbackScheduled.set(false);
    }
    // Readiness may have come back between the last check and clearing the flag.
    maybeSchedule();
  }
}
