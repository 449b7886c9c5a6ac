package io.livemux.mp4;

import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a 'moov' box (14496-12 8.2) into one {@link TrackSamples} per track: the format, the edit
 * shift, the trex defaults (8.8.3) and the samples of the sample tables (8.5-8.7), which a
 * fragmented file leaves empty. Every count is checked against the box and the file before anything
 * is allocated for it.
 */
final class MoovParser {
  private MoovParser() {}

  /** The tracks of {@code moov}, in box order, with the samples of their sample tables. */
  static List<TrackSamples> tracks(BoxData moov, ReadBudget budget) throws Mp4Exception {
    int movieTimescale = movieTimescale(moov.require("mvhd"));
    List<TrackSamples> tracks = new ArrayList<>();
    BoxData children = moov.view();
    for (BoxData box = children.nextChild(); box != null; box = children.nextChild()) {
      if (box.type.equals("trak")) {
        TrackSamples t = track(box, movieTimescale, budget);
        for (TrackSamples other : tracks) {
          if (other.trackId == t.trackId) {
            throw new Mp4Exception("malformed MP4: two tracks have track_ID " + t.trackId);
          }
        }
        tracks.add(t);
      }
    }
    if (tracks.isEmpty()) {
      throw new Mp4Exception("malformed MP4: the 'moov' box has no track");
    }
    return tracks;
  }

  /** Sets each track's trex defaults (8.8.3) from 'mvex'; returns false when there is no 'mvex'. */
  static boolean readTrackExtends(BoxData moov, List<TrackSamples> tracks) throws Mp4Exception {
    BoxData mvex = moov.child("mvex");
    if (mvex == null) {
      return false;
    }
    for (BoxData trex = mvex.nextChild(); trex != null; trex = mvex.nextChild()) {
      if (!trex.type.equals("trex")) {
        continue;
      }
      trex.versionAndFlags();
      long trackId = trex.u32("track_ID");
      trex.u32("default_sample_description_index");
      long duration = trex.u32("default_sample_duration");
      long size = trex.u32("default_sample_size");
      int flags = trex.s32("default_sample_flags");
      for (TrackSamples t : tracks) {
        if (t.trackId == trackId) {
          t.defaultDuration = duration;
          t.defaultSize = size;
          t.defaultFlags = flags;
        }
      }
    }
    return true;
  }

  /** 8.2.2 MovieHeaderBox: the timescale of edit-list durations. */
  private static int movieTimescale(BoxData mvhd) throws Mp4Exception {
    int version = mvhd.versionAndFlags() >>> 24;
    mvhd.skip(version == 1 ? 16 : 8, "creation and modification times");
    return timescale(mvhd);
  }

  private static int timescale(BoxData box) throws Mp4Exception {
    long timescale = box.u32("timescale");
    if (timescale < 1 || timescale > Integer.MAX_VALUE) {
      throw new Mp4Exception("malformed MP4: " + box.path + " timescale out of range: " + timescale);
    }
    return (int) timescale;
  }

  private static TrackSamples track(BoxData trak, int movieTimescale, ReadBudget budget) throws Mp4Exception {
    BoxData tkhd = trak.require("tkhd");
    int version = tkhd.versionAndFlags() >>> 24;
    tkhd.skip(version == 1 ? 16 : 8, "creation and modification times");
    long id = tkhd.u32("track_ID");
    if (id < 1 || id > Integer.MAX_VALUE) {
      throw new Mp4Exception("malformed MP4: track_ID out of range: " + id);
    }
    int trackId = (int) id;
    BoxData mdia = trak.require("mdia");
    BoxData mdhd = mdia.require("mdhd");
    int mdhdVersion = mdhd.versionAndFlags() >>> 24;
    mdhd.skip(mdhdVersion == 1 ? 16 : 8, "creation and modification times");
    int timescale = timescale(mdhd);
    BoxData stbl = mdia.require("minf").require("stbl");
    MediaFormat format = SampleEntries.format(stbl.require("stsd"), trackId);
    BoxData edts = trak.child("edts");
    BoxData elst = edts == null ? null : edts.child("elst");
    long[] edit = elst == null ? new long[2] : firstEdit(elst, movieTimescale, timescale);
    TrackSamples track = new TrackSamples(trackId, format, timescale, edit[0], edit[1]);
    sampleTables(stbl, track, budget);
    return track;
  }

