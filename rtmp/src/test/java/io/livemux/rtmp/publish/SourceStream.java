package io.livemux.rtmp.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An ffmpeg-made FLV (x264 with B-frames + AAC) read into samples, and framemd5 helpers. */
final class SourceStream {
  final Path file;
  final List<Sample> samples = new ArrayList<>();
  final MediaFormat video;
  final MediaFormat audio;

  private SourceStream(Path file) throws IOException {
    this.file = file;
    try (FlvReader reader = FlvReader.open(file, FlvLimits.defaults())) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        samples.add(s);
      }
      video = reader.videoFormat();
      audio = reader.audioFormat();
      assertEquals(0, reader.truncatedBytes());
    }
  }

  /** {@code seconds} of 320x240 25 fps x264 (2 B-frames, GOP 25) + 48 kHz stereo AAC. */
  static SourceStream make(Path dir, String name, double seconds) throws IOException {
    return make(dir, name, seconds, null);
  }

  /** As {@link #make(Path, String, double)}, the video at {@code videoBitrate} (ffmpeg's -b:v) when not null. */
  static SourceStream make(Path dir, String name, double seconds, String videoBitrate)
      throws IOException {
    Path file = dir.resolve(name + ".flv");
    List<String> args = new ArrayList<>(java.util.Arrays.asList(
        "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-b:a", "96k"));
    if (videoBitrate != null) {
      args.addAll(java.util.Arrays.asList("-b:v", videoBitrate, "-preset", "ultrafast", "-bf", "2"));
    }
    args.addAll(java.util.Arrays.asList("-f", "flv", file.toString()));
    Peers.ffmpeg(args.toArray(new String[0]));
    return new SourceStream(file);
  }

  /** Appends every sample in file order; returns how many each result got. */
  int[] appendAll(WriterInput videoInput, WriterInput audioInput) {
    int[] counts = new int[AppendResult.values().length];
    for (Sample s : samples) {
      WriterInput input = s.format() instanceof VideoFormat ? videoInput : audioInput;
      counts[input.append(s).ordinal()]++;
    }
    videoInput.markAsFinished();
    audioInput.markAsFinished();
    return counts;
  }

  /** (pts, size, md5) of each decoded frame of {@code map}. */
  static List<String> frames(Path file, String map) throws IOException {
    return Peers.decodedFrames(file, map, true);
  }
}
