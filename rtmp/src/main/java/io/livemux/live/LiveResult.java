package io.livemux.live;

import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.SinkStats;
import io.livemux.rtmp.publish.PublishStats;

/**
 * How a {@link LiveSession} ended, both outputs in one value: the recording ({@link Mp4Result},
 * and its lane's {@link SinkStats}) and the stream ({@link PublishStats}, and its lane's {@link
 * SinkStats}: drops by reason, worst queue latency, and the failure if the stream failed). Parts of
 * an output the session did not have are null.
 *
 * <p>Immutable; may be passed between threads.
 */
public final class LiveResult {
  private final Mp4Result recording;
  private final SinkStats recordingLane;
  private final PublishStats stream;
  private final SinkStats streamLane;

  LiveResult(Mp4Result recording, SinkStats recordingLane, PublishStats stream, SinkStats streamLane) {
    this.recording = recording;
    this.recordingLane = recordingLane;
    this.stream = stream;
    this.streamLane = streamLane;
  }

  /** The file's figures (path, samples, duration, fragments, finalized), or null when not recording. */
  public Mp4Result recording() {
    return recording;
  }

  public SinkStats recordingLane() {
    return recordingLane;
  }

  /** What was sent, or null when not publishing. */
  public PublishStats stream() {
    return stream;
  }

  public SinkStats streamLane() {
    return streamLane;
  }

  /** Whether the recording completed (every sample written, the file finalized or ended as asked). */
  public boolean isRecordingComplete() {
    return recordingLane != null && recordingLane.outcome() == SinkOutcome.COMPLETED;
  }

  /** Whether the stream ran to its end without failing. */
  public boolean isStreamComplete() {
    return streamLane != null && streamLane.outcome() == SinkOutcome.COMPLETED;
  }

  @Override
  public String toString() {
    return "LiveResult{recording " + recording + " " + recordingLane + ", stream " + stream + " "
        + streamLane + "}";
  }
}
