package io.livemux.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes an MP4 file: walks its top-level boxes (14496-12 4.2), reads the first complete 'moov'
 * and, if it has an 'mvex', every complete top-level 'moof' after it whose data is in the file. A
 * trailing box that runs past the end of the file (a cut recording) is ignored, as is everything
 * else a reader need not understand ('free' boxes, including a fragment not yet published,
 * 'mfra', 'mdat'). Not thread-safe.
 */
final class MovieIndex {
  /** The largest 'moov' or 'moof' read into memory: 64 MiB. */
  static final int MAX_METADATA_BOX_BYTES = 64 << 20;

  /** A file with no complete 'moov': nothing to read (or to recover). */
  static final class NoMovieException extends Mp4Exception {
    private static final long serialVersionUID = 1L;

    NoMovieException(String message) {
      super(message);
    }
  }

  final List<TrackSamples> tracks;
  final boolean fragmented;
  final int fragments;
  final int fragmentsLeftOut;

  private MovieIndex(List<TrackSamples> tracks, boolean fragmented, int fragments, int fragmentsLeftOut) {
    this.tracks = tracks;
    this.fragmented = fragmented;
    this.fragments = fragments;
    this.fragmentsLeftOut = fragmentsLeftOut;
  }

  static MovieIndex read(FileChannel channel, Path path) throws Mp4Exception {
    long length;
    try {
      length = channel.size();
    } catch (IOException e) {
      throw new Mp4Exception("cannot read " + path + ": " + e.getMessage(), e);
    }
    ReadBudget budget = new ReadBudget(length);
    BoxData moov = null;
    List<long[]> moofs = new ArrayList<>(); // offset, size
    ByteBuffer header = ByteBuffer.allocate(16);
    long position = 0;
    while (length - position >= 8) {
      readAt(channel, path, header, position, (int) Math.min(16, length - position));
      long size = header.getInt(0) & 0xFFFF_FFFFL;
      String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
      int headerSize = 8;
      if (size == 1) {
        if (length - position < 16) {
          break; // a cut large header
        }
        size = header.getLong(8);
        headerSize = 16;
      } else if (size == 0) {
        size = length - position; // 4.2: the last box, to the end of the file
      }
      if (size < headerSize) {
        throw new Mp4Exception(
            "malformed MP4: box '" + BoxData.printable(type) + "' at offset " + position + " of " + path
                + " has size " + size);
      }
      if (size > length - position) {
        break; // a cut trailing box: not part of the file yet
      }
      if (type.equals("moov") && moov == null) {
        moov = load(channel, path, type, position, size, headerSize);
      } else if (type.equals("moof") && moov != null) {
        moofs.add(new long[] {position, size, headerSize});
      }
      position += size;
    }
    if (moov == null) {
      throw new NoMovieException(
          "no complete 'moov' box in " + path + " (" + length + " bytes): the file was cut before"
              + " its header was written, or is not an MP4");
    }
    List<TrackSamples> tracks = MoovParser.tracks(moov, budget);
    boolean fragmented = MoovParser.readTrackExtends(moov, tracks);
    int fragments = 0;
    int leftOut = 0;
    if (fragmented) {
      for (long[] moof : moofs) {
        BoxData box = load(channel, path, "moof", moof[0], moof[1], (int) moof[2]);
        if (FragmentParser.add(box, moof[0], tracks, budget)) {
          fragments++;
        } else {
          leftOut++;
        }
      }
    }
    for (TrackSamples t : tracks) {
      t.placeOnMovieTimeline();
    }
    return new MovieIndex(tracks, fragmented, fragments, leftOut);
  }

  private static BoxData load(FileChannel channel, Path path, String type, long offset, long size, int headerSize)
      throws Mp4Exception {
    if (size > MAX_METADATA_BOX_BYTES) {
      throw new Mp4Exception(
          "'" + type + "' box at offset " + offset + " of " + path + " is " + size
              + " bytes, more than the reader's limit of " + MAX_METADATA_BOX_BYTES);
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) size - headerSize);
    readAt(channel, path, bytes, offset + headerSize, bytes.capacity());
    return new BoxData(type, type, bytes.array(), 0, bytes.capacity(), offset + headerSize);
  }

  /** Reads exactly {@code count} bytes at {@code offset} into {@code into} from its start. */
  static void readAt(FileChannel channel, Path path, ByteBuffer into, long offset, int count) throws Mp4Exception {
    ((java.nio.Buffer) into).clear();
    ((java.nio.Buffer) into).limit(count);
    try {
      long at = offset;
      while (into.hasRemaining()) {
        int read = channel.read(into, at);
        if (read < 0) {
          throw new Mp4Exception(
              path + " ended at offset " + at + " while reading " + count + " bytes at " + offset
                  + " (was it truncated while being read?)");
        }
        at += read;
      }
    } catch (IOException e) {
      if (e instanceof Mp4Exception) {
        throw (Mp4Exception) e;
      }
      throw new Mp4Exception("cannot read " + count + " bytes at offset " + offset + " of " + path + ": " + e.getMessage(), e);
    }
  }
}
