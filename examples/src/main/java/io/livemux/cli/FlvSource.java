package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.format.AudioFormat;
import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An FLV input through a {@link FlvReader#mapped mapped} {@link FlvReader}: samples are read-only
 * views of the mapped file, so their bytes never change ({@link #payloadsStable()}) and the writer
 * can write them from there without a copy. FLV announces its tracks by sequence headers in the
 * stream, so the first samples are read ahead until both a video and an audio track are known, or
 * {@link #LOOKAHEAD_MS} of media or {@link #LOOKAHEAD_SAMPLES} samples have passed: tracks are then
 * video first, then audio. A track that starts later is refused with a clear error. One thread.
 */
final class FlvSource extends MediaSource {
  static final long LOOKAHEAD_MS = 10_000;
  static final int LOOKAHEAD_SAMPLES = 4_096;

  private final Path path;
  private final FlvReader reader;
  private final long sizeBytes;
  private final ArrayDeque<Sample> ahead = new ArrayDeque<>();
  private final List<MediaFormat> formats;
  private final int videoTrack;
  private final int audioTrack;
  private Sample sample;
  private int track = -1;

  private FlvSource(Path path, FlvReader reader, long sizeBytes) throws IOException {
    this.path = path;
    this.reader = reader;
    this.sizeBytes = sizeBytes;
    MediaFormat video = null;
    MediaFormat audio = null;
    long firstMs = Long.MIN_VALUE;
    while (ahead.size() < LOOKAHEAD_SAMPLES && (video == null || audio == null)) {
      Sample s = next(reader, path);
      if (s == null) {
        break;
      }
      ahead.add(s);
      long ms = s.decodeTimeTicks(); // FLV samples are in milliseconds (FlvSamples.TIMESCALE)
      if (firstMs == Long.MIN_VALUE) {
        firstMs = ms;
      } else if (ms - firstMs > LOOKAHEAD_MS) {
        break;
      }
      if (video == null && s.format() instanceof VideoFormat) {
        video = s.format();
      } else if (audio == null && s.format() instanceof AudioFormat) {
        audio = s.format();
      }
    }
    List<MediaFormat> list = new ArrayList<>();
    videoTrack = video == null ? -1 : list.size();
    if (video != null) {
      list.add(video);
    }
    audioTrack = audio == null ? -1 : list.size();
    if (audio != null) {
      list.add(audio);
    }
    if (list.isEmpty()) {
      throw new LivemuxException(path + ": the FLV file has no audio or video samples");
    }
    formats = Collections.unmodifiableList(list);
  }

  static FlvSource open(Path path) throws IOException {
    FileChannel file;
    try {
      file = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new LivemuxException("cannot open " + path + ": " + e.getMessage(), e);
    }
    try {
      return new FlvSource(path, FlvReader.mapped(file, FlvLimits.defaults()), file.size());
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  @Override
  Container container() {
    return Container.FLV;
  }

  @Override
  List<MediaFormat> formats() {
    return formats;
  }

  @Override
  boolean advance() throws IOException {
    Sample next = ahead.isEmpty() ? next(reader, path) : ahead.poll();
    if (next == null) {
      sample = null;
      track = -1;
      return false;
    }
    boolean isVideo = next.format() instanceof VideoFormat;
    int t = isVideo ? videoTrack : audioTrack;
    if (t < 0) {
      throw new LivemuxException(
          path + ": an " + (isVideo ? "video" : "audio") + " track starts at " + next.decodeTimeTicks()
              + " ms, after the first " + LOOKAHEAD_MS / 1000 + " s; every track must start within them");
    }
    sample = next;
    track = t;
    return true;
  }

  /** The reader's next sample; its errors ("FLV: tag at offset N: ...") name the file too. */
  private static Sample next(FlvReader reader, Path path) throws IOException {
    try {
      return reader.next();
    } catch (RtmpException e) {
      throw new LivemuxException(path + ": " + e.getMessage(), e);
    }
  }

  @Override
  int track() {
    return track;
  }

  @Override
  Sample sample() {
    return sample;
  }

  @Override
  double progress() {
    return sizeBytes == 0 ? 1 : Math.min(1.0, (double) reader.offset() / sizeBytes);
  }

  @Override
  boolean payloadsStable() {
    return true;
  }

  @Override
  long truncatedBytes() {
    return reader.truncatedBytes();
  }

  @Override
  String cutOff() {
    long cut = reader.truncatedBytes();
    // the reader has consumed the partial tag: it starts that many bytes before its offset
    return cut > 0 ? "the FLV tag at offset " + (reader.offset() - cut) : null;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
