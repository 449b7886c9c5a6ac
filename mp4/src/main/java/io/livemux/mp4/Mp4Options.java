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
  private final boolean fsyncAtFinish;
  private final boolean payloadCopy;

  private Mp4Options(
      long fragmentDurationUs, boolean fsyncEveryFragment, Ending ending, MediaTime startTime,
      Duration finishTimeout, Path faststartCopy, boolean fsyncAtFinish, boolean payloadCopy) {
    this.fragmentDurationUs = fragmentDurationUs;
    this.fsyncEveryFragment = fsyncEveryFragment;
    this.ending = ending;
    this.startTime = startTime;
    this.finishTimeout = finishTimeout;
    this.faststartCopy = faststartCopy;
    this.fsyncAtFinish = fsyncAtFinish;
    this.payloadCopy = payloadCopy;
  }

  /**
   * 1 s fragments, no fsync per fragment but at finish, finalized in place, start at the first
   * sample, 2 s finish bound, payloads copied.
   */
  public static Mp4Options defaults() {
    return new Mp4Options(
        DEFAULT_FRAGMENT_DURATION_US, false, Ending.FINALIZED, null, DEFAULT_FINISH_TIMEOUT, null,
        true, true);
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
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy,
        fsyncAtFinish, payloadCopy);
  }

  /** Forces each fragment to the storage device before it is published (power-loss safety). */
  public Mp4Options withFsyncEveryFragment(boolean fsync) {
    return new Mp4Options(fragmentDurationUs, fsync, ending, startTime, finishTimeout, faststartCopy,
        fsyncAtFinish, payloadCopy);
  }

  public Mp4Options withEnding(Ending ending) {
    if (ending == null) {
      throw new NullPointerException("ending");
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy,
        fsyncAtFinish, payloadCopy);
  }

  /**
   * The recording's time zero, on the samples' clock; samples decoded before it are rejected.
   * Default: the earliest decode time among the first fragment's samples.
   */
  public Mp4Options withStartTime(MediaTime startTime) {
    if (startTime != null && !startTime.isValid()) {
      throw new IllegalArgumentException("startTime is MediaTime.INVALID");
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy,
        fsyncAtFinish, payloadCopy);
  }

  /** The bound on {@link Mp4Recorder#finish()} (default 2 s). */
  public Mp4Options withFinishTimeout(Duration finishTimeout) {
    if (finishTimeout.isZero() || finishTimeout.isNegative()) {
      throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
    }
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy,
        fsyncAtFinish, payloadCopy);
  }

  /**
   * Also writes a faststart copy (ftyp, moov, then the media) to {@code path} once the recording
   * is finalized; {@link Mp4Recorder#faststartCopy()} says when it is done. The copy is not part of
   * the finish bound: the finalized file is already complete when it starts.
   */
  public Mp4Options withFaststartCopy(Path path) {
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, path,
        fsyncAtFinish, payloadCopy);
  }

  /**
   * Whether {@link Mp4Recorder#finish()} forces the file to the storage device (default true): once
   * before the placeholder becomes the mdat header (so a power loss never leaves that header
   * pointing past a moov that is not on disk) and once at the end, and the faststart copy once.
   * {@code false} leaves the bytes in the operating system's cache, as {@code cp} and ffmpeg do:
   * finish is faster by the time the device takes to write the file, and a power loss (not a
   * process crash) soon after may leave the file incomplete. For derived files that can be made
   * again (a remux), not for recordings of a live source.
   */
  public Mp4Options withFsyncAtFinish(boolean fsync) {
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy,
        fsync, payloadCopy);
  }

  /**
   * Whether the writer copies each sample's payload into its own fragment buffer (default true:
   * the producer's buffer is free once the sample is written). {@code false}: zero copy, the writer
   * keeps each sample's read-only payload view until its fragment is in the file and writes the
   * fragment with one gathering write from those views. The producer must then leave the bytes
   * unchanged until {@link Mp4Recorder#finish()} completes (or the recorder is cancelled): meant for
   * payloads that never change, such as views of a read-only memory-mapped input file, where it
   * saves copying every byte once. Heap payloads gain nothing (the JDK copies them into a direct
   * buffer to write them).
   */
  public Mp4Options withPayloadCopy(boolean copy) {
    return new Mp4Options(fragmentDurationUs, fsyncEveryFragment, ending, startTime, finishTimeout, faststartCopy,
        fsyncAtFinish, copy);
  }

  public boolean fsyncAtFinish() {
    return fsyncAtFinish;
  }

  public boolean payloadCopy() {
    return payloadCopy;
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
        + ", finishTimeout=" + finishTimeout + ", fsyncAtFinish=" + fsyncAtFinish
        + ", payloadCopy=" + payloadCopy + "}";
  }
}
