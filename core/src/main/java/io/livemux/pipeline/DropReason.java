package io.livemux.pipeline;

/** Why a sink did not write a sample it was offered. Each dropped sample is counted once, under one reason. */
public enum DropReason {
  /** Congestion: a disposable (non-reference) video frame, dropped first. */
  DISPOSABLE,
  /** Congestion: a video frame dropped because it, or a frame it depends on, could not be queued; the track waits for its next keyframe. */
  UNTIL_KEYFRAME,
  /** Congestion: an audio frame, dropped only when no video was left to drop. */
  AUDIO_OVERFLOW,
  /** The sink threw: what it held and what came after is dropped; the other sinks go on. */
  SINK_FAILED,
  /** Offered while the pipeline was finishing. */
  FINISHED,
  /** Still queued when the finish bound ran out. */
  FINISH_TIMEOUT,
  /** Still queued when the pipeline was cancelled. */
  CANCELLED
}
