package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@code publish --loop} places each pass so that every track moves forward without overlapping
 * its previous pass, the longest track continues without a gap, and the tracks keep their offsets.
 */
class LoopTimelineProperties {
  /** One track of a random input: decode times and durations in microseconds (0: unknown). */
  private static final class Track {
    final List<long[]> samples = new ArrayList<>(); // {decodeUs, durationUs}

    long end() {
      long[] last = samples.get(samples.size() - 1);
      long duration = last[1];
      if (duration == 0 && samples.size() > 1) {
        duration = last[0] - samples.get(samples.size() - 2)[0];
      }
      return last[0] + duration;
    }

    long first() {
      return samples.get(0)[0];
    }
  }

  @Property(tries = 2000)
  void eachPass_followsTheLongestTrackWithoutAGap_andNoTrackOverlapsItself(
      @ForAll @IntRange(min = 1, max = 3) int trackCount, @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int passes) {
    Random random = new Random(seed);
    List<Track> tracks = new ArrayList<>();
    List<long[]> interleaved = new ArrayList<>(); // {track, decodeUs, durationUs}
    for (int t = 0; t < trackCount; t++) {
      Track track = new Track();
      long decode = random.nextInt(200_001) - 100_000; // B-frame delay, priming: may be negative
      int count = 1 + random.nextInt(60);
      for (int i = 0; i < count; i++) {
        long delta = 1 + random.nextInt(100_000);
        long duration = random.nextInt(4) == 0 ? 0 : delta; // some unknown, the last one too
        track.samples.add(new long[] {decode, duration});
        interleaved.add(new long[] {t, decode, duration});
        decode += delta;
      }
      tracks.add(track);
    }
    interleaved.sort((a, b) -> Long.compare(a[1], b[1]));
    long span = LoopTimeline.MIN_PASS_US;
    for (Track t : tracks) {
      span = Math.max(span, t.end() - t.first());
    }
    LoopTimeline timeline = new LoopTimeline(trackCount);
    for (int pass = 0; pass < passes; pass++) {
      assertEquals(pass * span, timeline.shiftUs(), "every track moves by the same amount each pass");
      for (long[] s : interleaved) {
        timeline.sample((int) s[0], s[1], s[2]);
      }
      timeline.endPass();
    }
    long shift = timeline.shiftUs() / passes; // one pass
    boolean seamless = false;
    for (Track t : tracks) {
      long gap = (t.first() + shift) - t.end();
      assertTrue(gap >= 0, "the next pass overlaps the last by " + -gap + " us");
      seamless |= gap == 0;
    }
    assertTrue(seamless || span == LoopTimeline.MIN_PASS_US, "the longest track continues without a gap");
  }

  @Example
  void aOneSampleInput_stillMovesForward() {
    LoopTimeline timeline = new LoopTimeline(1);
    timeline.sample(0, 0, 0);
    timeline.endPass();
    assertEquals(LoopTimeline.MIN_PASS_US, timeline.shiftUs());
  }
}
