package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.encode.EncoderStats;
import io.livemux.encode.TestPictures;
import io.livemux.encode.VideoEncoderInput;
import io.livemux.encode.VideoEncoderSettings;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw pictures encoded by {@link VideoEncoderInput} and recorded by {@link Mp4Recorder}; ffmpeg
 * decodes the file: every frame, at the input's timestamps, keyframes where the interval puts them,
 * close to the source.
 */
class EncodedVideoRecordingTest {
  private static final int W = 320;
  private static final int H = 240;
  private static final int TIMESCALE = 90_000;
  private static final int FRAMES = 75;
  private static final long KEYFRAME_INTERVAL_US = 1_000_000;

  @TempDir Path dir;

  /** About 30 fps, with jitter, so that timestamps are not what a constant rate would give. */
  private static long pts(int i) {
    return i * 3_000L + (i % 3) * 170L;
  }

  /** The IDR positions the settings ask for: the first frame, then 1 s or more after the last IDR. */
  private static List<Integer> expectedKeyframes() {
    List<Integer> keys = new ArrayList<>();
    long last = Long.MIN_VALUE;
    for (int i = 0; i < FRAMES; i++) {
      if (keys.isEmpty() || (pts(i) - last) * 1_000_000L >= KEYFRAME_INTERVAL_US * TIMESCALE) {
        keys.add(i);
        last = pts(i);
      }
    }
    return keys;
  }

  private Path record(VideoEncoderSettings settings, String name) throws Exception {
    Path out = dir.resolve(name + ".mp4");
    Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults());
    WriterInput track = recorder.addTrack(VideoEncoderInput.formatFor(settings), false);
    VideoEncoderInput video = VideoEncoderInput.create(track, settings);
    recorder.start();
    for (int i = 0; i < FRAMES; i++) {
      AppendResult r;
      while ((r = video.append(TestPictures.sample(W, H, i, pts(i), TIMESCALE)))
          == AppendResult.NOT_READY) {
        assertTrue(video.awaitReady(10, TimeUnit.SECONDS), "encoder input never became ready");
      }
      assertEquals(AppendResult.ACCEPTED, r);
    }
    EncoderStats stats = video.finish().get(10, TimeUnit.SECONDS);
    assertEquals(EncoderStats.Outcome.COMPLETED, stats.outcome(), stats.toString());
    assertEquals(FRAMES, stats.deliveredCount(), stats.toString());
    Mp4Result result = recorder.finish().get(10, TimeUnit.SECONDS);
    assertEquals(FRAMES, result.tracks().get(0).sampleCount(), result.toString());
    return out;
  }

  /** Checks every decoded frame's pts, keyframe flag and PSNR against the source picture. */
  private void assertDecodesToTheSource(Path file) throws Exception {
    Mp4RecorderTest.assertDecodesWithoutError(file);
    String timeBase =
        Peers.ffprobe("-select_streams", "v:0", "-show_entries", "stream=time_base", "-of", "csv=p=0",
            file.toString()).trim();
    String[] tb = timeBase.split("/");
    long tbNum = Long.parseLong(tb[0]);
    long tbDen = Long.parseLong(tb[1]);
    String csv =
        Peers.ffprobe("-select_streams", "v:0", "-show_frames", "-show_entries",
            "frame=pts,key_frame,pict_type", "-of", "csv=p=0", file.toString());
    List<Long> ptsTicks = new ArrayList<>();
    List<Integer> keys = new ArrayList<>();
    for (String line : csv.trim().split("\n")) {
      String[] f = line.trim().split(",");
      // key_frame,pts,pict_type (ffprobe's field order)
      int key = Integer.parseInt(f[0]);
      long pts = Long.parseLong(f[1]);
      if (key == 1) {
        keys.add(ptsTicks.size());
      }
      // pts x time_base, in the input's 90 kHz timescale; exact or the assertion below fails.
      ptsTicks.add(pts * tbNum * TIMESCALE / tbDen);
      assertEquals(0, pts * tbNum * TIMESCALE % tbDen, "pts " + pts + " is not a 90 kHz tick");
    }
    assertEquals(FRAMES, ptsTicks.size(), "decoded frames");
    for (int i = 0; i < FRAMES; i++) {
      assertEquals(pts(i), ptsTicks.get(i), "pts of frame " + i);
    }
    assertEquals(expectedKeyframes(), keys, "keyframe positions");

    byte[] decoded =
        Peers.ffmpeg("-v", "error", "-i", file.toString(), "-fps_mode", "passthrough",
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "-").stdoutBytes;
    int size = W * H * 3 / 2;
    assertEquals((long) FRAMES * size, decoded.length, "decoded bytes");
    double min = Double.MAX_VALUE;
    for (int i = 0; i < FRAMES; i++) {
      byte[] source = TestPictures.i420(W, H, i);
      min = Math.min(min, TestPictures.psnr(source, 0, decoded, i * size, size));
    }
    assertTrue(min > 30, "min PSNR " + min + " dB");
  }

  @Test
  void serialEncode_recorded_decodesToEveryFrameAtItsTimestamp_withKeyframesAtTheInterval()
      throws Exception {
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(W, H).keyframeIntervalUs(KEYFRAME_INTERVAL_US).build();
    assertDecodesToTheSource(record(settings, "serial"));
  }

  @Test
  void twoThreadGopEncode_withBitrate_recorded_decodesLikeTheSerialOne() throws Exception {
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(W, H).keyframeIntervalUs(KEYFRAME_INTERVAL_US)
            .bitrateBps(2_000_000).encoderThreads(2).queueCapacity(40)
            .finishTimeout(java.time.Duration.ofMinutes(1)).build(); // frames are the point, not the bound
    assertDecodesToTheSource(record(settings, "parallel"));
  }
}
