package io.livemux.mp4;

import java.util.List;

/**
 * Adds the samples of one movie fragment ('moof', 14496-12 8.8.4) to their tracks: 'tfhd' defaults
 * and data base (8.8.7), 'tfdt' decode time (8.8.12), 'trun' samples (8.8.8). A fragment whose
 * sample data is not all inside the file (a cut file) is left out whole.
 */
final class FragmentParser {
  private FragmentParser() {}

  // 8.8.7.1 tf_flags
  private static final int BASE_DATA_OFFSET_PRESENT = 0x00_0001;
  private static final int SAMPLE_DESCRIPTION_INDEX_PRESENT = 0x00_0002;
  private static final int DEFAULT_DURATION_PRESENT = 0x00_0008;
  private static final int DEFAULT_SIZE_PRESENT = 0x00_0010;
  private static final int DEFAULT_FLAGS_PRESENT = 0x00_0020;
  private static final int DEFAULT_BASE_IS_MOOF = 0x02_0000;
  // 8.8.8.1 tr_flags
  private static final int DATA_OFFSET_PRESENT = 0x0001;
  private static final int FIRST_SAMPLE_FLAGS_PRESENT = 0x0004;
  private static final int DURATION_PRESENT = 0x0100;
  private static final int SIZE_PRESENT = 0x0200;
  private static final int FLAGS_PRESENT = 0x0400;
  private static final int COMPOSITION_OFFSET_PRESENT = 0x0800;

  /**
   * Adds the samples of {@code moof}, which starts at file offset {@code moofOffset}. Returns false,
   * with nothing added, when some sample's data lies outside the file.
   */
  static boolean add(BoxData moof, long moofOffset, List<TrackSamples> tracks, ReadBudget budget)
      throws Mp4Exception {
    int[] marks = new int[tracks.size()];
    long[] nextDecode = new long[tracks.size()];
    for (int i = 0; i < tracks.size(); i++) {
      marks[i] = tracks.get(i).mark();
      nextDecode[i] = tracks.get(i).nextDecodeTicks;
    }
    long[] budgetMark = budget.snapshot();
    long dataEnd = moofOffset; // 8.8.7.1: without a base, a traf's data follows the previous traf's
    boolean firstTraf = true;
    boolean present = true;
    for (BoxData traf = moof.nextChild(); traf != null && present; traf = moof.nextChild()) {
      if (!traf.type.equals("traf")) {
        continue;
      }
      long end = traf(traf, moofOffset, firstTraf ? moofOffset : dataEnd, tracks, budget);
      firstTraf = false;
      if (end < 0) {
        present = false;
      } else {
        dataEnd = end;
      }
    }
    if (!present) {
      for (int i = 0; i < tracks.size(); i++) {
        tracks.get(i).rollback(marks[i], nextDecode[i]);
      }
      budget.restore(budgetMark);
    }
    return present;
  }

  /** One 'traf'; returns the end of its data, or -1 if some of it lies outside the file. */
  private static long traf(
      BoxData traf, long moofOffset, long implicitBase, List<TrackSamples> tracks, ReadBudget budget)
      throws Mp4Exception {
    BoxData tfhd = traf.require("tfhd");
    int tfFlags = tfhd.versionAndFlags() & 0xFF_FFFF;
    long trackId = tfhd.u32("track_ID");
    TrackSamples track = null;
    for (TrackSamples t : tracks) {
      if (t.trackId == trackId) {
        track = t;
      }
    }
    if (track == null) {
      throw new Mp4Exception("malformed MP4: " + traf.path + " is for track " + trackId + ", which the moov does not have");
    }
    long base;
    if ((tfFlags & BASE_DATA_OFFSET_PRESENT) != 0) {
      base = tfhd.u64Bounded("base_data_offset");
    } else {
      base = (tfFlags & DEFAULT_BASE_IS_MOOF) != 0 ? moofOffset : implicitBase;
    }
    if ((tfFlags & SAMPLE_DESCRIPTION_INDEX_PRESENT) != 0) {
      tfhd.u32("sample_description_index");
    }
    long defaultDuration = (tfFlags & DEFAULT_DURATION_PRESENT) != 0
        ? tfhd.u32("default_sample_duration") : track.defaultDuration;
    long defaultSize = (tfFlags & DEFAULT_SIZE_PRESENT) != 0
        ? tfhd.u32("default_sample_size") : track.defaultSize;
    int defaultFlags = (tfFlags & DEFAULT_FLAGS_PRESENT) != 0
        ? tfhd.s32("default_sample_flags") : track.defaultFlags;

    BoxData tfdt = traf.child("tfdt");
    long decode = track.nextDecodeTicks;
    if (tfdt != null) {
      int version = tfdt.versionAndFlags() >>> 24;
      decode = version == 1 ? tfdt.u64Bounded("baseMediaDecodeTime") : tfdt.u32("baseMediaDecodeTime");
    }
    long data = base;
    String where = traf.path + " (track " + trackId + ")";
    for (BoxData trun = traf.nextChild(); trun != null; trun = traf.nextChild()) {
      if (!trun.type.equals("trun")) {
        continue;
      }
      int trFlags = trun.versionAndFlags() & 0xFF_FFFF;
      long count = trun.u32("sample_count");
      if ((trFlags & DATA_OFFSET_PRESENT) != 0) {
        data = base + trun.s32("data_offset");
      }
      int firstFlags = (trFlags & FIRST_SAMPLE_FLAGS_PRESENT) != 0 ? trun.s32("first_sample_flags") : defaultFlags;
      int fieldBytes = 4 * Integer.bitCount(trFlags & 0x0F00);
      if (fieldBytes > 0 && count * fieldBytes > trun.remaining()) {
        throw new Mp4Exception(
            "malformed MP4: " + trun.path + " sample_count " + count + " needs " + count * fieldBytes
                + " bytes but the box has " + trun.remaining() + " left");
      }
      budget.checkCount(count, where);
      for (long i = 0; i < count; i++) {
        long duration = (trFlags & DURATION_PRESENT) != 0 ? trun.u32("sample_duration") : defaultDuration;
        long size = (trFlags & SIZE_PRESENT) != 0 ? trun.u32("sample_size") : defaultSize;
        int flags = (trFlags & FLAGS_PRESENT) != 0 ? trun.s32("sample_flags") : i == 0 ? firstFlags : defaultFlags;
        int compositionOffset = (trFlags & COMPOSITION_OFFSET_PRESENT) != 0 ? trun.s32("sample_composition_time_offset") : 0;
        if (data < 0 || size > budget.fileBytes - data) {
          return -1; // not (yet) in the file: the fragment is left out
        }
        if (duration > Integer.MAX_VALUE) {
          throw new Mp4Exception("malformed MP4: " + trun.path + " sample_duration out of range: " + duration);
        }
        if (decode > 1L << 61) {
          throw new Mp4Exception("malformed MP4: " + where + " decode time out of range: " + decode);
        }
        budget.take(size, where);
        track.add(data, (int) size, decode, (int) duration, compositionOffset, sampleFlags(flags));
        decode += duration;
        data += size;
      }
    }
    return data;
  }

  /** 8.8.3.1 sample_flags: sample_is_non_sync_sample clear = sync; sample_is_depended_on 2 = disposable. */
  static byte sampleFlags(int flags) {
    byte out = 0;
    if ((flags & 0x0001_0000) == 0) {
      out |= TrackSamples.SYNC;
    }
    if ((flags >>> 22 & 3) == 2) {
      out |= TrackSamples.DISPOSABLE;
    }
    return out;
  }
}
