package io.livemux.cli;

import io.livemux.format.MediaFormat;
import io.livemux.mp4.Mp4Reader;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An MP4 input, progressive, fragmented or cut, through {@link Mp4Reader}. One thread. */
final class Mp4Source extends MediaSource {
  private final Mp4Reader reader;
  private final List<MediaFormat> formats;
  private final long totalSamples;
  private long samplesRead;

  private Mp4Source(Mp4Reader reader) {
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
    return new Mp4Source(Mp4Reader.open(path));
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
    if (reader.advance()) {
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

  @Override
  public void close() {
    reader.close();
  }
}
