package io.livemux.cli;

import io.livemux.format.MediaFormat;
import io.livemux.LivemuxException;
import io.livemux.mp4.Mp4Exception;
import io.livemux.mp4.Mp4Reader;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An MP4 input, progressive, fragmented or cut, through {@link Mp4Reader}. One thread. */
final class Mp4Source extends MediaSource {
  private final Path path;
  private final Mp4Reader reader;
  private final List<MediaFormat> formats;
  private final long totalSamples;
  private long samplesRead;

  private Mp4Source(Path path, Mp4Reader reader) {
    this.path = path;
    this.reader = reader;
    List<MediaFormat> list = new ArrayList<>();
    long total = 0;
    for (int t = 0; t < reader.trackCount(); t++) {
      list.add(reader.format(t));
      total += reader.sampleCount(t);
    }
    this.formats = Collections.unmodifiableList(list);
    this.totalSamples = total;
  }

  static Mp4Source open(Path path) throws IOException {
    Mp4Reader reader;
    try {
      reader = Mp4Reader.open(path);
    } catch (Mp4Exception e) {
      throw named(path, e);
    }
    return new Mp4Source(path, reader);
  }

  @Override
  Container container() {
    return Container.MP4;
  }

  @Override
  List<MediaFormat> formats() {
    return formats;
  }

  @Override
  boolean advance() throws IOException {
    boolean more;
    try {
      more = reader.advance();
    } catch (Mp4Exception e) {
      throw named(path, e);
    }
    if (more) {
      samplesRead++;
      return true;
    }
    return false;
  }

  @Override
  int track() {
    return reader.track();
  }

  @Override
  Sample sample() {
    return reader.sample();
  }

  @Override
  double progress() {
    return totalSamples == 0 ? 1 : (double) samplesRead / totalSamples;
  }

  /**
   * The reader leaves out a cut last box without saying so: the top-level boxes (their headers
   * only) tell where the file ends inside one.
   */
  @Override
  String cutOff() throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      BoxScan scan;
      try {
        scan = BoxScan.scan(channel, channel.size());
      } catch (LivemuxException e) {
        return "bytes that are not an MP4 box (" + e.getMessage() + ")";
      }
      BoxScan.Box box = scan.truncated();
      if (box != null) {
        return "the '" + box.type + "' box at offset " + box.offset;
      }
      return scan.trailingBytes > 0 ? "a box header at offset " + (channel.size() - scan.trailingBytes) : null;
    }
  }

  /** The reader's messages name the file only where it opens it: every one does here. */
  private static Mp4Exception named(Path path, Mp4Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.contains(path.toString()) ? e : new Mp4Exception(path + ": " + m, e);
  }

  @Override
  public void close() {
    reader.close();
  }
}
