package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.FreeBox;
import org.mp4parser.boxes.iso14496.part12.MovieBox;
import org.mp4parser.boxes.iso14496.part12.SampleSizeBox;
import org.mp4parser.boxes.iso14496.part12.SampleTableBox;
import org.mp4parser.boxes.iso14496.part12.SampleToChunkBox;
import org.mp4parser.boxes.iso14496.part12.StaticChunkOffsetBox;
import org.mp4parser.boxes.iso14496.part12.TimeToSampleBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;

/**
 * A small file cannot make the reader hold much more than itself: sample tables that declare
 * millions of tiny samples (each costing the index some 30 bytes) are refused, naming the limit,
 * where before a 10 MB file ran a 64 MB heap out of memory. The files are made with mp4parser
 * from ffmpeg's, and read in a child JVM with a small heap.
 */
class ReadBudgetTest {
  @TempDir Path dir;

  @Test
  void millionsOfOneByteSamples_areRefusedNamingTheLimit_inASmallHeap() throws Exception {
    Path file = crafted(2_000_000, 1);
    Peers.Result r = readInSmallHeap(file);
    assertEquals(3, r.exitCode, r.stdout + r.stderr);
    assertTrue(r.stdout.startsWith("refused: malformed MP4: track 1 sample tables declares 2000000 samples,"
        + " more than a " + java.nio.file.Files.size(file) + "-byte file can hold"), r.stdout);
    assertTrue(r.stdout.contains("one per 8 bytes"), r.stdout);
  }

  @Test
  void samplesOfEightFileBytesEach_areReadInTheSameSmallHeap() throws Exception {
    // 4 bytes of data and a 4-byte stsz entry per sample: the budget's own boundary
    Peers.Result r = readInSmallHeap(crafted(200_000, 4));
    assertEquals(0, r.exitCode, r.stdout + r.stderr);
    assertEquals("samples 200000", r.stdout.trim());
  }

  private static Peers.Result readInSmallHeap(Path file) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return Peers.run(Duration.ofMinutes(1), List.of(java, "-Xmx48m", "-cp",
        System.getProperty("java.class.path"), ReadAllChild.class.getName(), file.toString()));
  }

  /**
   * ffmpeg's small file with its video track only, whose sample tables now declare {@code count}
   * samples of {@code size} bytes, one chunk at the start of a free box that holds their bytes.
   */
  private Path crafted(int count, int size) throws IOException {
    Path out = dir.resolve("crafted-" + count + "x" + size + ".mp4");
    IsoFile iso = new IsoFile(SmallRecordings.FFMPEG.toString());
    try {
      MovieBox moov = iso.getMovieBox();
      List<TrackBox> traks = moov.getBoxes(TrackBox.class);
      List<Box> moovBoxes = new ArrayList<>(moov.getBoxes());
      moovBoxes.removeAll(traks.subList(1, traks.size()));
      moov.setBoxes(moovBoxes);
      SampleTableBox stbl = traks.get(0).getSampleTableBox();
      TimeToSampleBox stts = new TimeToSampleBox();
      stts.setEntries(List.of(new TimeToSampleBox.Entry(count, 1)));
      SampleToChunkBox stsc = new SampleToChunkBox();
      stsc.setEntries(List.of(new SampleToChunkBox.Entry(1, count, 1)));
      SampleSizeBox stsz = new SampleSizeBox();
      long[] sizes = new long[count];
      Arrays.fill(sizes, size);
      stsz.setSampleSizes(sizes);
      StaticChunkOffsetBox stco = new StaticChunkOffsetBox();
      stco.setChunkOffsets(new long[] {0}); // placed below, once the header's length is known
      stbl.setBoxes(List.of(stbl.getSampleDescriptionBox(), stts, stsc, stsz, stco));
      long header = iso.getBoxes().stream().filter(b -> !b.getType().equals("mdat"))
          .mapToLong(Box::getSize).sum();
      stco.setChunkOffsets(new long[] {header + 8});
      FreeBox data = new FreeBox((int) ((long) count * size));
      try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (Box box : iso.getBoxes()) {
          if (!box.getType().equals("mdat")) {
            box.getBox(channel);
          }
        }
        data.getBox(channel);
        assertEquals(header + 8 + (long) count * size, channel.position());
      }
    } finally {
      iso.close();
    }
    return out;
  }
}