  /**
   * 8.6.6 EditListBox, read as players do: leading empty edits (media_time -1) delay the track,
   * and the first media edit's media_time is the media time presented first. Later edits and
   * rates are not applied. Returns {delay in media ticks, that media_time}.
   */
  static long[] firstEdit(BoxData elst, int movieTimescale, int mediaTimescale) throws Mp4Exception {
    int version = elst.versionAndFlags() >>> 24;
    int entries = elst.count("entry_count", version == 1 ? 20 : 12);
    long delay = 0;
    try {
      for (int i = 0; i < entries; i++) {
        long segmentDuration = version == 1 ? elst.u64Bounded("segment_duration") : elst.u32("segment_duration");
        long mediaTime = version == 1 ? elst.s64("media_time") : elst.s32("media_time");
        elst.s32("media_rate");
        if (mediaTime == -1) {
          delay = Math.addExact(delay, MediaTime.rescaleTicks(
              segmentDuration, movieTimescale, mediaTimescale, RoundingMode.HALF_UP));
        } else if (mediaTime < 0 || mediaTime > 1L << 61) {
          throw new Mp4Exception("malformed MP4: " + elst.path + " media_time out of range: " + mediaTime);
        } else {
          return new long[] {checkDelay(elst, delay), mediaTime};
        }
      }
    } catch (ArithmeticException e) {
      throw new Mp4Exception("malformed MP4: " + elst.path + " edit durations out of range: " + e.getMessage(), e);
    }
    return new long[] {checkDelay(elst, delay), 0};
  }

  private static long checkDelay(BoxData elst, long delay) throws Mp4Exception {
    if (delay > 1L << 61) {
      throw new Mp4Exception("malformed MP4: " + elst.path + " delays the track out of range: " + delay);
    }
    return delay;
  }

  /**
   * The samples of stsz, stts, ctts, stss, stsc and stco/co64 (8.5-8.7). Absent tables mean no
   * samples (a fragmented file's moov); a table that covers fewer samples than stsz is malformed.
   */
  private static void sampleTables(BoxData stbl, TrackSamples track, ReadBudget budget) throws Mp4Exception {
    BoxData stsz = stbl.child("stsz");
    if (stsz == null) {
      if (stbl.child("stz2") != null) {
        throw new Mp4Exception("track " + track.trackId + " uses a compact sample size box ('stz2'), which livemux does not read");
      }
      return;
    }
    String where = "track " + track.trackId + " sample tables";
    // 8.7.3.2 SampleSizeBox
    stsz.versionAndFlags();
    long constantSize = stsz.u32("sample_size");
    int n;
    int[] sizes;
    if (constantSize == 0) {
      n = stsz.count("sample_count", 4);
      budget.checkCount(n, where);
      sizes = new int[n];
      for (int i = 0; i < n; i++) {
        sizes[i] = size(stsz.u32("entry_size"), budget, where);
      }
    } else {
      long count = stsz.u32("sample_count");
      if (count > budget.fileBytes / constantSize) {
        throw new Mp4Exception(
            "malformed MP4: " + where + ": " + count + " samples of " + constantSize
                + " bytes do not fit in a " + budget.fileBytes + "-byte file");
      }
      if (track.format instanceof PcmFormat) {
        pcmChunks(stbl, track, constantSize, count, budget, where);
        return;
      }
      n = (int) count;
      budget.checkCount(n, where);
      sizes = new int[n];
      java.util.Arrays.fill(sizes, (int) constantSize);
    }
    if (n == 0) {
      return;
    }
    track.ensureCapacity(n);
    int[] durations = durations(stbl.require("stts"), n, where);
    int[] offsets = compositionOffsets(stbl.child("ctts"), n);
    boolean[] sync = syncSamples(stbl.child("stss"), n);
    long[] chunkOffsets = chunkOffsets(stbl, track.trackId, budget);
    long[] sampleOffsets = sampleOffsets(stbl.require("stsc"), chunkOffsets, sizes, where);
    long decode = 0;
    for (int i = 0; i < n; i++) {
      if (sampleOffsets[i] + sizes[i] > budget.fileBytes) {
        throw new Mp4Exception(
            "malformed MP4: sample " + (i + 1) + " of track " + track.trackId + " (" + sizes[i]
                + " bytes at offset " + sampleOffsets[i] + ") lies past the end of the "
                + budget.fileBytes + "-byte file");
      }
      budget.take(sizes[i], where);
      track.add(sampleOffsets[i], sizes[i], decode, durations[i], offsets[i],
          sync[i] ? TrackSamples.SYNC : 0);
      decode += durations[i];
    }
  }

