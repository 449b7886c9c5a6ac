package io.livemux.live;

import io.livemux.format.MediaFormat;
import io.livemux.mp4.Mp4Exception;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Writer;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.SinkStats;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.publish.RtmpPublisher;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Streams to an RTMP server and records the same samples to an MP4 file, at once, encoding
 * nothing twice: one {@link Pipeline} with two sinks, each behind its own lane and policy.
 *
 * <ul>
 *   <li>The recording ({@link Mp4Writer}) is lossless: it gets every sample. The file is playable
 *       after every fragment, finalized in place at the end, and recoverable after a crash.
 *   <li>The stream ({@link RtmpPublisher}) is real-time: when the network stalls or fails, its
 *       lane drops by policy (disposable frames, then video up to the next keyframe, audio last)
 *       and counts each drop. A network failure or stall never costs the recording a sample and
 *       never holds the producer back.
 * </ul>
 *
 * <p>Producers append to the {@link WriterInput}s {@link #addTrack} returns; an append waits
 * ({@code NOT_READY}, then {@link WriterInput#awaitReady}) only when the disk falls behind. {@link
 * #finish()} finishes both within the finish timeout (by default the recording's {@link
 * Mp4Options#finishTimeout()}) and completes with one {@link LiveResult} describing both; a failed
 * stream does not fail the session — its failure is in the result.
 *
 * <pre>{@code
 * LiveSession session = LiveSession.builder()
 *     .publishTo(RtmpPublisherOptions.forUrl("rtmp://live.example.com/app/KEY"))
 *     .recordTo(Path.of("broadcast.mp4"), Mp4Options.defaults())
 *     .build();
 * WriterInput video = session.addTrack(h264Format);
 * WriterInput audio = session.addTrack(aacFormat);
 * session.start();
 * ... video.append(sample) ...
 * LiveResult result = session.finish().get();
 * }</pre>
 *
 * <p><b>Threads.</b> Every method may be called from any thread; see {@link WriterInput} for
 * appending.
 */
public final class LiveSession {
  private final Pipeline pipeline;
  private final Mp4Writer recorder;
  private final RtmpPublisher publisher;
  private final int recorderSink;
  private final int publisherSink;

  private LiveSession(Builder b) {
    Pipeline.Builder pipeline = Pipeline.builder();
    int sinks = 0;
    if (b.recordPath != null) {
      recorder = new Mp4Writer(b.recordPath, b.mp4Options);
      pipeline.addSink(recorder, SinkOptions.lossless().withName("mp4 " + b.recordPath.getFileName()));
      recorderSink = sinks++;
    } else {
      recorder = null;
      recorderSink = -1;
    }
    if (b.rtmp != null) {
      publisher = new RtmpPublisher(b.rtmp);
      pipeline.addSink(publisher, b.rtmpLane.withName("rtmp " + b.rtmp.url()));
      publisherSink = sinks++;
    } else {
      publisher = null;
      publisherSink = -1;
    }
    Duration timeout =
        b.finishTimeout != null ? b.finishTimeout
            : b.mp4Options != null ? b.mp4Options.finishTimeout() : Pipeline.DEFAULT_FINISH_TIMEOUT;
    this.pipeline = pipeline.finishTimeout(timeout).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds a track before {@link #start()}: H.264, H.265 or AAC (both outputs carry them), or PCM
   * s16le when the session only records.
   *
   * @throws IOException (an {@link RtmpException} or {@link Mp4Exception}) naming the output that
   *     cannot carry {@code format}, e.g. PCM while publishing: RTMP carries AAC
   */
  public WriterInput addTrack(MediaFormat format) throws IOException {
    if (recorder != null) {
      Mp4Writer.checkSupported(format);
    }
    if (publisher != null) {
      RtmpPublisher.checkSupported(format);
    }
    // Not real-time: the producer waits for the lossless recording, never for the network.
    return pipeline.addInput(format, false);
  }

  /** Starts both outputs; the file is created and the connection made on their own threads. */
  public void start() {
    pipeline.start();
  }

  /**
   * Completes when the stream is accepted by the server, or exceptionally with the reason it was
   * refused or unreachable (the recording goes on either way); never completes for a session that
   * does not publish.
   */
  public CompletableFuture<Void> published() {
    if (publisher == null) {
      CompletableFuture<Void> never = new CompletableFuture<>();
      never.completeExceptionally(new IllegalStateException("this session does not publish"));
      return never;
    }
    return publisher.published();
  }

  /** Finishes both outputs within the finish timeout; see the class comment. */
  public CompletableFuture<LiveResult> finish() {
    return pipeline.finish().thenApply(this::result);
  }

  /** Stops both at once: the file keeps every completed fragment; the connection is closed. */
  public LiveResult cancel() {
    return result(pipeline.cancel());
  }

  /** Figures so far, from any thread. */
  public LiveResult progress() {
    return new LiveResult(
        recorder == null ? null : recorder.result(),
        recorderSink < 0 ? null : pipeline.sinkStats(recorderSink),
        publisher == null ? null : publisher.stats(),
        publisherSink < 0 ? null : pipeline.sinkStats(publisherSink));
  }

  private LiveResult result(PipelineResult r) {
    SinkStats recording = recorderSink < 0 ? null : r.sink(recorderSink);
    SinkStats stream = publisherSink < 0 ? null : r.sink(publisherSink);
    return new LiveResult(
        recorder == null ? null : recorder.result(), recording,
        publisher == null ? null : publisher.stats(), stream);
  }

  /**
   * What to publish and record. At least one of {@link #publishTo} and {@link #recordTo}. Not
   * thread-safe; build on one thread.
   */
  public static final class Builder {
    private RtmpPublisherOptions rtmp;
    private SinkOptions rtmpLane = SinkOptions.realTime();
    private Path recordPath;
    private Mp4Options mp4Options;
    private Duration finishTimeout;

    private Builder() {}

    /** Publishes to the server {@code options} name, with the default real-time lane. */
    public Builder publishTo(RtmpPublisherOptions options) {
      return publishTo(options, SinkOptions.realTime());
    }

    /** Publishes with {@code lane}'s bounds, which must be real-time (a network never holds producers). */
    public Builder publishTo(RtmpPublisherOptions options, SinkOptions lane) {
      if (options == null || lane == null) {
        throw new NullPointerException(options == null ? "options" : "lane");
      }
      if (lane.isLossless()) {
        throw new IllegalArgumentException("the RTMP lane must be real-time, not lossless: " + lane);
      }
      this.rtmp = options;
      this.rtmpLane = lane;
      return this;
    }

    /** Records to {@code path} (created or truncated at start). */
    public Builder recordTo(Path path, Mp4Options options) {
      if (path == null || options == null) {
        throw new NullPointerException(path == null ? "path" : "options");
      }
      this.recordPath = path;
      this.mp4Options = options;
      return this;
    }

    /** The most {@link LiveSession#finish()} may take; default: the recording's finish timeout. */
    public Builder finishTimeout(Duration finishTimeout) {
      if (finishTimeout == null || finishTimeout.isNegative() || finishTimeout.isZero()) {
        throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
      }
      this.finishTimeout = finishTimeout;
      return this;
    }

    public LiveSession build() {
      if (rtmp == null && recordPath == null) {
        throw new IllegalStateException("a live session needs publishTo, recordTo, or both");
      }
      return new LiveSession(this);
    }
  }
}
