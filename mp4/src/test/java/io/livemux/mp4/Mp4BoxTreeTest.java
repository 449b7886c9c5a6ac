package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentBox;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentHeaderBox;
import org.mp4parser.boxes.iso14496.part12.SampleSizeBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBaseMediaDecodeTimeBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackRunBox;

/** What we write, read back box by box by mp4parser, a parser we did not write. */
class Mp4BoxTreeTest {
  @TempDir Path dir;
  private List<SourceMedia.SourceTrack> source;

  @BeforeEach
  void makeSource() throws Exception {
    Path mp4 = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "1",
        mp4.toString());
    source = SourceMedia.read(mp4);
  }

  private static List<String> topLevelTypes(IsoFile iso) {
    List<String> types = new ArrayList<>();
    for (Box b : iso.getBoxes()) {
      types.add(b.getType());
    }
    return types;
  }

  @Test
  void finalizedFile_isFtypMdatMoov_withFullSampleTables() throws Exception {
    Path out = dir.resolve("final.mp4");
    Mp4RecorderTest.record(source, out, Mp4Options.defaults());
    try (IsoFile iso = new IsoFile(out.toString())) {
      assertEquals(List.of("ftyp", "mdat", "moov"), topLevelTypes(iso));
      SampleSizeBox videoSizes = org.mp4parser.tools.Path.getPath(iso, "moov/trak[0]/mdia/minf/stbl/stsz");
      assertEquals(source.get(0).samples.size(), videoSizes.getSampleCount());
      SampleSizeBox audioSizes = org.mp4parser.tools.Path.getPath(iso, "moov/trak[1]/mdia/minf/stbl/stsz");
      assertEquals(source.get(1).samples.size(), audioSizes.getSampleCount());
      assertTrue(org.mp4parser.tools.Path.getPaths(iso, "moov/mvex").isEmpty(), "a finalized moov has no mvex");
    }
  }

  @Test
  void fragmentedFile_hasIncreasingSequenceNumbers_andATfdtInEveryTraf() throws Exception {
    Path out = dir.resolve("frag.mp4");
    Mp4RecorderTest.record(source, out,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(500_000));
    try (IsoFile iso = new IsoFile(out.toString())) {
      List<String> types = topLevelTypes(iso);
      assertEquals(List.of("ftyp", "free", "moov"), types.subList(0, 3));
      assertEquals("mfra", types.get(types.size() - 1));
      long lastSequence = 0;
      int fragments = 0;
      long videoSamples = 0;
      for (MovieFragmentBox moof : iso.getBoxes(MovieFragmentBox.class)) {
        fragments++;
        long sequence = moof.getBoxes(MovieFragmentHeaderBox.class).get(0).getSequenceNumber();
        assertTrue(sequence > lastSequence, "mfhd sequence numbers increase");
        lastSequence = sequence;
        for (TrackFragmentBox traf : moof.getBoxes(TrackFragmentBox.class)) {
          assertEquals(1, traf.getBoxes(TrackFragmentBaseMediaDecodeTimeBox.class).size(), "tfdt");
          TrackRunBox trun = traf.getBoxes(TrackRunBox.class).get(0);
          assertEquals(1, trun.getVersion(), "trun version 1: signed composition offsets");
          assertTrue(trun.isSampleCompositionTimeOffsetPresent());
          if (traf.getTrackFragmentHeaderBox().getTrackId() == 1) {
            videoSamples += trun.getSampleCount();
            org.mp4parser.boxes.iso14496.part12.SampleFlags first = trun.getEntries().get(0).getSampleFlags();
            assertEquals(2, first.getSampleDependsOn(), "each fragment starts at a keyframe");
            assertTrue(!first.isSampleIsDifferenceSample(), "the first sample is a sync sample");
          }
        }
      }
      assertEquals(3, fragments, "keyframes every second: one fragment each"); // 3 s, target 0.5 s
      assertEquals(source.get(0).samples.size(), videoSamples);
    }
  }

  @Test
  void everySample_roundTripsByteForByte_withItsTiming() throws Exception {
    Path out = dir.resolve("roundtrip.mp4");
    Mp4RecorderTest.record(source, out, Mp4Options.defaults());
    List<SourceMedia.SourceTrack> back = SourceMedia.read(out);
    assertEquals(source.size(), back.size());
    for (int t = 0; t < source.size(); t++) {
      List<Sample> expected = source.get(t).samples;
      List<Sample> actual = back.get(t).samples;
      assertEquals(expected.size(), actual.size(), "track " + t);
      for (int i = 0; i < expected.size(); i++) {
        Sample e = expected.get(i);
        Sample a = actual.get(i);
        assertArrayEquals(bytes(e.payload()), bytes(a.payload()), "track " + t + " sample " + i);
        assertEquals(e.isSync(), a.isSync(), "sync flag of sample " + i);
        // Same composition offset and duration, in exact time.
        assertEquals(e.presentationTime().minus(e.decodeTime()), a.presentationTime().minus(a.decodeTime()),
            "composition offset of track " + t + " sample " + i);
        if (i + 1 < expected.size()) {
          assertEquals(e.duration(), a.duration(), "duration of track " + t + " sample " + i);
        }
      }
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
