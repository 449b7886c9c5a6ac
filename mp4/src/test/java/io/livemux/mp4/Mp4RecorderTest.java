package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import io.livemux.time.MediaTime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4RecorderTest {
  @TempDir Path dir;

  /** x264 with B-frames + AAC 48 kHz stereo, made by ffmpeg; 4 s. */
  private Path makeSource(String videoCodecArgs, String audioArgs) throws IOException {
    Path mkv = dir.resolve("source.mkv");
    Path mp4 = dir.resolve("source.mp4");
    List<String> args = new ArrayList<>(List.of(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4"));
    args.addAll(List.of(videoCodecArgs.split(" ")));
    args.addAll(List.of(audioArgs.split(" ")));
    args.add(mkv.toString());
    Peers.ffmpeg(args.toArray(new String[0]));
    Peers.ffmpeg("-i", mkv.toString(), "-c", "copy", mp4.toString());
    return mp4;
  }

  /** Appends every source sample, interleaved by decode time as a live producer would. */
  static Mp4Result record(List<SourceMedia.SourceTrack> source, Path out, Mp4Options options)
      throws Exception {
    Mp4Recorder recorder = Mp4Recorder.create(out, options);
    feed(source, recorder, s -> s);
    return recorder.finish().get(10, TimeUnit.SECONDS);
  }

  /**
   * Adds the source's tracks to {@code recorder}, starts it and appends every sample, as {@code
   * each} makes it, interleaved by decode time as a live producer would.
   */
  static void feed(List<SourceMedia.SourceTrack> source, Mp4Recorder recorder,
      java.util.function.UnaryOperator<Sample> each) throws Exception {
    List<WriterInput> inputs = new ArrayList<>();
    for (SourceMedia.SourceTrack t : source) {
      inputs.add(recorder.addTrack(t.format, false));
    }
    recorder.start();
    int[] next = new int[source.size()];
    while (true) {
      int best = SourceMedia.nextTrack(source, next);
      if (best < 0) {
        break;
      }
      Sample s = each.apply(source.get(best).samples.get(next[best]++));
      while (inputs.get(best).append(s) == AppendResult.NOT_READY) {
        assertTrue(inputs.get(best).awaitReady(10, TimeUnit.SECONDS));
      }
    }
  }

  /** The (size, md5) of each decoded frame: what the decoder produced, whatever the timestamps. */
  static List<String> decodedFrames(Path file, String map) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Peers.framemd5(file, map)) {
      String[] f = line.split(",");
      out.add(f[4].trim() + " " + f[5].trim());
    }
    return out;
  }

  static void assertDecodesWithoutError(Path file) throws IOException {
    Peers.Result r =
        Peers.run(java.time.Duration.ofSeconds(60), List.of(
            Peers.ffmpeg().toString(), "-v", "error", "-i", file.toString(), "-f", "null", "-"));
    assertEquals(0, r.exitCode, r.stderr);
    assertEquals("", r.stderr.trim(), "ffmpeg reported errors decoding " + file);
  }

  @Test
  void h264WithBFramesAndAac_finalized_decodesToTheSameFrames() throws Exception {
    Path source = makeSource("-c:v libx264 -bf 2 -g 30 -pix_fmt yuv420p", "-c:a aac -ac 2");
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    Path out = dir.resolve("out.mp4");
    Mp4Result result = record(tracks, out, Mp4Options.defaults());

    assertTrue(result.isFinalized(), result.toString());
    assertEquals(120, result.tracks().get(0).sampleCount());
    assertTrue(result.fragments() >= 3, result.toString());
    assertDecodesWithoutError(out);
    assertEquals(decodedFrames(source, "0:v"), decodedFrames(out, "0:v"));
    assertEquals(decodedFrames(source, "0:a"), decodedFrames(out, "0:a"));
    // A/V keep the source's timing: each stream starts where ffmpeg says the source's does,
    // and every packet is presented when the source's is.
    assertEquals(startTimes(source), startTimes(out), 0.0011);
    assertPacketTimesEqual(source, out, "v:0");
    assertPacketTimesEqual(source, out, "a:0");
  }

  /** ffprobe's pts_time of every packet of the stream, equal within 1 ms (timescales differ). */
  static void assertPacketTimesEqual(Path expected, Path actual, String stream) throws IOException {
    List<Double> want = packetTimes(expected, stream);
    List<Double> got = packetTimes(actual, stream);
    assertEquals(want.size(), got.size(), "packets of " + stream);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i), got.get(i), 0.001, stream + " packet " + i);
    }
  }

  private static List<Double> packetTimes(Path file, String stream) throws IOException {
    List<Double> times = new ArrayList<>();
    for (String line : Peers.ffprobe("-select_streams", stream, "-show_entries", "packet=pts_time",
        "-of", "csv=p=0", file.toString()).split("\n")) {
      if (!line.isBlank()) {
        times.add(Double.parseDouble(line.trim()));
      }
    }
    return times;
  }

  /** ffprobe's start_time of the video minus that of the audio, in seconds. */
  static double startTimes(Path file) throws IOException {
    String v = Peers.ffprobe("-select_streams", "v:0", "-show_entries", "stream=start_time",
        "-of", "csv=p=0", file.toString()).trim();
    String a = Peers.ffprobe("-select_streams", "a:0", "-show_entries", "stream=start_time",
        "-of", "csv=p=0", file.toString()).trim();
    return Double.parseDouble(v) - Double.parseDouble(a);
  }

  @Test
  void videoOnlyWithBFrames_firstDisplayedFrameIsAtZero() throws Exception {
    Path mp4 = dir.resolve("video.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=642x362:rate=25", "-t", "3",
        "-c:v", "libx264", "-bf", "3", "-g", "25", "-pix_fmt", "yuv420p", mp4.toString());
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(mp4);
    assertTrue(tracks.get(0).samples.get(0).decodeTimeTicks() < 0, "B-frame delay: DTS before PTS 0");
    Path out = dir.resolve("video-out.mp4");
    record(tracks, out, Mp4Options.defaults());
    assertDecodesWithoutError(out);
    String start = Peers.ffprobe("-select_streams", "v:0", "-show_entries", "stream=start_time",
        "-of", "csv=p=0", out.toString()).trim();
    assertEquals(0.0, Double.parseDouble(start), 0.0005);
    assertEquals(decodedFrames(mp4, "0:v"), decodedFrames(out, "0:v"));
    assertEquals(75, Peers.framemd5(out, "0:v").size());
  }

  @Test
  void fragmentedEnding_staysFragmented_andDecodesToTheSameFrames() throws Exception {
    Path source = makeSource("-c:v libx264 -bf 2 -g 15 -pix_fmt yuv420p", "-c:a aac -ac 1");
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    Path out = dir.resolve("frag.mp4");
    Mp4Result result =
        record(tracks, out, Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED)
            .withFragmentDurationUs(500_000));
    assertTrue(result.fragments() >= 7, result.toString());
    assertDecodesWithoutError(out);
    assertEquals(decodedFrames(source, "0:v"), decodedFrames(out, "0:v"));
    assertEquals(decodedFrames(source, "0:a"), decodedFrames(out, "0:a"));
  }

  @Test
  void timestampsFarFromZero_areRebasedToZero() throws Exception {
    Path source = makeSource("-c:v libx264 -bf 0 -g 30 -pix_fmt yuv420p", "-c:a aac -ac 2");
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    // Shift everything by ten hours on the samples' own clocks.
    List<SourceMedia.SourceTrack> shifted = new ArrayList<>();
    for (SourceMedia.SourceTrack t : tracks) {
      List<Sample> moved = new ArrayList<>();
      for (Sample s : t.samples) {
        long offset = MediaTime.of(36_000, 1).rescale(s.timescale()).ticks();
        moved.add(Sample.builder(s.format()).timescale(s.timescale())
            .decodeTimeTicks(s.decodeTimeTicks() + offset)
            .presentationTimeTicks(s.presentationTimeTicks() + offset)
            .durationTicks(s.durationTicks()).flags(s.flags()).payload(s.payload()).build());
      }
      shifted.add(new SourceMedia.SourceTrack(t.format, moved));
    }
    Path out = dir.resolve("shifted.mp4");
    record(shifted, out, Mp4Options.defaults());
    assertDecodesWithoutError(out);
    String start = Peers.ffprobe("-show_entries", "format=start_time", "-of", "csv=p=0", out.toString()).trim();
    assertEquals(0.0, Double.parseDouble(start), 0.0005);
    assertEquals(decodedFrames(source, "0:v"), decodedFrames(out, "0:v"));
  }
}
