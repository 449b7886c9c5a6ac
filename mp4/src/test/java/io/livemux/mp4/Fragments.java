package io.livemux.mp4;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackRunBox;

/** The fragments of a fragmented file as mp4parser sees them (a parser we did not write). */
final class Fragments {
  private Fragments() {}

  /**
   * One {@code long[]} per moof: moof offset, moof size, end of the mdat that follows it, then the
   * sample count of each track (by track_ID 1, 2, ...).
   */
  static List<long[]> of(Path file) throws IOException {
    List<long[]> out = new ArrayList<>();
    try (IsoFile iso = new IsoFile(file.toString())) {
      List<Box> boxes = iso.getBoxes();
      long offset = 0;
      for (int i = 0; i < boxes.size(); i++) {
        Box box = boxes.get(i);
        if (box instanceof MovieFragmentBox) {
          long[] f = new long[3 + 2];
          f[0] = offset;
          f[1] = box.getSize();
          f[2] = offset + box.getSize() + boxes.get(i + 1).getSize(); // our writer: mdat right after
          for (TrackFragmentBox traf : ((MovieFragmentBox) box).getBoxes(TrackFragmentBox.class)) {
            int track = (int) traf.getTrackFragmentHeaderBox().getTrackId();
            for (TrackRunBox trun : traf.getBoxes(TrackRunBox.class)) {
              f[2 + track] += trun.getSampleCount();
            }
          }
          out.add(f);
        }
        offset += box.getSize();
      }
    }
    return out;
  }
}