  private static int size(long size, ReadBudget budget, String where) throws Mp4Exception {
    if (size > budget.fileBytes) {
      throw new Mp4Exception(
          "malformed MP4: " + where + ": a sample of " + size + " bytes in a " + budget.fileBytes + "-byte file");
    }
    return (int) size;
  }

  /** 8.6.1.2 TimeToSampleBox, expanded; runs past the last sample are ignored. */
  private static int[] durations(BoxData stts, int n, String where) throws Mp4Exception {
    stts.versionAndFlags();
    int entries = stts.count("entry_count", 8);
    int[] out = new int[n];
    int i = 0;
    for (int e = 0; e < entries && i < n; e++) {
      long count = stts.u32("sample_count");
      long delta = stts.u32("sample_delta");
      if (delta > Integer.MAX_VALUE) {
        throw new Mp4Exception("malformed MP4: " + stts.path + " sample_delta out of range: " + delta);
      }
      for (long k = 0; k < count && i < n; k++) {
        out[i++] = (int) delta;
      }
    }
    if (i < n) {
      throw new Mp4Exception("malformed MP4: " + where + ": 'stts' covers " + i + " of " + n + " samples");
    }
    return out;
  }

  /**
   * 8.6.1.3 CompositionOffsetBox, expanded; offsets read as signed in both versions (as players do),
   * samples it does not cover get 0.
   */
  private static int[] compositionOffsets(BoxData ctts, int n) throws Mp4Exception {
    int[] out = new int[n];
    if (ctts == null) {
      return out;
    }
    ctts.versionAndFlags();
    int entries = ctts.count("entry_count", 8);
    int i = 0;
    for (int e = 0; e < entries && i < n; e++) {
      long count = ctts.u32("sample_count");
      int offset = ctts.s32("sample_offset");
      for (long k = 0; k < count && i < n; k++) {
        out[i++] = offset;
      }
    }
    return out;
  }

  /** 8.6.2 SyncSampleBox; without one every sample is a sync sample. */
  private static boolean[] syncSamples(BoxData stss, int n) throws Mp4Exception {
    boolean[] out = new boolean[n];
    if (stss == null) {
      java.util.Arrays.fill(out, true);
      return out;
    }
    stss.versionAndFlags();
    int entries = stss.count("entry_count", 4);
    for (int e = 0; e < entries; e++) {
      long number = stss.u32("sample_number");
      if (number >= 1 && number <= n) {
        out[(int) (number - 1)] = true;
      }
    }
    return out;
  }

  /** 8.7.5 ChunkOffsetBox ('stco') or ChunkLargeOffsetBox ('co64'). */
  private static long[] chunkOffsets(BoxData stbl, int trackId, ReadBudget budget) throws Mp4Exception {
    BoxData stco = stbl.child("stco");
    boolean large = stco == null;
    if (large) {
      stco = stbl.child("co64");
      if (stco == null) {
        throw new Mp4Exception("malformed MP4: track " + trackId + " has samples but no 'stco' or 'co64' box");
      }
    }
    stco.versionAndFlags();
    int entries = stco.count("entry_count", large ? 8 : 4);
    long[] out = new long[entries];
    for (int i = 0; i < entries; i++) {
      out[i] = large ? stco.u64Bounded("chunk_offset") : stco.u32("chunk_offset");
      if (out[i] > budget.fileBytes) {
        throw new Mp4Exception(
            "malformed MP4: track " + trackId + " chunk " + (i + 1) + " at offset " + out[i]
                + " lies past the end of the " + budget.fileBytes + "-byte file");
      }
    }
    return out;
  }

  /** 8.7.4 SampleToChunkBox, expanded: how many samples each of the {@code chunks} chunks holds. */
  private static long[] samplesPerChunk(BoxData stsc, int chunks) throws Mp4Exception {
    stsc.versionAndFlags();
    int entries = stsc.count("entry_count", 12);
    long[] out = new long[chunks];
    long previousFirst = 0;
    long perChunk = -1;
    int chunk = 0;
    for (int e = 0; e < entries; e++) {
      long first = stsc.u32("first_chunk");
      long samples = stsc.u32("samples_per_chunk");
      stsc.u32("sample_description_index");
      if (first < 1 || first <= previousFirst) {
        throw new Mp4Exception("malformed MP4: " + stsc.path + " first_chunk " + first + " out of order");
      }
      if (e == 0 && first != 1 && chunks > 0) {
        throw new Mp4Exception("malformed MP4: " + stsc.path + " does not start at chunk 1");
      }
      for (; chunk < chunks && chunk < first - 1; chunk++) {
        out[chunk] = perChunk;
      }
      previousFirst = first;
      perChunk = samples;
    }
    if (chunk < chunks && perChunk < 0) {
      throw new Mp4Exception("malformed MP4: " + stsc.path + " does not start at chunk 1");
    }
    for (; chunk < chunks; chunk++) {
      out[chunk] = perChunk;
    }
    return out;
  }

