package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.SinkOptions;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encodes the moving test pattern through a pipeline, writes the samples as Annex B, and lets
 * ffmpeg decode them: frame count, keyframe positions and PSNR against the source.
 */
class VideoEncoderPeerTest {
  private static final int TIMESCALE = 90_000;
  private static final int FRAME_TICKS = 3_000; // 30 fps

  @TempDir Path dir;

  /** Encodes {@code frames} pattern pictures through a pipeline; returns what its sink got. */
  static List<Sample> encode(VideoEncoderSettings settings, int frames, boolean rgb)
      throws Exception {
    AnnexBSink sink = new AnnexBSink();
    Pipeline pipeline = Pipeline.builder().addSink(sink, SinkOptions.lossless()).build();
    VideoEncoderInput input = VideoEncoderInput.create(pipeline, settings, false);
    pipeline.start();
    int w = settings.width();
    int h = settings.height();
    for (int i = 0; i < frames; i++) {
      while (true) {
        AppendResult r;
        if (rgb) {
          r = input.appendArgb(TestPictures.argb(w, h, i), (long) i * FRAME_TICKS, TIMESCALE);
        } else {
          r = input.append(TestPictures.sample(w, h, i, (long) i * FRAME_TICKS, TIMESCALE));
        }
        if (r != AppendResult.NOT_READY) {
          assertEquals(AppendResult.ACCEPTED, r);
          break;
        }
        input.awaitReady(5, TimeUnit.SECONDS);
      }
    }
    EncoderStats stats = input.finish().get(60, TimeUnit.SECONDS); // bounded by the settings
    assertEquals(EncoderStats.Outcome.COMPLETED, stats.outcome(), stats.toString());
    assertEquals(frames, stats.deliveredCount(), stats.toString());
    assertTrue(pipeline.finish().get(10, TimeUnit.SECONDS).isComplete());
    assertTrue(stats.maxInFlight() <= settings.queueCapacity(), stats.toString());
    return sink.snapshot();
  }

  /** ffmpeg's decoded I420 frames of an Annex B file, concatenated. */
  byte[] decode(List<Sample> samples, String name) throws Exception {
    Path h264 = dir.resolve(name + ".h264");
    AnnexBSink.writeAnnexB(samples, h264);
    Path yuv = dir.resolve(name + ".yuv");
    Peers.ffmpeg("-v", "error", "-xerror", "-f", "h264", "-i", h264.toString(),
        "-f", "rawvideo", "-pix_fmt", "yuv420p", yuv.toString());
    return Files.readAllBytes(yuv);
  }

