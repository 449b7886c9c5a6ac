package io.livemux.mp4;

import io.livemux.time.MediaTime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

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

  /** The settings; never changed once an Mp4Options holds them (a final field publishes them). */
  private static final class Values implements Cloneable {
    long fragmentDurationUs = DEFAULT_FRAGMENT_DURATION_US;
    boolean fsyncEveryFragment;
    Ending ending = Ending.FINALIZED;
    MediaTime startTime;
    Duration finishTimeout = DEFAULT_FINISH_TIMEOUT;
    Path faststartCopy;
    boolean fsyncAtFinish = true;
    boolean payloadCopy = true;
    boolean writeBehind;

    @Override
    protected Values clone() {
      try {
        return (Values) super.clone(); // every field is immutable or primitive
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private final Values v;

  private Mp4Options(Values v) {
    this.v = v;
  }

  /** A copy with {@code change} applied to its settings. */
  private Mp4Options with(Consumer<Values> change) {
    Values c = v.clone();
    change.accept(c);
    return new Mp4Options(c);
  }

  /**
   * 1 s fragments, no fsync per fragment but at finish, finalized in place, start at the first
   * sample, 2 s finish bound, payloads copied.
   */
  public static Mp4Options defaults() {
    return new Mp4Options(new Values());
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
    return with(c -> c.fragmentDurationUs = fragmentDurationUs);
  }

  /** Forces each fragment to the storage device before it is published (power-loss safety). */
  public Mp4Options withFsyncEveryFragment(boolean fsync) {
    return with(c -> c.fsyncEveryFragment = fsync);
  }

  public Mp4Options withEnding(Ending ending) {
    if (ending == null) {
      throw new NullPointerException("ending");
    }
    return with(c -> c.ending = ending);
  }

  /**
   * The recording's time zero, on the samples' clock; samples decoded before it are rejected.
   * Default: the earliest decode time among the first fragment's samples.
   */
  public Mp4Options withStartTime(MediaTime startTime) {
    if (startTime != null && !startTime.isValid()) {
      throw new IllegalArgumentException("startTime is MediaTime.INVALID");
    }
    return with(c -> c.startTime = startTime);
  }

  /** The bound on {@link Mp4Recorder#finish()} (default 2 s). */
  public Mp4Options withFinishTimeout(Duration finishTimeout) {
    if (finishTimeout.isZero() || finishTimeout.isNegative()) {
      throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
    }
    return with(c -> c.finishTimeout = finishTimeout);
  }

  /**
   * Also writes a faststart copy (ftyp, moov, then the media) to {@code path} once the recording
   * is finalized; {@link Mp4Recorder#faststartCopy()} says when it is done. The copy is not part of
   * the finish bound: the finalized file is already complete when it starts.
   */
  public Mp4Options withFaststartCopy(Path path) {
    return with(c -> c.faststartCopy = path);
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
    return with(c -> c.fsyncAtFinish = fsync);
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
    return with(c -> c.payloadCopy = copy);
  }

  /**
   * Whether a second thread writes each fragment while the writer builds the next (default false).
   * For file-to-file work on a machine with a core to spare (a remux): reading and copying the
   * input overlaps with the operating system's copy into the output. Fragments still reach the file
   * in order, each published only after its bytes, so a crash leaves the same valid prefix. Memory
   * is one more fragment per track, {@link Mp4Writer#result()} may count the fragment still being
   * written (also after a cancel, which stops it), and a write failure surfaces at the writer's
   * next call, naming the write that failed. A {@link Mp4Recorder} does not
   * need it: its pipeline already writes on a thread of its own.
   */
  public Mp4Options withWriteBehind(boolean writeBehind) {
    return with(c -> c.writeBehind = writeBehind);
  }

  public boolean writeBehind() {
    return v.writeBehind;
  }

  public boolean fsyncAtFinish() {
    return v.fsyncAtFinish;
  }

  public boolean payloadCopy() {
    return v.payloadCopy;
  }

  /** The faststart copy's path, or null. */
  public Path faststartCopy() {
    return v.faststartCopy;
  }

  public long fragmentDurationUs() {
    return v.fragmentDurationUs;
  }

  public boolean fsyncEveryFragment() {
    return v.fsyncEveryFragment;
  }

  public Ending ending() {
    return v.ending;
  }

  /** The explicit start time, or null. */
  public MediaTime startTime() {
    return v.startTime;
  }

  public Duration finishTimeout() {
    return v.finishTimeout;
  }

  @Override
  public String toString() {
    return "Mp4Options{fragmentDurationUs=" + v.fragmentDurationUs + ", fsync=" + v.fsyncEveryFragment
        + ", ending=" + v.ending + ", startTime=" + v.startTime
        + ", finishTimeout=" + v.finishTimeout + ", fsyncAtFinish=" + v.fsyncAtFinish
        + ", payloadCopy=" + v.payloadCopy + ", writeBehind=" + v.writeBehind + "}";
  }
}
