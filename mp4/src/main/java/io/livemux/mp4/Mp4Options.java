package io.livemux.mp4;

import io.livemux.time.MediaTime;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How an MP4 recording is written. Immutable; start from {@link #defaults()} and change with the
 * {@code with*} methods.
 */
public final class Mp4Options {
  /** How the file ends when the recording finishes. */
  public enum Ending {
    /**
     * Hybrid (the default): a full moov with sample tables is appended and the placeholder after
     * ftyp becomes an mdat header spanning the fragments, so the file is an ordinary MP4.
     */
    FINALIZED,
    /** Stays fragmented, with an mfra index at the end for seeking. */
    FRAGMENTED
  }

  public static final long DEFAULT_FRAGMENT_DURATION_US = 1_000_000;
  public static final Duration DEFAULT_FINISH_TIMEOUT = Duration.ofSeconds(2);

  private final long fragmentDurationUs;
  private final boolean fsyncEveryFragment;
  private final Ending ending;
  private final MediaTime startTime;
  private final Duration finishTimeout;
  private final Path faststartCopy;

  private Mp4Options(
      long fragmentDurationUs, boolean fsyncEveryFragment, Ending ending, MediaTime startTime,
      Duration finishTimeout, Path faststartCopy) {
    this.fragmentDurationUs = fragmentDurationUs;
    this.fsyncEveryFragment = fsyncEveryFragment;
    this.ending = ending;
    this.startTime = startTime;
    this.finishTimeout = finishTimeout;
    this.faststartCopy = faststartCopy;
  }

  /** 1 s fragments, no fsync, finalized in place, start at the first sample, 2 s finish bound. */
  public static Mp4Options defaults() {
    return new Mp4Options(
        DEFAULT_FRAGMENT_DURATION_US, false, Ending.FINALIZED, null, DEFAULT_FINISH_TIMEOUT, null);
  }

  /**
   * Target fragment duration: a fragment is cut at the first video keyframe past it, or on duration
   * alone at twice it when keyframes are sparse; audio-only files are cut on duration.
   */
  public Mp4Options withFragmentDurationUs(long fragmentDurationUs) {
    if (fragmentDurationUs < 1_000 || fragmentDurationUs > 60_000_000) {
      throw new IllegalArgumentException(
          "fragmentDurationUs out of range 1000..60000000: " + fragmentDurationUs);
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy);
  }

  /** Forces each fragment to the storage device before it is published (power-loss safety). */
  public Mp4Options withFsyncEveryFragment(boolean fsync) {
    return new Mp4Options(fragmentDurationUs, fsync, ending, startTime, finishTimeout, faststartCopy);
  }

  public Mp4Options withEnding(Ending ending) {
    if (ending == null) {
      throw new NullPointerException("ending");
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy);
  }

  /**
   * The recording's time zero, on the samples' clock; samples decoded before it are rejected.
   * Default: the earliest decode time among the first fragment's samples.
   */
  public Mp4Options withStartTime(MediaTime startTime) {
    if (startTime != null && !startTime.isValid()) {
      throw new IllegalArgumentException("startTime is MediaTime.INVALID");
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy);
  }

  /** The bound on {@link Mp4Recorder#finish()} (default 2 s). */
  public Mp4Options withFinishTimeout(Duration finishTimeout) {
    if (finishTimeout.isZero() || finishTimeout.isNegative()) {
      throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy);
  }

  /**
   * Also writes a faststart copy (ftyp, moov, then the media) to {@code path} once the recording
   * is finalized; {@link Mp4Recorder#faststartCopy()} says when it is done. The copy is not part of
   * the finish bound: the finalized file is already complete when it starts.
   */
  public Mp4Options withFaststartCopy(Path path) {
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, path);
  }

  /** The faststart copy's path, or null. */
  public Path faststartCopy() {
    return faststartCopy;
  }

  public long fragmentDurationUs() {
    return fragmentDurationUs;
  }

  public boolean fsyncEveryFragment() {
    return fsyncEveryFragment;
  }

  public Ending ending() {
    return ending;
  }

  /** The explicit start time, or null. */
  public MediaTime startTime() {
    return startTime;
  }

  public Duration finishTimeout() {
    return finishTimeout;
  }

  @Override
  public String toString() {
    return "Mp4Options{fragmentDurationUs=" + fragmentDurationUs + ", fsync=" + fsyncEveryFragment
        + ", ending=" + ending + ", startTime=" + startTime
        + ", finishTimeout=" + finishTimeout + "}";
  }
}
