package io.livemux.mp4;

import io.livemux.format.MediaFormat;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** What a recording holds once it has ended (or as far as it got). Immutable. */
public final class Mp4Result {
  /** One track's figures. Immutable. */
  public static final class TrackSummary {
    private final MediaFormat format;
    private final long sampleCount;
    private final long durationUs;
    private final long payloadBytes;

    TrackSummary(MediaFormat format, long sampleCount, long durationUs, long payloadBytes) {
      this.format = format;
      this.sampleCount = sampleCount;
      this.durationUs = durationUs;
      this.payloadBytes = payloadBytes;
    }

    public MediaFormat format() {
      return format;
    }

    public long sampleCount() {
      return sampleCount;
    }

    public long durationUs() {
      return durationUs;
    }

    public long payloadBytes() {
      return payloadBytes;
    }

    @Override
    public String toString() {
      return format.mimeType() + ": " + sampleCount + " samples, " + durationUs + " us, "
          + payloadBytes + " bytes";
    }
  }

  private final Path path;
  private final List<TrackSummary> tracks;
  private final long fileBytes;
  private final long fragments;
  private final boolean finalized;
  private final long samplesRejected;
  private final long samplesBeforeStart;
  private final long samplesDropped;

  Mp4Result(
      Path path, List<TrackSummary> tracks, long fileBytes, long fragments, boolean finalized,
      long samplesRejected, long samplesBeforeStart, long samplesDropped) {
    this.path = path;
    this.tracks = Collections.unmodifiableList(tracks);
    this.fileBytes = fileBytes;
    this.fragments = fragments;
    this.finalized = finalized;
    this.samplesRejected = samplesRejected;
    this.samplesBeforeStart = samplesBeforeStart;
    this.samplesDropped = samplesDropped;
  }

  Mp4Result withCounts(long rejected, long dropped) {
    return new Mp4Result(path, tracks, fileBytes, fragments, finalized, rejected, samplesBeforeStart, dropped);
  }

  /** Samples in the file, all tracks. */
  public long sampleCount() {
    long n = 0;
    for (TrackSummary t : tracks) {
      n += t.sampleCount();
    }
    return n;
  }

  public Path path() {
    return path;
  }

  public List<TrackSummary> tracks() {
    return tracks;
  }

  /** The longest track's duration. */
  public long durationUs() {
    long max = 0;
    for (TrackSummary t : tracks) {
      max = Math.max(max, t.durationUs());
    }
    return max;
  }

  /** Bytes of the file on disk that are part of valid boxes. */
  public long fileBytes() {
    return fileBytes;
  }

  /** Fragments written (each a moof + mdat). */
  public long fragments() {
    return fragments;
  }

  /** True when the file was finalized (a full moov written), false when it ended fragmented or cut. */
  public boolean isFinalized() {
    return finalized;
  }

  /** Samples refused because they were appended after finish began (counted until the result). */
  public long samplesRejected() {
    return samplesRejected;
  }

  /** Samples left out because they were timed before the recording's start. */
  public long samplesBeforeStart() {
    return samplesBeforeStart;
  }

  /**
   * Samples taken but not in the file: dropped by the real-time policy, lost to a finish timeout,
   * or in a fragment that was never completed.
   */
  public long samplesDropped() {
    return samplesDropped;
  }

  @Override
  public String toString() {
    return "Mp4Result{" + path + ", " + tracks + ", " + fileBytes + " bytes, " + fragments
        + " fragments, finalized=" + finalized + ", rejected=" + samplesRejected + ", beforeStart="
        + samplesBeforeStart + ", dropped=" + samplesDropped + "}";
  }
}
