package io.livemux.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieBox;
import org.mp4parser.boxes.iso14496.part12.MovieExtendsBox;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackRunBox;

/** An MP4's boxes as mp4parser (a parser we did not write) reads them. */
final class Boxes {
  private Boxes() {}

  static List<String> topLevelTypes(Path file) throws IOException {
    List<String> types = new ArrayList<>();
    try (IsoFile iso = new IsoFile(file.toString())) {
      for (Box b : iso.getBoxes()) {
        types.add(b.getType());
      }
    }
    return types;
  }

  /** True if the moov declares movie fragments (has an mvex). */
  static boolean hasMvex(Path file) throws IOException {
    try (IsoFile iso = new IsoFile(file.toString())) {
      MovieBox moov = iso.getMovieBox();
      return moov != null && !moov.getBoxes(MovieExtendsBox.class).isEmpty();
    }
  }

  /**
   * One {@code long[]} per moof: the end offset of the mdat that follows it, then the sample count
   * of track_ID 1 and 2.
   */
  static List<long[]> fragments(Path file) throws IOException {
    List<long[]> out = new ArrayList<>();
    try (IsoFile iso = new IsoFile(file.toString())) {
      List<Box> boxes = iso.getBoxes();
      long offset = 0;
      for (int i = 0; i < boxes.size(); i++) {
        Box box = boxes.get(i);
        if (box instanceof MovieFragmentBox) {
          long[] f = new long[3];
          f[0] = offset + box.getSize() + boxes.get(i + 1).getSize(); // the mdat follows its moof
          for (TrackFragmentBox traf : ((MovieFragmentBox) box).getBoxes(TrackFragmentBox.class)) {
            int track = (int) traf.getTrackFragmentHeaderBox().getTrackId();
            for (TrackRunBox trun : traf.getBoxes(TrackRunBox.class)) {
              f[track] += trun.getSampleCount();
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