  /** The most bytes of raw PCM the reader puts in one sample: 16384 frames of 16-bit stereo. */
  static final int PCM_SAMPLE_BYTES = 64 * 1024;

  /**
   * Raw PCM with a constant sample size (what ffmpeg and QuickTime write: one sample per audio
   * frame of a few bytes) is read in blocks of contiguous frames, up to a chunk and {@link
   * #PCM_SAMPLE_BYTES} each: all sync, and a sample of a few bytes would cost the index ten times
   * the audio.
   */
  private static void pcmChunks(BoxData stbl, TrackSamples track, long frameBytes, long frames,
      ReadBudget budget, String where) throws Mp4Exception {
    if (frames == 0) {
      return;
    }
    long[] chunkOffsets = chunkOffsets(stbl, track.trackId, budget);
    long[] framesPerChunk = samplesPerChunk(stbl.require("stsc"), chunkOffsets.length);
    BoxData stts = stbl.require("stts");
    stts.versionAndFlags();
    int entries = stts.count("entry_count", 8);
    long framesPerBlock = Math.max(1, PCM_SAMPLE_BYTES / frameBytes);
    long runLeft = 0;
    long delta = 0;
    long decode = 0;
    long left = frames;
    for (int chunk = 0; chunk < chunkOffsets.length && left > 0; chunk++) {
      long offset = chunkOffsets[chunk];
      for (long inChunk = Math.min(framesPerChunk[chunk], left); inChunk > 0; ) {
        long n = Math.min(inChunk, framesPerBlock);
        long size = n * frameBytes; // <= frames * frameBytes <= the file's length
        long duration = 0;
        for (long need = n; need > 0; ) {
          if (runLeft == 0) {
            if (entries-- == 0) {
              throw new Mp4Exception("malformed MP4: " + where + ": 'stts' covers "
                  + (frames - left + n - need) + " of " + frames + " samples");
            }
            runLeft = stts.u32("sample_count");
            delta = stts.u32("sample_delta");
            continue;
          }
          long take = Math.min(need, runLeft);
          if (delta != 0 && take > (Integer.MAX_VALUE - duration) / delta) {
            throw new Mp4Exception("malformed MP4: " + where + ": " + n + " samples of chunk "
                + (chunk + 1) + " last more than 2^31 ticks");
          }
          duration += take * delta;
          runLeft -= take;
          need -= take;
        }
        if (size > Integer.MAX_VALUE || offset + size > budget.fileBytes) {
          throw new Mp4Exception("malformed MP4: chunk " + (chunk + 1) + " of track " + track.trackId
              + " (" + size + " bytes at offset " + offset + ") lies past the end of the "
              + budget.fileBytes + "-byte file");
        }
        budget.take(size, where);
        track.add(offset, (int) size, decode, (int) duration, 0, TrackSamples.SYNC);
        decode += duration;
        offset += size;
        inChunk -= n;
        left -= n;
      }
    }
    if (left > 0) {
      throw new Mp4Exception("malformed MP4: " + where + ": the chunks hold " + (frames - left)
          + " of " + frames + " samples");
    }
  }

  /** 8.7.4 SampleToChunkBox: each sample's file offset, its chunk's offset plus the sizes before it. */
  private static long[] sampleOffsets(BoxData stsc, long[] chunkOffsets, int[] sizes, String where)
      throws Mp4Exception {
    long[] samplesPerChunk = samplesPerChunk(stsc, chunkOffsets.length);
    int n = sizes.length;
    long[] out = new long[n];
    int sample = 0;
    for (int chunk = 0; chunk < chunkOffsets.length && sample < n; chunk++) {
      long offset = chunkOffsets[chunk];
      for (long k = 0; k < samplesPerChunk[chunk] && sample < n; k++) {
        out[sample] = offset;
        offset += sizes[sample];
        sample++;
      }
    }
    if (sample < n) {
      throw new Mp4Exception("malformed MP4: " + where + ": the chunks hold " + sample + " of " + n + " samples");
    }
    return out;
  }
}
