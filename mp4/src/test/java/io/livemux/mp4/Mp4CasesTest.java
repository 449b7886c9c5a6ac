package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kinds of input the recorder must take, each checked frame by frame by ffmpeg. */
class Mp4CasesTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "hevc with B-frames + AAC 48k stereo | testsrc2=size=640x360:rate=25 | -c:v libx265 -x265-params log-level=error:bframes=3 -tag:v hvc1 -pix_fmt yuv420p | -c:a aac -ac 2 -ar 48000",
      "baseline odd size + AAC 44.1k mono | testsrc2=size=642x362:rate=30 | -c:v libx264 -profile:v baseline -pix_fmt yuv420p | -c:a aac -ac 1 -ar 44100",
      "video only, long GOP | testsrc2=size=320x240:rate=30 | -c:v libx264 -g 300 -bf 2 -pix_fmt yuv420p | -an",
      "audio only AAC | - | -vn | -c:a aac -ac 2 -ar 48000",
  })
  void input_recordsToTheSameDecodedFrames(String name, String videoSource, String videoArgs, String audioArgs)
      throws Exception {
    Path source = dir.resolve("source.mp4");
    List<String> args = new ArrayList<>();
    if (!videoSource.equals("-")) {
      args.addAll(List.of("-f", "lavfi", "-i", videoSource));
    }
    args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000", "-t", "3"));
    args.addAll(List.of(videoArgs.split(" ")));
    args.addAll(List.of(audioArgs.split(" ")));
    // Encoded to Matroska, then copied into MP4: ffmpeg then writes no AAC priming edit, which a
    // pass-through recorder has no way to know about (the AAC encoder's delay is another matter).
    Path mkv = dir.resolve("source.mkv");
    args.add(mkv.toString());
    Peers.ffmpeg(args.toArray(new String[0]));
    Peers.ffmpeg("-i", mkv.toString(), "-c", "copy", source.toString());
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    Path out = dir.resolve("out.mp4");
    Mp4Result result = Mp4RecorderTest.record(tracks, out, Mp4Options.defaults().withFragmentDurationUs(500_000));
    Mp4RecorderTest.assertDecodesWithoutError(out);
    if (!videoSource.equals("-")) {
      assertEquals(Mp4RecorderTest.decodedFrames(source, "0:v"), Mp4RecorderTest.decodedFrames(out, "0:v"));
    }
    if (!audioArgs.equals("-an")) {
      assertEquals(Mp4RecorderTest.decodedFrames(source, "0:a"), Mp4RecorderTest.decodedFrames(out, "0:a"));
    }
    if (name.startsWith("audio only")) {
      assertTrue(result.fragments() >= 6, "audio-only files are cut on duration: " + result);
    }
    if (name.startsWith("video only")) {
      // One keyframe in 10 s: cut on duration alone at twice the target.
      assertTrue(result.fragments() >= 3, "sparse keyframes still give fragments: " + result);
    }
  }

  @Test
  void diskFull_failsTheRecordingWithTheCause_andWhatWasWrittenStaysPlayable() throws Exception {
    Path source = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "4",
        "-c:v", "libx264", "-g", "15", "-pix_fmt", "yuv420p", source.toString());
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    Path out = dir.resolve("full.mp4");
    // Header, then three fragments (each: data + publish), then the disk is full.
    FileOutput.Opener fullAfter = ObservedOutput.failingAfter(7, "No space left on device");
    Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults().withFragmentDurationUs(500_000), fullAfter);
    WriterInput video = recorder.addTrack(tracks.get(0).format, false);
    recorder.start();
    for (io.livemux.sample.Sample s : tracks.get(0).samples) {
      AppendResult r;
      while ((r = video.append(s)) == AppendResult.NOT_READY) {
        video.awaitReady(5, TimeUnit.SECONDS);
      }
    }
    ExecutionException e = assertThrows(ExecutionException.class, () -> recorder.finish().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof Mp4Exception, e.toString());
    assertTrue(e.getCause().getMessage().contains("No space left on device"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("fragment 4"), e.getCause().getMessage());
    Mp4RecorderTest.assertDecodesWithoutError(out);
    assertEquals(Mp4RecorderTest.decodedFrames(source, "0:v").subList(0, 45),
        Mp4RecorderTest.decodedFrames(out, "0:v"), "the three published fragments, 15 frames each");
  }

  @Test
  void cancel_stopsAtOnce_andLeavesEveryCompletedFragmentPlayable() throws Exception {
    Path source = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "3",
        "-c:v", "libx264", "-g", "15", "-pix_fmt", "yuv420p", source.toString());
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    Path out = dir.resolve("cancelled.mp4");
    Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults().withFragmentDurationUs(500_000));
    WriterInput video = recorder.addTrack(tracks.get(0).format, false);
    recorder.start();
    for (int i = 0; i < 70; i++) {
      while (video.append(tracks.get(0).samples.get(i)) == AppendResult.NOT_READY) {
        video.awaitReady(5, TimeUnit.SECONDS);
      }
    }
    long waitedFor = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (recorder.progress().fragments() < 4) { // fragments of frames 0-59 are out once frame 60 came
      assertTrue(System.nanoTime() < waitedFor, "fragments never published");
      Thread.onSpinWait();
    }
    Mp4Result result = recorder.cancel();
    assertFalse(result.isFinalized());
    assertEquals(60, result.sampleCount());
    assertEquals(10, result.samplesDropped(), "the fragment being built is reported lost: " + result);
    Mp4RecorderTest.assertDecodesWithoutError(out);
    assertEquals(Mp4RecorderTest.decodedFrames(source, "0:v").subList(0, 60),
        Mp4RecorderTest.decodedFrames(out, "0:v"));
  }

  @Test
  void faststartCopy_putsTheMoovFirst_andDecodesToTheSameFrames() throws Exception {
    Path source = dir.resolve("source.mkv");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", source.toString());
    Path mp4 = dir.resolve("source.mp4");
    Peers.ffmpeg("-i", source.toString(), "-c", "copy", mp4.toString());
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(mp4);
    Path out = dir.resolve("hybrid.mp4");
    Path fast = dir.resolve("faststart.mp4");
    Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults().withFaststartCopy(fast));
    List<WriterInput> inputs = new ArrayList<>();
    for (SourceMedia.SourceTrack t : tracks) {
      inputs.add(recorder.addTrack(t.format, false));
    }
    recorder.start();
    int[] next = new int[tracks.size()];
    for (boolean more = true; more; ) {
      more = false;
      for (int t = 0; t < tracks.size(); t++) {
        if (next[t] < tracks.get(t).samples.size()) {
          more = true;
          while (inputs.get(t).append(tracks.get(t).samples.get(next[t])) == AppendResult.NOT_READY) {
            inputs.get(t).awaitReady(5, TimeUnit.SECONDS);
          }
          next[t]++;
        }
      }
    }
    recorder.finish().get(10, TimeUnit.SECONDS);
    assertEquals(fast, recorder.faststartCopy().get(30, TimeUnit.SECONDS));
    try (org.mp4parser.IsoFile iso = new org.mp4parser.IsoFile(fast.toString())) {
      List<String> types = new ArrayList<>();
      for (org.mp4parser.Box b : iso.getBoxes()) {
        types.add(b.getType());
      }
      assertEquals(List.of("ftyp", "moov", "mdat"), types);
    }
    Mp4RecorderTest.assertDecodesWithoutError(fast);
    assertEquals(Mp4RecorderTest.decodedFrames(out, "0:v"), Mp4RecorderTest.decodedFrames(fast, "0:v"));
    assertEquals(Mp4RecorderTest.decodedFrames(out, "0:a"), Mp4RecorderTest.decodedFrames(fast, "0:a"));
    assertEquals(Mp4RecorderTest.decodedFrames(mp4, "0:v"), Mp4RecorderTest.decodedFrames(fast, "0:v"));
  }
}
