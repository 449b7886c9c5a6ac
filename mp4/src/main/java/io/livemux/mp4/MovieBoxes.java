package io.livemux.mp4;

import io.livemux.format.AacFormat;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;
import java.util.function.Consumer;

/**
 * The two movie boxes of an {@link Mp4Writer}'s file (ISO/IEC 14496-12): the one written first,
 * which announces fragments, and the progressive one that finalizing appends; with the edit lists
 * (8.6.6) that keep the tracks in sync. Stateless.
 */
final class MovieBoxes {
  private MovieBoxes() {}

  /**
   * The moov written first, before any fragment (8.8.1): every track with empty sample tables (its
   * samples are in the fragments), its edit list from the origin, and the mvex that announces the
   * fragments.
   */
  static void fragmentedMoov(BoxBuffer b, TrackState[] tracks) throws Mp4Exception {
    MediaTime zero = presentationZero(tracks);
    int moov = b.start("moov");
    Boxes.mvhd(b, 0, tracks.length + 1);
    SampleTable empty = new SampleTable(); // the samples are in the fragments
    for (TrackState t : tracks) {
      trak(b, t, 0, zero, t.originTicks, 0, 0, empty::writeTables);
    }
    Boxes.mvex(b, tracks.length);
    b.end(moov);
  }

  /**
   * The progressive moov (8.2.1): full sample tables, edit lists for A/V sync, no mvex. With
   * {@code newOffsets} (per track, per chunk) the chunks are placed there instead (the faststart
   * copy).
   */
  static void finalMoov(BoxBuffer b, TrackState[] tracks, long[][] newOffsets, boolean forceLarge)
      throws Mp4Exception {
    MediaTime zero = presentationZero(tracks);
    long[] presentedMovie = new long[tracks.length];
    long[] delayMovie = new long[tracks.length];
    long movieDuration = 0;
    for (int i = 0; i < tracks.length; i++) {
      TrackState t = tracks[i];
      if (!t.anySample) {
        continue;
      }
      long firstPresented = t.minPresentationTicks - t.originTicks; // from the origin
      long presented = Math.max(0, t.maxPresentationEndTicks - firstPresented - primingTicks(t));
      presentedMovie[i] = MediaTime.rescaleTicks(presented, t.timescale, Boxes.MOVIE_TIMESCALE, RoundingMode.HALF_UP);
      delayMovie[i] = Math.max(0, MediaTime.of(t.minPresentationTicks, t.timescale).minus(zero)
          .rescale(Boxes.MOVIE_TIMESCALE).ticks());
      movieDuration = Math.max(movieDuration, delayMovie[i] + presentedMovie[i]);
    }
    int moov = b.start("moov");
    Boxes.mvhd(b, movieDuration, tracks.length + 1);
    for (int i = 0; i < tracks.length; i++) {
      TrackState t = tracks[i];
      long[] chunkOffsets = newOffsets == null ? null : newOffsets[i];
      // In the sample tables the track's media time starts at its first decode time.
      trak(b, t, delayMovie[i] + presentedMovie[i], zero, t.firstDecodeTicks, presentedMovie[i],
          t.table.totalDurationTicks(),
          chunkOffsets == null ? t.table::writeTables : tb -> t.table.writeTables(tb, chunkOffsets, forceLarge));
    }
    b.end(moov);
  }

  /**
   * One track (8.3.1) down to its sample table box (8.5.1), whose tables {@code tables} writes:
   * the track's duration in movie ticks, its edit list, and its media's duration in its timescale.
   */
  private static void trak(BoxBuffer b, TrackState t, long durationMovieTicks, MediaTime zero,
      long mediaOriginTicks, long segmentMovieTicks, long mediaDurationTicks, Consumer<BoxBuffer> tables)
      throws Mp4Exception {
    int trak = b.start("trak");
    Boxes.tkhd(b, t.id, t.format, durationMovieTicks);
    edits(b, t, zero, mediaOriginTicks, segmentMovieTicks);
    int mdia = b.start("mdia");
    Boxes.mdhd(b, t.timescale, mediaDurationTicks);
    Boxes.hdlr(b, t.format);
    int minf = b.start("minf");
    Boxes.mediaHeader(b, t.format);
    Boxes.dinf(b);
    int stbl = b.start("stbl");
    Boxes.stsd(b, t.format);
    tables.accept(b);
    b.end(stbl);
    b.end(minf);
    b.end(mdia);
    b.end(trak);
  }

  /**
   * The recording's presentation zero: the earliest presentation time of any track, so that every
   * track is presented at (its PTS - zero) and A/V sync is kept.
   */
  static MediaTime presentationZero(TrackState[] tracks) {
    MediaTime zero = null;
    for (TrackState t : tracks) {
      if (t.anySample) {
        MediaTime minPts = MediaTime.of(t.minPresentationTicks, t.timescale);
        if (zero == null || minPts.compareTo(zero) < 0) {
          zero = minPts;
        }
      }
    }
    return zero;
  }

  /** The track's encoder delay (an AAC encoder's priming samples) in its timescale; 0 if none. */
  static long primingTicks(TrackState t) {
    return t.format instanceof AacFormat ? ((AacFormat) t.format).encoderDelayTicks(t.timescale) : 0;
  }

  /**
   * Writes one track's edit list (14496-12 8.6.6) as ffmpeg and browsers read it: an empty edit
   * for the track's delay after the presentation zero, then the media from the track's first
   * presented time (which skips the B-frame delay). Nothing when neither is needed.
   */
  static void edits(
      BoxBuffer b, TrackState t, MediaTime zero, long mediaOriginTicks, long segmentMovieTicks) {
    if (!t.anySample || zero == null) {
      return;
    }
    MediaTime minPts = MediaTime.of(t.minPresentationTicks, t.timescale);
    long delayMovie = minPts.minus(zero).rescale(Boxes.MOVIE_TIMESCALE).ticks();
    // An AAC encoder's priming output is skipped: the first input sample, decoded from the second
    // access unit, is presented at the first access unit's time.
    long mediaTime = Math.max(0, t.minPresentationTicks - mediaOriginTicks) + primingTicks(t);
    if (delayMovie > 0 || mediaTime != 0) {
      Boxes.edts(b, Math.max(0, delayMovie), mediaTime, segmentMovieTicks);
    }
  }
}
