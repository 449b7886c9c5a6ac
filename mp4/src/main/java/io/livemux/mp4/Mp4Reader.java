package io.livemux.mp4;

import io.livemux.format.MediaFormat;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads the H.264, H.265 and AAC tracks of an MP4 file: progressive files (sample tables, as ffmpeg
 * writes them, and livemux's finalized files), fragmented files (only published 'moof' boxes whose
 * data is in the file) and recordings cut at any byte (the trailing incomplete box is ignored).
 *
 * <pre>{@code
 * try (Mp4Reader reader = Mp4Reader.open(path)) {
 *   while (reader.advance()) {
 *     handle(reader.track(), reader.sample());
 *   }
 * }
 * }</pre>
 *
 * <p>Samples of all tracks come in decode-time order (ties: the lower track first). Their times are
 * on the movie timeline, in the track's media timescale: each track's edit list (14496-12 8.6.6) is
 * applied as players apply it, leading empty edits delaying the track and the first media edit's
 * media_time subtracted, so that presentation time 0 is the movie's start. One exception: an AAC
 * track's media_time that hides the encoder's priming (a whole number of samples, at most 1 s) is
 * kept in its format as {@link io.livemux.format.AacFormat#encoderDelaySamples()}, the first access
 * unit then being at the time its first real sample is presented; an MP4 written from these samples
 * hides the same priming.
 *
 * <p>Each track's format is that of its first sample entry; a track that switches to another
 * sample description mid-file is read as if it had one.
 *
 * <p>Any malformed input, whatever its bytes, ends in an {@link Mp4Exception} from {@link #open} or
 * {@link #advance}, in time and memory bounded by the file's length: counts and sizes are checked
 * against the file before anything is allocated for them.
 *
 * <p><b>Ownership and threads.</b> The reader owns the open file until {@link #close()}; each
 * {@link Sample} holds its own copy of its payload, which the caller may keep. One thread at a time
 * (not thread-safe); the file is opened read-only and never changed.
 */
public final class Mp4Reader implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final MovieIndex index;
  private final int[] next;
  private int track = -1;
  private Sample sample;

  private Mp4Reader(Path path, FileChannel channel, MovieIndex index) {
    this.path = path;
    this.channel = channel;
    this.index = index;
    this.next = new int[index.tracks.size()];
  }

  /**
   * Opens {@code path} read-only and indexes it.
   *
   * @throws Mp4Exception if the file cannot be read, has no complete 'moov' box, is malformed, or has
   *     a track other than H.264, H.265 or AAC (the message names its sample entry type)
   */
  public static Mp4Reader open(Path path) throws Mp4Exception {
    if (path == null) {
      throw new NullPointerException("path");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new Mp4Exception("cannot open " + path + " for reading: " + e, e);
    }
    try {
      return new Mp4Reader(path, channel, MovieIndex.read(channel, path));
    } catch (Mp4Exception | RuntimeException | Error e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Number of tracks, in the order of the file's 'trak' boxes. */
  public int trackCount() {
    return index.tracks.size();
  }

  /** The format of track {@code track} (0-based). */
  public MediaFormat format(int track) {
    return index.tracks.get(checkTrack(track)).format;
  }

  /** Ticks per second of the times of track {@code track}'s samples (its media timescale). */
  public int timescale(int track) {
    return index.tracks.get(checkTrack(track)).timescale;
  }

  /** The number of samples of track {@code track} the reader will return. */
  public int sampleCount(int track) {
    return index.tracks.get(checkTrack(track)).count;
  }

  /** True if the file's moov declares movie fragments ('mvex'): a fragmented or cut recording. */
  public boolean isFragmented() {
    return index.fragmented;
  }

  /** Movie fragments read; complete fragments whose data is not all in the file are not counted. */
  public int fragmentCount() {
    return index.fragments;
  }

  private int checkTrack(int track) {
    if (track < 0 || track >= index.tracks.size()) {
      throw new IndexOutOfBoundsException("track " + track + " of " + index.tracks.size());
    }
    return track;
  }

  /**
   * Moves to the next sample in decode-time order and reads its payload; false at the end.
   *
   * @throws Mp4Exception if the payload cannot be read or the sample's times are out of range
   */
  public boolean advance() throws Mp4Exception {
    List<TrackSamples> tracks = index.tracks;
    int best = -1;
    long bestTicks = 0;
    for (int t = 0; t < tracks.size(); t++) {
      TrackSamples ts = tracks.get(t);
      if (next[t] >= ts.count) {
        continue;
      }
      long ticks = ts.decodeTicks[next[t]] + ts.shiftTicks; // |both| <= 2^61: no overflow
      if (best < 0 || MediaTime.compare(ticks, ts.timescale, bestTicks, tracks.get(best).timescale) < 0) {
        best = t;
        bestTicks = ticks;
      }
    }
    if (best < 0) {
      track = -1;
      sample = null;
      return false;
    }
    int i = next[best]++;
    sample = read(tracks.get(best), i);
    track = best;
    return true;
  }

  private Sample read(TrackSamples t, int i) throws Mp4Exception {
    long decode = t.decodeTicks[i] + t.shiftTicks;
    long presentation = decode + t.compositionOffsets[i];
    // Times must stay exact in microseconds too (Sample.decodeTimeUs, the pipeline): some 73000 years.
    long maxTicks = t.timescale >= 1_000_000 ? 1L << 61 : ((1L << 61) / 1_000_000) * t.timescale;
    if (Math.abs(presentation) > maxTicks || Math.abs(decode) > maxTicks) {
      throw new Mp4Exception(
          "malformed MP4: sample " + (i + 1) + " of track " + t.trackId + " has times out of range: "
              + decode + ", " + presentation);
    }
    ByteBuffer payload = ByteBuffer.allocate(t.sizes[i]);
    MovieIndex.readAt(channel, path, payload, t.offsets[i], t.sizes[i]);
    ((java.nio.Buffer) payload).flip();
    int flags = (t.flags[i] & TrackSamples.SYNC) != 0 ? Sample.FLAG_SYNC : 0;
    if ((t.flags[i] & TrackSamples.DISPOSABLE) != 0) {
      flags |= Sample.FLAG_DISPOSABLE;
    }
    return Sample.builder(t.format)
        .timescale(t.timescale)
        .decodeTimeTicks(decode)
        .presentationTimeTicks(presentation)
        .durationTicks(t.durations[i])
        .flags(flags)
        .payload(payload)
        .build();
  }

  /** The track (0-based) of the current sample; -1 before the first {@link #advance()} and after the end. */
  public int track() {
    return track;
  }

  /**
   * The current sample: the caller may keep it and its payload.
   *
   * @throws IllegalStateException before the first {@link #advance()} or after it returned false
   */
  public Sample sample() {
    if (sample == null) {
      throw new IllegalStateException("no current sample: call advance() first, and only while it returns true");
    }
    return sample;
  }

  /** Closes the file; the samples already returned stay valid. */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only: nothing can be lost by a failed close.
    }
  }

  @Override
  public String toString() {
    return "Mp4Reader{" + path + ", " + index.tracks.size() + " tracks, fragmented=" + index.fragmented + "}";
  }
}
