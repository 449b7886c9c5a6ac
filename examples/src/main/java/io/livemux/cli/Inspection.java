package io.livemux.cli;

import io.livemux.format.VideoFormat;
import io.livemux.mp4.Mp4Reader;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code livemux inspect} finds in a file: its layout, tracks and the problems a player or an
 * editor would trip on. Reading stops at the first unreadable byte, and what was read so far is
 * still reported, with the reason as a problem. Mutable while it is built, by one thread.
 */
final class Inspection {
  /** One finding: a short stable code for scripts and a sentence for people. */
  static final class Problem {
    final String code;
    final String message;

    Problem(String code, String message) {
      this.code = code;
      this.message = message;
    }
  }

  final Path path;
  final Container container;
  long sizeBytes;
  /** MP4 only: the top-level boxes in one line, and whether the moov declares fragments. */
  String layout;
  Boolean fragmented;
  Integer fragments;
  final List<TrackStats> tracks = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();

  private Inspection(Path path, Container container) {
    this.path = path;
    this.container = container;
  }

  static Inspection of(Path path) throws IOException {
    Inspection in = new Inspection(path, Container.of(path));
    if (in.container == Container.MP4) {
      in.readMp4();
    } else {
      in.readFlv();
    }
    in.checkTracks();
    return in;
  }

  private void readMp4() throws IOException {
    BoxScan scan;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      sizeBytes = channel.size();
      scan = BoxScan.scan(channel, sizeBytes);
    }
    layout = scan.layout();
    BoxScan.Box cut = scan.truncated();
    if (cut != null) {
      problem("truncated-box", String.format(Locale.ROOT,
          "the file ends inside a '%s' box at offset %d: %d of its %d bytes are there"
              + " (a recording cut off; `livemux recover` makes a clean file)",
          cut.type, cut.offset, cut.presentBytes, cut.declaredSize));
    } else if (scan.trailingBytes > 0) {
      problem("truncated-box", "the file ends with " + scan.trailingBytes
          + " bytes that are less than a box header (a recording cut off)");
    }
    if (scan.whole("moov") == null) {
      problem("missing-moov", "no complete 'moov' box: players cannot read the tracks"
          + (scan.whole("moof") != null || cut != null ? " (`livemux recover` cannot help either: the header is gone)" : ""));
      return;
    }
    try (Mp4Reader reader = Mp4Reader.open(path)) {
      fragmented = reader.isFragmented();
      fragments = reader.fragmentCount();
      for (int t = 0; t < reader.trackCount(); t++) {
        tracks.add(new TrackStats(t, reader.format(t)));
      }
      try {
        while (reader.advance()) {
          tracks.get(reader.track()).add(reader.sample());
        }
      } catch (IOException e) {
        problem("unreadable", "reading stopped: " + e.getMessage());
      }
    } catch (IOException e) {
      problem("unreadable", e.getMessage());
    }
  }

  private void readFlv() throws IOException {
    try (FileChannel size = FileChannel.open(path, StandardOpenOption.READ)) {
      sizeBytes = size.size();
    }
    try (FlvReader reader = FlvReader.open(path, FlvLimits.defaults())) {
      TrackStats video = null;
      TrackStats audio = null;
      try {
        for (Sample s = reader.next(); s != null; s = reader.next()) {
          boolean isVideo = s.format() instanceof VideoFormat;
          TrackStats t = isVideo ? video : audio;
          if (t == null) {
            t = new TrackStats(tracks.size(), s.format());
            tracks.add(t);
            if (isVideo) {
              video = t;
            } else {
              audio = t;
            }
          }
          t.add(s);
        }
        if (reader.truncatedBytes() > 0) {
          problem("truncated-tag", "the file ends inside an FLV tag: its last " + reader.truncatedBytes()
              + " bytes are an incomplete tag (a recording cut off)");
        }
      } catch (IOException e) {
        problem("unreadable", "reading stopped: " + e.getMessage());
      }
    }
  }

  private void checkTracks() {
    if (tracks.isEmpty() && problems.isEmpty()) {
      problem("no-tracks", "no audio or video track");
    }
    for (TrackStats t : tracks) {
      String name = "track " + t.index + " (" + Formats.kind(t.format) + ")";
      if (t.samples == 0) {
        problem("empty-track", name + " has no samples");
        continue;
      }
      if (t.isVideo() && !t.firstIsKeyframe) {
        problem("no-keyframe-at-start", name + " does not start with a keyframe: players show"
            + " nothing (or garbage) until the first one");
      }
      if (t.backwards > 0) {
        problem("dts-backwards", String.format(Locale.ROOT,
            "%s: the decode time goes backwards %d times, first at %.3f s", name, t.backwards,
            t.firstBackwardsAtUs / 1e6));
      }
      if (t.gaps > 0) {
        problem("timestamp-gap", String.format(Locale.ROOT,
            "%s: %d gaps of more than %.0f s between samples, the largest %.3f s after %.3f s", name,
            t.gaps, TrackStats.GAP_US / 1e6, t.largestGapUs / 1e6, t.largestGapAtUs / 1e6));
      }
      if (t.formatChanges > 0) {
        problem("format-change", name + " changes its codec parameters " + t.formatChanges + " times");
      }
    }
  }

  private void problem(String code, String message) {
    problems.add(new Problem(code, message));
  }

  /** The first video (or audio) track with samples, or null. */
  TrackStats firstOf(boolean video) {
    for (TrackStats t : tracks) {
      if (t.isVideo() == video && t.samples > 0) {
        return t;
      }
    }
    return null;
  }

  /** The audio's first presented time minus the video's, or null without both. */
  Long avStartOffsetUs() {
    TrackStats v = firstOf(true);
    TrackStats a = firstOf(false);
    return v == null || a == null ? null : a.firstPtsUs - v.firstPtsUs;
  }

  /** From the earliest start of any track to the latest end. */
  long durationUs() {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (TrackStats t : tracks) {
      if (t.samples > 0) {
        start = Math.min(start, t.firstPtsUs);
        end = Math.max(end, t.endUs);
      }
    }
    return start == Long.MAX_VALUE ? 0 : end - start;
  }
}
