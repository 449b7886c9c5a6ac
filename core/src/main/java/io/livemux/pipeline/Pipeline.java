package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries samples from producers to one or more sinks, each behind its own bounded queue and
 * worker thread, with backpressure: the AVAssetWriter model, with fan-out.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *     .addSink(recorder, SinkOptions.lossless().withName("file"))
 *     .addSink(publisher, SinkOptions.realTime().withName("rtmp"))
 *     .build();
 * WriterInput video = pipeline.addInput(h264Format, true);
 * pipeline.start();
 * video.append(sample);            // never blocks a real-time producer
 * PipelineResult result = pipeline.finish().join();   // completes within the finish bound
 * }</pre>
 *
 * <p><b>Fan-out.</b> Every appended sample is offered to every sink. A stalled real-time sink drops
 * by policy and never delays the others; a stalled lossless sink holds back only producers that are
 * not real-time (they see {@link WriterInput#isReadyForMoreMediaData()} turn false).
 *
 * <p><b>Finishing.</b> {@link #finish()} stops the inputs, lets each sink drain its queue and
 * finish, and completes its future within {@link Builder#finishTimeout} whatever the sinks or
 * producers do: a sink still busy then is cancelled and its queued samples are counted as dropped
 * ({@link DropReason#FINISH_TIMEOUT}). A sample that races with finish is either written or counted
 * as rejected, never lost silently.
 *
 * <p><b>Latency.</b> A sink's worker that has just emptied its queue naps for at most 0.2 ms
 * before it looks again (it is woken at once if its queue fills to half its sample bound or runs out
 * of room), and after four empty naps in a row it sleeps until the next sample wakes it. So a sample
 * of a fast stream may wait up to one nap longer in the queue (see {@link
 * SinkStats#worstQueueLatencyUs()}), in exchange for the producer not paying a thread wake-up every
 * few samples; a sample arriving after a pause of a millisecond or more is taken at once.
 *
 * <p><b>Threads.</b> Every method of this class may be called from any thread. Each sink gets its own
 * worker thread (from the {@link Builder#threadFactory}), which alone calls that sink's
 * start/formatChanged/write/finish. {@link #addInput} must precede {@link #start}.
 */
public final class Pipeline {
  /** How long {@link #finish()} may take by default. */
  public static final Duration DEFAULT_FINISH_TIMEOUT = Duration.ofSeconds(2);

  private enum State {
    NEW,
    RUNNING,
    FINISHING,
    ENDED
  }

  private final List<SinkLane> lanes;
  /** The lanes again, for hot paths: indexed loops over an array allocate no iterator. */
  private final SinkLane[] laneArray;
  /** The inputs as an array once started (hot path of {@link #laneDrained}). */
  private volatile WriterInput[] inputArray = new WriterInput[0];
  private final Duration finishTimeout;
  private final ThreadFactory threadFactory;
  private final List<WriterInput> inputs = new ArrayList<>();

  private final Object stateLock = new Object();
  private volatile State state = State.NEW;
  private CompletableFuture<PipelineResult> finishFuture;
  private long finishStartNanos;
  private int lanesRunning;

  private final ReentrantLock readyLock = new ReentrantLock();
  private final Condition readyChanged = readyLock.newCondition();
  private final AtomicInteger readinessWaiters = new AtomicInteger();
  private volatile boolean callbacksRegistered;

  private Pipeline(Builder builder) {
    List<SinkLane> list = new ArrayList<>();
    for (int i = 0; i < builder.sinks.size(); i++) {
      list.add(new SinkLane(this, builder.sinks.get(i), builder.sinkOptions.get(i)));
    }
    this.lanes = Collections.unmodifiableList(list);
    this.laneArray = list.toArray(new SinkLane[0]);
    this.finishTimeout = builder.finishTimeout;
    this.threadFactory = builder.threadFactory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a track fed by the returned input. {@code realTime}: the producer cannot wait (a camera, a
   * network): the input never reports not-ready because of a lossless sink, and every full sink
   * drops by policy instead.
   */
  public WriterInput addInput(MediaFormat format, boolean realTime) {
    if (format == null) {
      throw new NullPointerException("format");
    }
    synchronized (stateLock) {
      if (state != State.NEW) {
        throw new IllegalStateException("addInput after start(): the tracks are fixed once sinks start");
      }
      WriterInput input = new WriterInput(this, inputs.size(), format, realTime);
      inputs.add(input);
      return input;
    }
  }

  /** Starts every sink's worker; each sink's {@code start} gets the tracks. */
  public void start() {
    List<TrackInfo> tracks = new ArrayList<>();
    synchronized (stateLock) {
      if (state != State.NEW) {
        throw new IllegalStateException("start() called twice (state " + state + ")");
      }
      if (inputs.isEmpty()) {
        throw new IllegalStateException("start() with no input: add a track first");
      }
      for (WriterInput input : inputs) {
        tracks.add(new TrackInfo(input.track(), input.format(), input.isRealTime()));
      }
      lanesRunning = lanes.size();
      inputArray = inputs.toArray(new WriterInput[0]);
      state = State.RUNNING;
    }
    List<TrackInfo> fixed = Collections.unmodifiableList(tracks);
    for (SinkLane lane : lanes) {
      lane.start(fixed, threadFactory);
    }
    signalReadiness(); // producers already in awaitReady (an encoder input's delivery thread)
    for (WriterInput input : inputs) {
      input.maybeSchedule();
    }
  }

  /** The inputs, in track order. */
  public List<WriterInput> inputs() {
    synchronized (stateLock) {
      return Collections.unmodifiableList(new ArrayList<>(inputs));
    }
  }

  /** A snapshot of sink {@code index}'s counters. */
  public SinkStats sinkStats(int index) {
    return lanes.get(index).stats();
  }

  public int sinkCount() {
    return lanes.size();
  }

  /**
   * Stops all inputs, drains every queue into its sink and finishes it. The future completes within
   * the finish timeout, measured from this call, whatever the sinks do. Calling it again returns the
   * same future.
   */
  public CompletableFuture<PipelineResult> finish() {
    synchronized (stateLock) {
      if (finishFuture != null) {
        return finishFuture;
      }
      if (state == State.NEW) {
        throw new IllegalStateException("finish() before start()");
      }
      finishFuture = new CompletableFuture<>();
      finishStartNanos = System.nanoTime();
      state = State.FINISHING;
    }
    for (WriterInput input : inputs) {
      input.finishByPipeline();
    }
    for (SinkLane lane : lanes) {
      lane.finishInputs();
    }
    signalReadiness();
    Thread waiter =
        new Thread(this::awaitLanesThenComplete, "livemux-finish");
    waiter.setDaemon(true);
    waiter.start();
    return finishFuture;
  }

  /**
   * Stops at once: drops what is queued ({@link DropReason#CANCELLED}), cancels every sink, and
   * returns the result (also given to a pending {@link #finish()} future).
   */
  public PipelineResult cancel() {
    CompletableFuture<PipelineResult> future;
    synchronized (stateLock) {
      if (finishFuture == null) {
        finishFuture = new CompletableFuture<>();
        finishStartNanos = System.nanoTime();
      }
      future = finishFuture;
      if (state == State.NEW) {
        state = State.ENDED;
      } else if (state != State.ENDED) {
        state = State.FINISHING;
      }
    }
    for (WriterInput input : inputs) {
      input.finishByPipeline();
    }
    for (SinkLane lane : lanes) {
      lane.abort(DropReason.CANCELLED, SinkOutcome.CANCELLED);
    }
    signalReadiness();
    complete(future);
    return future.join();
  }

  private void awaitLanesThenComplete() {
    long deadline = finishStartNanos + finishTimeout.toNanos();
    synchronized (stateLock) {
      while (lanesRunning > 0) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(stateLock, leftNanos);
        } catch (InterruptedException e) {
          // Nobody interrupts this private thread; if someone does, finish now rather than later.
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (SinkLane lane : lanes) {
      lane.abort(DropReason.FINISH_TIMEOUT, SinkOutcome.TIMED_OUT);
    }
    complete(finishFuture);
  }

  private void complete(CompletableFuture<PipelineResult> future) {
    List<SinkStats> stats = new ArrayList<>();
    for (SinkLane lane : lanes) {
      stats.add(lane.stats());
    }
    long[] rejected = new long[inputs.size()];
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = inputs.get(i).rejectedCount();
    }
    long elapsedUs;
    synchronized (stateLock) {
      state = State.ENDED;
      elapsedUs = (System.nanoTime() - finishStartNanos) / 1000;
    }
    future.complete(new PipelineResult(stats, rejected, elapsedUs));
  }

  // ---- called by inputs and lanes ------------------------------------------------------------

  boolean isRunning() {
    return state == State.RUNNING;
  }

  boolean hasStarted() {
    return state != State.NEW;
  }

  /** True once finish or cancel has begun: inputs take nothing more. */
  boolean hasEnded() {
    State s = state;
    return s == State.FINISHING || s == State.ENDED;
  }

  /** True if every sink that gates an input of this kind has room. */
  boolean hasRoom(boolean realTimeInput) {
    for (SinkLane lane : laneArray) {
      if (lane.gatesReadiness(realTimeInput) && !lane.hasRoomOrIsClosed()) {
        return false;
      }
    }
    return true;
  }

  /** True if every lossless sink has room: the check a non-real-time input makes before offering. */
  boolean losslessHaveRoom() {
    for (SinkLane lane : laneArray) {
      if (lane.options.isLossless() && !lane.hasRoomOrIsClosed()) {
        return false;
      }
    }
    return true;
  }

  /** Offers to every lane; returns how many accepted (low 16 bits) and refused-finished (high). */
  int offer(int track, io.livemux.sample.Sample sample, boolean realTime) {
    int acceptedCount = 0;
    int refusedCount = 0;
    // Once per append, not per sink: the clock only dates the sample for the latency statistic,
    // and the decode time in microseconds measures each queue's media duration.
    long now = System.nanoTime();
    long decodeTimeUs = sample.decodeTimeUs();
    for (SinkLane lane : laneArray) {
      int r = lane.offer(track, sample, decodeTimeUs, realTime, now);
      if (r == SinkLane.OFFER_ACCEPTED) {
        acceptedCount++;
      } else if (r == SinkLane.OFFER_REFUSED_FINISHED) {
        refusedCount++;
      }
    }
    return acceptedCount | (refusedCount << 16);
  }

  int laneCount() {
    return laneArray.length;
  }

  /** A lane took samples off its queue: readiness may have changed. */
  void laneDrained() {
    if (readinessWaiters.get() > 0) {
      signalReadiness();
    }
    if (callbacksRegistered) {
      for (WriterInput input : inputArray) {
        input.maybeSchedule();
      }
    }
  }

  void laneEnded() {
    synchronized (stateLock) {
      lanesRunning--;
      stateLock.notifyAll();
    }
  }

  void callbacksRegistered() {
    callbacksRegistered = true;
  }

  private void signalReadiness() {
    readyLock.lock();
    try {
      readyChanged.signalAll();
    } finally {
      readyLock.unlock();
    }
  }

  /** Waits until {@code input} is ready, finished, or the time is up. */
  boolean awaitReady(WriterInput input, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    readinessWaiters.incrementAndGet();
    readyLock.lock();
    try {
      while (true) {
        if (input.isFinished() || state == State.ENDED || state == State.FINISHING) {
          return false;
        }
        if (state == State.RUNNING && input.isReadyForMoreMediaData()) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        readyChanged.awaitNanos(left);
      }
    } finally {
      readyLock.unlock();
      readinessWaiters.decrementAndGet();
    }
  }

  /** Builds a {@link Pipeline}. Not thread-safe. */
  public static final class Builder {
    private final List<SampleSink> sinks = new ArrayList<>();
    private final List<SinkOptions> sinkOptions = new ArrayList<>();
    private Duration finishTimeout = DEFAULT_FINISH_TIMEOUT;
    private ThreadFactory threadFactory = defaultThreadFactory();

    private Builder() {}

    /** Adds a sink with its own queue and policy. */
    public Builder addSink(SampleSink sink, SinkOptions options) {
      if (sink == null) {
        throw new NullPointerException("sink");
      }
      if (options == null) {
        throw new NullPointerException("options");
      }
      sinks.add(sink);
      sinkOptions.add(options);
      return this;
    }

    /** The bound on {@link Pipeline#finish()}, from its call to its future's completion (default 2 s). */
    public Builder finishTimeout(Duration finishTimeout) {
      if (finishTimeout.isNegative() || finishTimeout.isZero()) {
        throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
      }
      this.finishTimeout = finishTimeout;
      return this;
    }

    /** Makes the sink worker threads (default: daemon threads named livemux-sink-NAME). */
    public Builder threadFactory(ThreadFactory threadFactory) {
      if (threadFactory == null) {
        throw new NullPointerException("threadFactory");
      }
      this.threadFactory = threadFactory;
      return this;
    }

    public Pipeline build() {
      if (sinks.isEmpty()) {
        throw new IllegalStateException("no sink: add at least one with addSink");
      }
      return new Pipeline(this);
    }

    private static ThreadFactory defaultThreadFactory() {
      AtomicInteger counter = new AtomicInteger();
      return runnable -> {
        Thread t = new Thread(runnable, "livemux-sink-" + counter.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