  List<Integer> keyframes(List<Sample> samples, String name) throws Exception {
    Path h264 = dir.resolve(name + ".h264");
    AnnexBSink.writeAnnexB(samples, h264);
    String csv = Peers.ffprobe("-f", "h264", "-select_streams", "v", "-show_frames",
        "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", h264.toString());
    List<Integer> keys = new ArrayList<>();
    String[] lines = csv.trim().split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].trim().startsWith("1")) {
        keys.add(i);
      }
    }
    return keys;
  }

  /**
   * The lowest PSNR of each plane (Y, U, V) over the frames, in dB: a whole-picture PSNR lets good
   * luma (two thirds of the bytes) hide broken chroma.
   */
  static double[] minPlanePsnr(byte[] decoded, int w, int h, int frames, boolean rgb) {
    int size = w * h * 3 / 2;
    int chroma = (w / 2) * (h / 2);
    assertEquals((long) frames * size, decoded.length, "decoded frame count x size");
    double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    for (int i = 0; i < frames; i++) {
      byte[] source = rgb ? TestPictures.i420FromArgb(w, h, i) : TestPictures.i420(w, h, i);
      int base = i * size;
      min[0] = Math.min(min[0], TestPictures.psnr(source, 0, decoded, base, w * h));
      min[1] = Math.min(min[1], TestPictures.psnr(source, w * h, decoded, base + w * h, chroma));
      min[2] = Math.min(min[2],
          TestPictures.psnr(source, w * h + chroma, decoded, base + w * h + chroma, chroma));
    }
    return min;
  }

  static void assertPlanesAbove(double[] minYuv, double lumaDb, double chromaDb) {
    String all = "min PSNR y/u/v " + minYuv[0] + " / " + minYuv[1] + " / " + minYuv[2];
    assertTrue(minYuv[0] > lumaDb, all);
    assertTrue(minYuv[1] > chromaDb && minYuv[2] > chromaDb, all);
  }

  @Test
  void serial_decodesToEveryFrame_closeToSource_withKeyframesAtTheInterval() throws Exception {
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(320, 240).keyframeIntervalUs(500_000).build();
    List<Sample> samples = encode(settings, 45, false);
    assertEquals(45, samples.size());
    for (int i = 0; i < samples.size(); i++) {
      assertEquals((long) i * FRAME_TICKS, samples.get(i).presentationTimeTicks());
      assertEquals(samples.get(i).presentationTimeTicks(), samples.get(i).decodeTimeTicks());
      assertEquals(i % 15 == 0, samples.get(i).isSync(), "sync flag of frame " + i);
    }
    assertEquals(List.of(0, 15, 30), keyframes(samples, "serial"));
    // Measured y/u/v 41.1 / 36.6 / 36.4 dB.
    assertPlanesAbove(minPlanePsnr(decode(samples, "serial"), 320, 240, 45, false), 35, 33);
  }

  @Test
  void oddMacroblockSize_isCroppedToThePictureSize() throws Exception {
    // 200x122 is 13x8 macroblocks: the SPS crops 8 columns and 6 rows.
    VideoEncoderSettings settings = VideoEncoderSettings.builder(200, 122).build();
    List<Sample> samples = encode(settings, 10, false);
    // Measured y/u/v 40.7 / 38.9 / 40.4 dB.
    assertPlanesAbove(minPlanePsnr(decode(samples, "cropped"), 200, 122, 10, false), 35, 33);
  }

  @Test
  void pictureOverLevel40_isAnnouncedAsLevel51_andDecodes() throws Exception {
    // 2048x1152 is 128x72 = 9216 macroblocks; a few frames keep the test quick.
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(2048, 1152)
            .finishTimeout(java.time.Duration.ofSeconds(30)) // ~0.3 s a picture on a loaded core
            .build();
    List<Sample> samples = encode(settings, 3, false);
    assertEquals(51, ((io.livemux.format.H264Format) samples.get(0).format()).levelIdc());
    double[] minYuv = minPlanePsnr(decode(samples, "level51"), 2048, 1152, 3, false);
    // Chroma has only a floor here: JCodec 0.2.5's encoder drifts from what decoders reconstruct
    // (three faults in its in-loop deblocking, see H264Codec), and on this pattern's
    // smooth chroma ramps the drift grows with the number of macroblock rows and columns. Measured
    // y/u/v 40.7 / 24.5 / 24.6 dB (U/V 28.8 at 1280x720, 36 at 320x240). The floor still catches
    // our own addressing faults: U and V swapped in the copy gives about 14 dB.
    assertPlanesAbove(minYuv, 35, 20);
  }

  @Test
  void rgbInput_isConvertedBt601LimitedRange_andDecodesCloseToTheConversion() throws Exception {
    VideoEncoderSettings settings = VideoEncoderSettings.builder(160, 96).build();
    List<Sample> samples = encode(settings, 12, true);
    // Measured y/u/v 45.2 / 37.8 / 38.9 dB.
    assertPlanesAbove(minPlanePsnr(decode(samples, "rgb"), 160, 96, 12, true), 40, 34);
  }

  @Test
  void twoThreadsWithConstantQp_produceTheSerialStreamByteForByte() throws Exception {
    VideoEncoderSettings.Builder b =
        VideoEncoderSettings.builder(320, 240).keyframeIntervalUs(300_000).queueCapacity(24)
            .finishTimeout(java.time.Duration.ofMinutes(1)); // the bytes are the point, not the bound
    List<Sample> serial = encode(b.build(), 40, false);
    List<Sample> parallel = encode(b.encoderThreads(2).build(), 40, false);
    assertEquals(serial.size(), parallel.size());
    for (int i = 0; i < serial.size(); i++) {
      assertEquals(serial.get(i).presentationTimeTicks(), parallel.get(i).presentationTimeTicks());
      assertEquals(serial.get(i).isSync(), parallel.get(i).isSync());
      assertArrayEquals(bytes(serial.get(i)), bytes(parallel.get(i)), "payload of frame " + i);
    }
  }

  @Test
  void twoThreadsWithBitrate_decodeWithSameFramesKeyframesAndQuality() throws Exception {
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(320, 240).keyframeIntervalUs(300_000).queueCapacity(24)
            .bitrateBps(1_500_000).encoderThreads(2)
            .finishTimeout(java.time.Duration.ofMinutes(1)).build();
    List<Sample> samples = encode(settings, 40, false);
    assertEquals(List.of(0, 9, 18, 27, 36), keyframes(samples, "parallel"));
    // Measured y/u/v 31.3 / 36.8 / 33.9 dB (QP chosen for 1.5 Mbit/s).
    assertPlanesAbove(minPlanePsnr(decode(samples, "parallel"), 320, 240, 40, false), 28, 30);
  }

  static byte[] bytes(Sample s) {
    ByteBuffer p = s.payload();
    byte[] b = new byte[p.remaining()];
    p.get(b);
    return b;
  }
}
