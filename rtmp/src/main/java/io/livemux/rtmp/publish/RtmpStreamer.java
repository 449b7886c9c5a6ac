package io.livemux.rtmp.publish;

import io.livemux.format.MediaFormat;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.SinkStats;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.RtmpException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes tracks to an RTMP or RTMPS server: a {@link Pipeline} whose one real-time sink is an
 * {@link RtmpPublisher}. Producers never wait: if the network falls behind, the lane drops by
 * policy (disposable frames, then video up to the next keyframe, audio last) and counts each drop.
 *
 * <pre>{@code
 * RtmpStreamer streamer = RtmpStreamer.create(RtmpPublisherOptions.forUrl("rtmp://host/live/key"));
 * WriterInput video = streamer.addTrack(h264Format);
 * WriterInput audio = streamer.addTrack(aacFormat);
 * streamer.start();
 * ... video.append(sample) ...   // never blocks; returns DROPPED under congestion
 * PublishResult result = streamer.finish().get();
 * }</pre>
 *
 * <p>{@link #finish()} completes within the finish timeout (2 s by default) of its call: what is
 * still queued then is dropped, the connection closed, and the drops counted.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; see {@link WriterInput} for
 * appending.
 */
public final class RtmpStreamer {
  private final RtmpPublisher publisher;
  private final Pipeline pipeline;

  private RtmpStreamer(RtmpPublisher publisher, SinkOptions sinkOptions, Duration finishTimeout) {
    this.publisher = publisher;
    this.pipeline =
        Pipeline.builder().addSink(publisher, sinkOptions).finishTimeout(finishTimeout).build();
  }

  /** A streamer with the default real-time lane (5 s, 4096 samples, 32 MiB) and a 2 s finish bound. */
  public static RtmpStreamer create(RtmpPublisherOptions options) {
    return create(options, SinkOptions.realTime().withName("rtmp " + options.url()),
        Pipeline.DEFAULT_FINISH_TIMEOUT);
  }

  /**
   * A streamer whose lane has {@code sinkOptions}' bounds (they must be real-time: a network never
   * holds producers back) and whose finish takes at most {@code finishTimeout}.
   */
  public static RtmpStreamer create(
      RtmpPublisherOptions options, SinkOptions sinkOptions, Duration finishTimeout) {
    if (sinkOptions.isLossless()) {
      throw new IllegalArgumentException(
          "an RTMP lane must be real-time (drop by policy), not lossless: " + sinkOptions);
    }
    return new RtmpStreamer(new RtmpPublisher(options), sinkOptions, finishTimeout);
  }

  /**
   * Adds a track (H.264, H.265 or AAC) before {@link #start()}; its input is real-time.
   *
   * @throws RtmpException if RTMP cannot carry {@code format} (PCM, say), naming it
   */
  public WriterInput addTrack(MediaFormat format) throws RtmpException {
    RtmpPublisher.checkSupported(format);
    return pipeline.addInput(format, true);
  }

  /** Starts the pipeline; the connection is made on the publisher's thread. */
  public void start() {
    pipeline.start();
  }

  /**
   * Ends the stream (FCUnpublish, deleteStream, close) after the queued samples, within the
   * finish timeout. Completes exceptionally with an {@link RtmpException} when publishing failed
   * (refused, disconnected without reconnection); the result of what was sent is then in {@link
   * #stats()}.
   */
  public CompletableFuture<PublishResult> finish() {
    return pipeline.finish().thenCompose(result -> {
      SinkStats lane = result.sink(0);
      CompletableFuture<PublishResult> out = new CompletableFuture<>();
      if (lane.outcome() == SinkOutcome.FAILED) {
        Throwable cause = lane.failure();
        out.completeExceptionally(
            cause instanceof RtmpException ? cause
                : new RtmpException("publishing failed: " + cause, cause));
      } else {
        out.complete(new PublishResult(publisher.stats(), lane));
      }
      return out;
    });
  }

  /** Stops at once: the connection is closed without unpublishing. */
  public PublishResult cancel() {
    SinkStats lane = pipeline.cancel().sink(0);
    return new PublishResult(publisher.stats(), lane);
  }

  /**
   * Completes once the server accepted the publish, or exceptionally with the reason it refused
   * (an error status such as {@code NetStream.Publish.BadName}) or could not be reached.
   */
  public CompletableFuture<Void> published() {
    return publisher.published();
  }

  /** The publisher's figures so far, from any thread. */
  public PublishStats stats() {
    return publisher.stats();
  }

  /** The lane's figures so far (queued, dropped by reason, worst queue latency), from any thread. */
  public SinkStats laneStats() {
    return pipeline.sinkStats(0);
  }
}
