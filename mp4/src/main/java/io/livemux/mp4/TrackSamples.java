package io.livemux.mp4;

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
  final MediaFormat format;
  final int timescale;
  /**
   * Added to every media time to place it on the movie timeline (14496-12 8.6.6): the empty edits'
   * duration minus the first media edit's media_time.
   */
  final long shiftTicks;
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

  TrackSamples(int trackId, MediaFormat format, int timescale, long shiftTicks) {
    this.trackId = trackId;
    this.format = format;
    this.timescale = timescale;
    this.shiftTicks = shiftTicks;
  }

  void add(long offset, int size, long decode, int duration, int compositionOffset, byte sampleFlags) {
    if (count == sizes.length) {
      int n = count * 2;
      offsets = Arrays.copyOf(offsets, n);
      sizes = Arrays.copyOf(sizes, n);
      decodeTicks = Arrays.copyOf(decodeTicks, n);
      durations = Arrays.copyOf(durations, n);
      compositionOffsets = Arrays.copyOf(compositionOffsets, n);
      flags = Arrays.copyOf(flags, n);
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
