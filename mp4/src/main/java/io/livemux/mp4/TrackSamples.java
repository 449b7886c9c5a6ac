package io.livemux.mp4;

import io.livemux.format.AacFormat;
import io.livemux.format.MediaFormat;
import java.util.Arrays;

/**
 * One track as the reader found it: its format, timescales, edit shift and the index of its samples
 * (file offset, size, decode time, duration, composition offset, flags), a few dozen bytes a
 * sample and never the media itself. Fragments are added with {@link #mark()} / {@link
 * #rollback(int)} so a fragment whose data is missing leaves no trace. Not thread-safe.
 */
final class TrackSamples {
  static final byte SYNC = 1;
  static final byte DISPOSABLE = 2;

  final int trackId;
  /** The sample entry's format; an AAC track's gets its priming in {@link #placeOnMovieTimeline}. */
  MediaFormat format;
  final int timescale;
  /** The edit list's leading empty edits (14496-12 8.6.6), in media ticks. */
  private final long emptyEditTicks;
  /** The first media edit's media_time: the media time presented first. */
  private final long firstMediaTimeTicks;
  /**
   * Added to every media time to place it on the movie timeline: the empty edits' duration minus
   * the first media edit's media_time (or, for AAC priming, minus the first sample's time). Set by
   * {@link #placeOnMovieTimeline} once the samples are known.
   */
  long shiftTicks;
  /** trex defaults (8.8.3), for fragments: duration, size, flags. */
  long defaultDuration;
  long defaultSize;
  int defaultFlags;
  /** The decode time after the last sample, where a fragment without tfdt continues. */
  long nextDecodeTicks;

  int count;
  long[] offsets = new long[64];
  int[] sizes = new int[64];
  long[] decodeTicks = new long[64];
  int[] durations = new int[64];
  int[] compositionOffsets = new int[64];
  byte[] flags = new byte[64];

  TrackSamples(int trackId, MediaFormat format, int timescale, long emptyEditTicks, long firstMediaTimeTicks) {
    this.trackId = trackId;
    this.format = format;
    this.timescale = timescale;
    this.emptyEditTicks = emptyEditTicks;
    this.firstMediaTimeTicks = firstMediaTimeTicks;
  }

  /**
   * Sets {@link #shiftTicks} from the edit list and the samples found. An AAC track's media_time
   * that lies a little after its first sample hides the encoder's priming (what ffmpeg, Apple and
   * livemux write, ISO/IEC 14496-12 8.6.6): that part, a whole number of samples at the format's
   * rate and at most 1 s, is kept in the format ({@link AacFormat#encoderDelaySamples()}) instead of
   * moving the track earlier, so that a file written from these samples hides the same priming and
   * its tracks keep their places. The first access unit is then where the first real sample plays.
   */
  void placeOnMovieTimeline() {
    shiftTicks = emptyEditTicks - firstMediaTimeTicks; // both within 2^61
    if (!(format instanceof AacFormat) || count == 0) {
      return;
    }
    long firstTicks = decodeTicks[0] + compositionOffsets[0];
    long primingTicks = firstMediaTimeTicks - firstTicks;
    if (primingTicks <= 0 || primingTicks > timescale || Math.abs(firstTicks) > 1L << 60) {
      return;
    }
    AacFormat aac = (AacFormat) format;
    long samples = primingTicks * aac.sampleRateHz() / timescale;
    if (samples > 0 && samples * timescale == primingTicks * aac.sampleRateHz()) {
      format = aac.withEncoderDelaySamples((int) samples);
      shiftTicks = emptyEditTicks - firstTicks;
    }
  }

  /** Makes room for {@code more} samples at once (a sample table's count, checked by the budget). */
  void ensureCapacity(int more) {
    if (sizes.length - count < more) {
      grow(count + more);
    }
  }

  void add(long offset, int size, long decode, int duration, int compositionOffset, byte sampleFlags) {
    if (count == sizes.length) {
      grow(count * 2);
    }
    offsets[count] = offset;
    sizes[count] = size;
    decodeTicks[count] = decode;
    durations[count] = duration;
    compositionOffsets[count] = compositionOffset;
    flags[count] = sampleFlags;
    count++;
    nextDecodeTicks = decode + duration;
  }

  private void grow(int n) {
    offsets = Arrays.copyOf(offsets, n);
    sizes = Arrays.copyOf(sizes, n);
    decodeTicks = Arrays.copyOf(decodeTicks, n);
    durations = Arrays.copyOf(durations, n);
    compositionOffsets = Arrays.copyOf(compositionOffsets, n);
    flags = Arrays.copyOf(flags, n);
  }

  /** A point to {@link #rollback} to. */
  int mark() {
    return count;
  }

  /** Forgets the samples added since {@code mark}. */
  void rollback(int mark, long nextDecode) {
    count = mark;
    nextDecodeTicks = nextDecode;
  }
}
