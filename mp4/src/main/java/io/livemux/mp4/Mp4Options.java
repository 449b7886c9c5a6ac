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

  private long fragmentDurationUs = DEFAULT_FRAGMENT_DURATION_US;
  private boolean fsyncEveryFragment;
  private Ending ending = Ending.FINALIZED;
  private MediaTime startTime;
  private Duration finishTimeout = DEFAULT_FINISH_TIMEOUT;
  private Path faststartCopy;
  private boolean fsyncAtFinish = true;
  private boolean payloadCopy = true;
  private boolean writeBehind;

  // Immutable to everyone outside: each with... changes one field of a fresh copy.
  private Mp4Options() {}

  private Mp4Options copy() {
    Mp4Options c = new Mp4Options();
    c.fragmentDurationUs = fragmentDurationUs;
    c.fsyncEveryFragment = fsyncEveryFragment;
    c.ending = ending;
    c.startTime = startTime;
    c.finishTimeout = finishTimeout;
    c.faststartCopy = faststartCopy;
    c.fsyncAtFinish = fsyncAtFinish;
    c.payloadCopy = payloadCopy;
    c.writeBehind = writeBehind;
    return c;
  }

  /**
   * 1 s fragments, no fsync per fragment but at finish, finalized in place, start at the first
   * sample, 2 s finish bound, payloads copied.
   */
  public static Mp4Options defaults() {
    return new Mp4Options();
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
    Mp4Options c = copy();
    c.fragmentDurationUs = fragmentDurationUs;
    return c;
  }

  /** Forces each fragment to the storage device before it is published (power-loss safety). */
  public Mp4Options withFsyncEveryFragment(boolean fsync) {
    Mp4Options c = copy();
    c.fsyncEveryFragment = fsync;
    return c;
  }

  public Mp4Options withEnding(Ending ending) {
    if (ending == null) {
      throw new NullPointerException("ending");
    }
    Mp4Options c = copy();
    c.ending = ending;
    return c;
  }

  /**
   * The recording's time zero, on the samples' clock; samples decoded before it are rejected.
   * Default: the earliest decode time among the first fragment's samples.
   */
  public Mp4Options withStartTime(MediaTime startTime) {
    if (startTime != null && !startTime.isValid()) {
      throw new IllegalArgumentException("startTime is MediaTime.INVALID");
    }
    Mp4Options c = copy();
    c.startTime = startTime;
    return c;
  }

  /** The bound on {@link Mp4Recorder#finish()} (default 2 s). */
  public Mp4Options withFinishTimeout(Duration finishTimeout) {
    if (finishTimeout.isZero() || finishTimeout.isNegative()) {
      throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
    }
    Mp4Options c = copy();
    c.finishTimeout = finishTimeout;
    return c;
  }

  /**
   * Also writes a faststart copy (ftyp, moov, then the media) to {@code path} once the recording
   * is finalized; {@link Mp4Recorder#faststartCopy()} says when it is done. The copy is not part of
   * the finish bound: the finalized file is already complete when it starts.
   */
  public Mp4Options withFaststartCopy(Path path) {
    Mp4Options c = copy();
    c.faststartCopy = path;
    return c;
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
    Mp4Options c = copy();
    c.fsyncAtFinish = fsync;
    return c;
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
    Mp4Options c = copy();
    c.payloadCopy = copy;
    return c;
  }

  /**
   * Whether a second thread writes each fragment while the writer builds the next (default false).
   * For file-to-file work on a machine with a core to spare (a remux): reading and copying the
   * input overlaps with the operating system's copy into the output. Fragments still reach the file
   * in order, each published only after its bytes, so a crash leaves the same valid prefix. Memory
   * is one more fragment per track, {@link Mp4Writer#result()} may count the fragment still being
   * written, and a write failure surfaces at the writer's next call. A {@link Mp4Recorder} does not
   * need it: its pipeline already writes on a thread of its own.
   */
  public Mp4Options withWriteBehind(boolean writeBehind) {
    Mp4Options c = copy();
    c.writeBehind = writeBehind;
    return c;
  }

  public boolean writeBehind() {
    return writeBehind;
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
        + ", payloadCopy=" + payloadCopy + ", writeBehind=" + writeBehind + "}";
  }
}
