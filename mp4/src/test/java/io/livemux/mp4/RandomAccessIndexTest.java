package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentBox;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentRandomAccessBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBaseMediaDecodeTimeBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentRandomAccessBox;
import org.mp4parser.boxes.iso14496.part12.TrackRunBox;

/**
 * The mfra index of a fragmented recording, read back by mp4parser (a parser we did not write) and
 * checked against the fragments themselves: each tfra entry (14496-12 8.8.10) names a moof, a traf
 * of that track in it, and a sync sample, at that sample's presentation time; and every fragment
 * holding a sync sample of the track has its entry.
 */
class RandomAccessIndexTest {
  @TempDir Path dir;

  @Test
  void mfra_pointsAtEachFragmentsFirstSyncSample_atItsPresentationTime() throws Exception {
    // Keyframes every 7 frames at 15 fps (467 ms), 150 ms fragments: fragments are also cut on
    // duration alone (at 300 ms), so some start with non-sync frames and hold a keyframe later on;
    // B-frames put presentation times after decode times.
    Path source = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "7", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "1", "-b:a", "16k", source.toString());
    Path out = dir.resolve("fragmented.mp4");
    Mp4RecorderTest.record(SourceMedia.read(source), out,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(150_000));

    int entries = 0;
    int laterThanFirstSample = 0;
    int presentedAfterDecoded = 0;
    try (IsoFile iso = new IsoFile(out.toString())) {
      Map<Long, MovieFragmentBox> moofs = new HashMap<>();
      long offset = 0;
      for (Box box : iso.getBoxes()) {
        if (box instanceof MovieFragmentBox) {
          moofs.put(offset, (MovieFragmentBox) box);
        }
        offset += box.getSize();
      }
      List<MovieFragmentRandomAccessBox> mfras = iso.getBoxes(MovieFragmentRandomAccessBox.class);
      assertEquals(1, mfras.size());
      List<TrackFragmentRandomAccessBox> tfras = mfras.get(0).getBoxes(TrackFragmentRandomAccessBox.class);
      assertEquals(2, tfras.size(), "one tfra per track");
      for (TrackFragmentRandomAccessBox tfra : tfras) {
        long trackId = tfra.getTrackId();
        int fragmentsWithSync = 0;
        for (Map.Entry<Long, MovieFragmentBox> m : moofs.entrySet()) {
          for (TrackFragmentBox traf : m.getValue().getBoxes(TrackFragmentBox.class)) {
            if (traf.getTrackFragmentHeaderBox().getTrackId() == trackId && firstSync(traf) >= 0) {
              fragmentsWithSync++;
            }
          }
        }
        assertEquals(fragmentsWithSync, tfra.getEntries().size(),
            "track " + trackId + ": one entry per fragment with a sync sample");
        for (TrackFragmentRandomAccessBox.Entry e : tfra.getEntries()) {
          entries++;
          String where = "track " + trackId + ", " + e;
          MovieFragmentBox moof = moofs.get(e.getMoofOffset());
          assertNotNull(moof, where + ": no moof at that offset");
          List<TrackFragmentBox> trafs = moof.getBoxes(TrackFragmentBox.class);
          TrackFragmentBox traf = trafs.get((int) e.getTrafNumber() - 1);
          assertEquals(trackId, traf.getTrackFragmentHeaderBox().getTrackId(), where + ": the traf is another track's");
          TrackRunBox trun = traf.getBoxes(TrackRunBox.class).get((int) e.getTrunNumber() - 1);
          int sample = (int) e.getSampleNumber() - 1;
          assertEquals(firstSync(traf), sample, where + ": not the fragment's first sync sample");
          long time = traf.getBoxes(TrackFragmentBaseMediaDecodeTimeBox.class).get(0).getBaseMediaDecodeTime();
          for (int s = 0; s < sample; s++) {
            time += trun.getEntries().get(s).getSampleDuration();
          }
          long cts = trun.getEntries().get(sample).getSampleCompositionTimeOffset();
          assertEquals(time + cts, e.getTime(), where + ": time is not the sample's presentation time");
          laterThanFirstSample += sample > 0 ? 1 : 0;
          presentedAfterDecoded += cts != 0 ? 1 : 0;
        }
      }
    }
    assertTrue(entries > 10, "entries: " + entries);
    assertTrue(laterThanFirstSample > 0, "no fragment started with a non-sync sample: the case is untested");
    assertTrue(presentedAfterDecoded > 0, "no entry with a composition offset: the case is untested");
  }

  /** The index of the traf's first sync sample (one trun per traf), or -1. */
  private static int firstSync(TrackFragmentBox traf) {
    List<TrackRunBox.Entry> samples = traf.getBoxes(TrackRunBox.class).get(0).getEntries();
    for (int s = 0; s < samples.size(); s++) {
      if (!samples.get(s).getSampleFlags().isSampleIsDifferenceSample()) {
        return s;
      }
    }
    return -1;
  }

  @Test
  void mfra_ofAnAudioOnlyRecording_hasAnEntryPerFragment_atItsFirstSample() throws Exception {
    Path source = dir.resolve("audio.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "2",
        "-c:a", "aac", "-ac", "1", "-b:a", "16k", source.toString());
    Path out = dir.resolve("audio-fragmented.mp4");
    Mp4RecorderTest.record(SourceMedia.read(source), out,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(200_000));
    try (IsoFile iso = new IsoFile(out.toString())) {
      TrackFragmentRandomAccessBox tfra = iso.getBoxes(MovieFragmentRandomAccessBox.class).get(0)
          .getBoxes(TrackFragmentRandomAccessBox.class).get(0);
      assertEquals(iso.getBoxes(MovieFragmentBox.class).size(), tfra.getEntries().size());
      for (TrackFragmentRandomAccessBox.Entry e : tfra.getEntries()) {
        assertEquals(1, e.getTrafNumber());
        assertEquals(1, e.getSampleNumber());
      }
      assertFalse(tfra.getEntries().isEmpty());
    }
  }
}
