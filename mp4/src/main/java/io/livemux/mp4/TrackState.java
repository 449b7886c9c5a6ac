package io.livemux.mp4;

import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * One track of an {@link Mp4Writer}: its fragment being built, its sample tables and the times the
 * moov needs. Not thread-safe: the writer's thread only.
 */
final class TrackState {
  final int id;
  final MediaFormat format;
  final int timescale;
  final FragmentRun run;
  final SampleTable table = new SampleTable();
  boolean tailUnresolved;
  long tailDecodeTicks;
  long tailDeclaredDuration = -1;
  int lastDuration;
  boolean anySample;
  long firstDecodeTicks;
  long minPresentationTicks = Long.MAX_VALUE;
  long originTicks;
  long writtenBytes;
  /** Latest presentation end (PTS + duration) written, in media ticks from the origin. */
  long maxPresentationEndTicks;
  /** tfra entries: {presentation time, moof offset, traf number, sample number}. */
  final List<long[]> randomAccess = new ArrayList<>();

  TrackState(int id, MediaFormat format, boolean payloadCopy, boolean writeBehind) {
    this.id = id;
    this.format = format;
    this.timescale = format.defaultTimescale();
    // A fragment's worth: ~1 MiB holds a 2 s GOP of HD video; audio needs far less.
    this.run = new FragmentRun(format instanceof VideoFormat ? 1 << 20 : 1 << 16, payloadCopy, writeBehind);
  }
}
