package io.livemux.rtmp.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against ffmpeg: it makes an FLV (x264 with B-frames, AAC), we read its samples and write them
 * with our FlvWriter inside a real pipeline, and ffmpeg decodes ours to the same frames; ffprobe
 * reads our onMetaData.
 */
class FlvPeerTest {
  @TempDir static Path dir;
  static Path source;
  static List<Sample> samples;
  static Map<String, Object> sourceMetadata;
  static MediaFormat videoFormat;
  static MediaFormat audioFormat;

  @BeforeAll
  static void ffmpegMakesAnFlv() throws IOException {
    source = dir.resolve("source.flv");
    Peers.ffmpeg(
        "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=44100", "-t", "2", "-c:v", "libx264", "-bf", "2",
        "-g", "12", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "flv",
        source.toString());
    samples = new ArrayList<>();
    try (FlvReader reader = FlvReader.open(source, FlvLimits.defaults())) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        samples.add(s);
      }
      sourceMetadata = reader.metadata();
      videoFormat = reader.videoFormat();
      audioFormat = reader.audioFormat();
      assertEquals(0, reader.truncatedBytes());
    }
  }

  @Test
  void reader_givesFfmpegsSamples_withBFrameOffsetsAndKeyframes() throws IOException {
    List<String> ours = new ArrayList<>();
    for (Sample s : samples) {
      if (s.format() instanceof VideoFormat) {
        ours.add(s.decodeTimeTicks() + "," + s.presentationTimeTicks() + "," + s.size() + ","
            + (s.isSync() ? "K" : "_"));
      }
    }
    // ffprobe's view of the same packets: dts, pts (ms), size, flags
    List<String> theirs = new ArrayList<>();
    for (String line : Peers.ffprobe("-select_streams", "v", "-show_entries",
        "packet=dts,pts,size,flags", "-of", "csv=p=0", source.toString()).split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.trim().split(",");
        theirs.add(f[1] + "," + f[0] + "," + f[2] + "," + f[3].charAt(0));
      }
    }
    assertEquals(theirs, ours);
    assertTrue(ours.stream().anyMatch(l -> !l.split(",")[0].equals(l.split(",")[1])), "B-frames");
    assertEquals(320.0, sourceMetadata.get("width"));
  }

  @Test
  void ourFlv_decodesToTheSameFrames_asFfmpegs() throws Exception {
    Path ours = dir.resolve("ours.flv");
    write(ours, FlvWriterOptions.defaults());
    assertEquals(decodedFrames(source, "0:v"), decodedFrames(ours, "0:v"));
    assertEquals(decodedFrames(source, "0:a"), decodedFrames(ours, "0:a"));
    // and our reader reads our file back to the same samples
    List<Sample> back = new ArrayList<>();
    try (FlvReader reader = FlvReader.open(ours, FlvLimits.defaults())) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        back.add(s);
      }
    }
    assertEquals(samples.size(), back.size());
    for (int i = 0; i < back.size(); i++) {
      assertEquals(samples.get(i).presentationTimeTicks(), back.get(i).presentationTimeTicks());
      assertEquals(samples.get(i).decodeTimeTicks(), back.get(i).decodeTimeTicks());
      assertEquals(samples.get(i).payload(), back.get(i).payload());
    }
  }

  @Test
  void ourFlvCutMidTag_asAfterACrash_isReadByFfmpegAndUs_upToTheCut() throws Exception {
    Path whole = dir.resolve("whole.flv");
    write(whole, FlvWriterOptions.defaults());
    byte[] bytes = java.nio.file.Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.flv");
    java.nio.file.Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3 + 7));
    List<String> all = decodedFrames(whole, "0:v");
    List<String> prefix = decodedFrames(cut, "0:v");
    assertTrue(prefix.size() > all.size() / 3, "ffmpeg decodes what is before the cut: " + prefix.size());
    assertEquals(all.subList(0, prefix.size()), prefix);
    try (FlvReader reader = FlvReader.open(cut, FlvLimits.defaults())) {
      int n = 0;
      while (reader.next() != null) {
        n++;
      }
      assertTrue(n > samples.size() / 2, "our reader reads up to the cut: " + n);
      assertTrue(reader.truncatedBytes() > 0, "and says what it dropped");
    }
  }

  @Test
  void ffprobe_readsOurOnMetaData() throws Exception {
    Path ours = dir.resolve("tagged.flv");
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("title", "livemux test");
    extra.put("take", 3);
    write(ours, FlvWriterOptions.defaults().withMetadata(extra));
    String format = Peers.ffprobe("-show_format", "-of", "default=noprint_wrappers=1", ours.toString());
    assertTrue(format.contains("TAG:encoder=livemux"), format);
    assertTrue(format.contains("TAG:title=livemux test"), format);
    assertTrue(format.contains("TAG:take=3"), format);
    Map<String, String> video = Peers.ffprobeStream(ours, "v");
    assertEquals("320", video.get("width"));
    assertEquals("h264", video.get("codec_name"));
    Map<String, String> audio = Peers.ffprobeStream(ours, "a");
    assertEquals("44100", audio.get("sample_rate"));
    assertEquals("aac", audio.get("codec_name"));
  }

  /** Our samples, appended by one producer in file order, through a pipeline into an FlvWriter. */
  private static void write(Path out, FlvWriterOptions options) throws Exception {
    Pipeline pipeline =
        Pipeline.builder().addSink(new FlvWriter(out, options), SinkOptions.lossless()).build();
    WriterInput video = pipeline.addInput(videoFormat, false);
    WriterInput audio = pipeline.addInput(audioFormat, false);
    pipeline.start();
    for (Sample s : samples) {
      WriterInput input = s.format() instanceof VideoFormat ? video : audio;
      while (input.append(s) == AppendResult.NOT_READY) {
        assertTrue(input.awaitReady(10, TimeUnit.SECONDS));
      }
    }
    video.markAsFinished();
    audio.markAsFinished();
    PipelineResult result = pipeline.finish().get(10, TimeUnit.SECONDS);
    assertEquals(SinkOutcome.COMPLETED, result.sink(0).outcome(), String.valueOf(result.sink(0).failure()));
  }

  /** (size, md5) of each decoded frame: what the decoder produced. */
  private static List<String> decodedFrames(Path file, String map) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Peers.framemd5(file, map)) {
      String[] f = line.split(",");
      out.add(f[4].trim() + " " + f[5].trim());
    }
    return out;
  }
}
