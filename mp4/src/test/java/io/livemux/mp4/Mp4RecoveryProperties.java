package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/** Recovery of a real recording cut at any byte, against the fragments mp4parser finds in it. */
class Mp4RecoveryProperties {
  private static final int PER_MILLION = 1_000_000;

  /**
   * A recording cut at any byte, maybe with its last complete fragment never published (killed
   * between writing it and retyping its moof), recovers into a finalized file holding exactly the
   * samples of the published fragments below the cut; cut inside its header, there is nothing to
   * recover.
   */
  @Property(tries = 100)
  void cutRecording_recoversExactlyThePublishedFragmentsBelowTheCut(
      @ForAll("uniformPerMillion") int cutPerMillion,
      @ForAll boolean lastCompleteFragmentUnpublished) throws Exception {
    Path full = SmallRecordings.FRAGMENTED;
    long length = Files.size(full);
    long cut = length * cutPerMillion / PER_MILLION;
    List<long[]> fragments = Fragments.of(full);
    int complete = 0;
    while (complete < fragments.size() && fragments.get(complete)[2] <= cut) {
      complete++;
    }
    long unpublishedMoof = -1;
    int published = complete;
    if (lastCompleteFragmentUnpublished && complete > 0) {
      unpublishedMoof = fragments.get(complete - 1)[0];
      published--;
    }
    Path input = Files.createTempFile(SmallRecordings.DIR, "cut-", ".mp4");
    Path output = Files.createTempFile(SmallRecordings.DIR, "recovered-", ".mp4");
    try {
      Mp4RecoveryTest.cut(full, input, cut, unpublishedMoof);
      if (cut < fragments.get(0)[0]) { // the header moov ends where the first fragment starts
        Mp4Exception e = assertThrows(Mp4Exception.class, () -> Mp4Recovery.recover(input, output));
        assertTrue(e.getMessage().startsWith("nothing to recover"), e.getMessage());
        Statistics.label("cut").collect("inside the header");
        return;
      }
      Mp4Result result = Mp4Recovery.recover(input, output);
      assertTrue(result.isFinalized(), result.toString());
      Statistics.label("cut").collect(published == 0 ? "no fragment published" : "fragments published");
      // Read back by mp4parser, which we did not write (it cannot read tracks without samples).
      List<List<Sample>> read = published == 0 ? ReadBack.samples(output) : samplesOf(SourceMedia.read(output));
      for (int t = 0; t < 2; t++) {
        int expected = 0;
        for (long[] f : fragments.subList(0, published)) {
          expected += (int) f[3 + t];
        }
        assertEquals(expected, result.tracks().get(t).sampleCount(), "track " + t + " in " + result);
        ReadBack.assertSameTrack(t, SmallRecordings.SOURCE.get(t).samples, read.get(t), expected, false, false);
      }
      assertEquals(List.of("ftyp", "mdat", "moov"), Mp4RecoveryTest.topLevelTypes(output));
    } finally {
      Files.deleteIfExists(input);
      Files.deleteIfExists(output);
    }
  }

  /** Uniform over the file: jqwik's default integers favour small values, i.e. cuts in the header. */
  @Provide
  Arbitrary<Integer> uniformPerMillion() {
    return Arbitraries.integers().between(0, PER_MILLION).withDistribution(RandomDistribution.uniform())
        .edgeCases(edges -> edges.includeOnly(0, PER_MILLION));
  }

  private static List<List<Sample>> samplesOf(List<SourceMedia.SourceTrack> tracks) {
    List<List<Sample>> out = new ArrayList<>();
    for (SourceMedia.SourceTrack t : tracks) {
      out.add(t.samples);
    }
    return out;
  }
}
