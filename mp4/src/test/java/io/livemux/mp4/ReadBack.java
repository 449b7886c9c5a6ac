package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.AacFormat;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.io.IOException;
import io.livemux.time.MediaTime;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: everything {@link Mp4Reader} reads from a file, and comparisons of samples. */
final class ReadBack {
  private ReadBack() {}

  /** Each track's samples, as the reader returns them; checks they come in decode-time order. */
  static List<List<Sample>> samples(Path file) throws Mp4Exception {
    try (Mp4Reader reader = Mp4Reader.open(file)) {
      List<List<Sample>> out = new ArrayList<>();
      for (int t = 0; t < reader.trackCount(); t++) {
        out.add(new ArrayList<>());
      }
      MediaTime last = null;
      while (reader.advance()) {
        Sample s = reader.sample();
        assertEquals(reader.format(reader.track()), s.format());
        assertEquals(reader.timescale(reader.track()), s.timescale());
        MediaTime decode = s.decodeTime();
        assertTrue(last == null || last.compareTo(decode) <= 0,
            "decode-time order across tracks: " + decode + " after " + last);
        last = decode;
        out.get(reader.track()).add(s);
      }
      for (int t = 0; t < reader.trackCount(); t++) {
        assertEquals(reader.sampleCount(t), out.get(t).size(), "sampleCount of track " + t);
      }
      return out;
    }
  }

  /**
   * Same packets as ffprobe reports (ffmpeg applies edit lists as we do): per stream, in decode
   * order, the same presentation and decode times (in the track's timescale), sizes and keyframe
   * flags. Not durations: ffmpeg reports its own for some AAC packets of fragmented files (the
   * frame size instead of the trun's sample_duration); the decode times imply them anyway.
   */
  static void assertSameAsFfprobe(Path file, List<List<Sample>> actual) throws IOException {
    String csv = Peers.ffprobe("-show_entries", "packet=stream_index,pts,dts,duration,size,flags",
        "-of", "csv=p=0", file.toString());
    int[] next = new int[actual.size()];
    for (String line : csv.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      int t = Integer.parseInt(f[0]);
      assertTrue(next[t] < actual.get(t).size(), "ffprobe has more packets in stream " + t + ": " + line);
      Sample a = actual.get(t).get(next[t]);
      String what = "stream " + t + " packet " + next[t] + " (ffprobe: " + line + ", ours: " + a + ")";
      // ffprobe places the AAC priming before the start; Mp4Reader keeps it in the format
      long priming = a.format() instanceof AacFormat ? ((AacFormat) a.format()).encoderDelayTicks(a.timescale()) : 0;
      assertEquals(Long.parseLong(f[1]), a.presentationTimeTicks() - priming, "pts of " + what);
      assertEquals(Long.parseLong(f[2]), a.decodeTimeTicks() - priming, "dts of " + what);
      assertEquals(Integer.parseInt(f[4]), a.size(), "size of " + what);
      assertEquals(f[5].startsWith("K"), a.isSync(), "keyframe flag of " + what);
      next[t]++;
    }
    for (int t = 0; t < actual.size(); t++) {
      assertEquals(actual.get(t).size(), next[t], "packets of stream " + t);
    }
  }

  static byte[] bytes(Sample s) {
    ByteBuffer b = s.payload();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /**
   * Same samples: payload bytes, sync flags, composition offsets and durations (the last sample's
   * duration only if {@code lastDuration}); times in exact ticks if {@code exactTimes}, else each
   * track shifted by one constant.
   */
  static void assertSameSamples(
      List<SourceMedia.SourceTrack> expected, List<List<Sample>> actual, boolean exactTimes, boolean lastDuration) {
    assertEquals(expected.size(), actual.size(), "tracks");
    for (int t = 0; t < expected.size(); t++) {
      assertSameTrack(t, expected.get(t).samples, actual.get(t), expected.get(t).samples.size(), exactTimes, lastDuration);
    }
  }

  /** The first {@code count} samples of {@code expected} against all of {@code actual}. */
  static void assertSameTrack(
      int t, List<Sample> expected, List<Sample> actual, int count, boolean exactTimes, boolean lastDuration) {
    assertEquals(count, actual.size(), "samples of track " + t);
    MediaTime shift = null;
    for (int i = 0; i < count; i++) {
      Sample e = expected.get(i);
      Sample a = actual.get(i);
      String what = "track " + t + " sample " + i;
      assertArrayEquals(bytes(e), bytes(a), "payload of " + what);
      assertEquals(e.isSync(), a.isSync(), "sync flag of " + what);
      assertEquals(e.presentationTime().minus(e.decodeTime()), a.presentationTime().minus(a.decodeTime()),
          "composition offset of " + what);
      if (lastDuration || i + 1 < count) {
        assertEquals(0, e.duration().compareTo(a.duration()), "duration of " + what + ": " + e + " vs " + a);
      }
      if (exactTimes) {
        assertEquals(e.timescale(), a.timescale(), "timescale of " + what);
        assertEquals(e.decodeTimeTicks(), a.decodeTimeTicks(), "decode time of " + what);
        assertEquals(e.presentationTimeTicks(), a.presentationTimeTicks(), "presentation time of " + what);
      } else {
        MediaTime s = a.decodeTime().minus(e.decodeTime());
        if (shift == null) {
          shift = s;
        }
        assertEquals(0, shift.compareTo(s), "constant time shift of " + what);
      }
    }
  }
}
