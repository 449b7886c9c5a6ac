package io.livemux.rtmp.publish;

import io.livemux.pipeline.SinkStats;

/**
 * How a stream ended: what the publisher sent ({@link PublishStats}) and what its pipeline lane
 * did ({@link SinkStats}: samples offered, written, dropped by reason, the worst queue latency).
 *
 * <p>Immutable; may be passed between threads.
 */
public final class PublishResult {
  private final PublishStats publish;
  private final SinkStats lane;

  PublishResult(PublishStats publish, SinkStats lane) {
    this.publish = publish;
    this.lane = lane;
  }

  public PublishStats publish() {
    return publish;
  }

  public SinkStats lane() {
    return lane;
  }

  @Override
  public String toString() {
    return "PublishResult{" + publish + ", " + lane + "}";
  }
}
