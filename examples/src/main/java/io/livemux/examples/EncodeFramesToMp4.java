package io.livemux.examples;

import io.livemux.encode.VideoEncoderInput;
import io.livemux.encode.VideoEncoderSettings;
import io.livemux.format.RawVideoFormat;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Recorder;
import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.AppendResult;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Encodes raw frames an application draws (here a gradient with a moving bar, in I420) to H.264
 * with JCodec, once, and records them to an MP4 that plays at every moment. The encoder input has
 * its own bounded queue: {@code NOT_READY} means the encoder is behind, so the producer waits.
 *
 * <pre>java io.livemux.examples.EncodeFramesToMp4 output.mp4</pre>
 */
public final class EncodeFramesToMp4 {
  private EncodeFramesToMp4() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: EncodeFramesToMp4 OUTPUT.mp4");
      System.exit(2);
    }
    int width = 320;
    int height = 240;
    int fps = 25;
    VideoEncoderSettings settings = VideoEncoderSettings.builder(width, height)
        .keyframeIntervalUs(1_000_000) // a keyframe every second
        .build();
    Mp4Recorder recorder = Mp4Recorder.create(Path.of(args[0]), Mp4Options.defaults());
    VideoEncoderInput video =
        VideoEncoderInput.create(recorder.addTrack(VideoEncoderInput.formatFor(settings), false), settings);
    recorder.start();

    RawVideoFormat raw = RawVideoFormat.yuv420p(width, height);
    for (int frame = 0; frame < 3 * fps; frame++) {
      Sample picture = Sample.rawPicture(raw, draw(width, height, frame), frame, fps);
      while (video.append(picture) == AppendResult.NOT_READY) {
        video.awaitReady(1, TimeUnit.SECONDS);
      }
    }
    video.finish().get(); // every picture encoded and handed to the recorder
    Mp4Result result = recorder.finish().get();
    System.out.println("encoded " + result.sampleCount() + " frames, " + result.durationUs() / 1000
        + " ms, " + result.fileBytes() + " bytes: " + result.path());
  }

  /** A luma gradient with a bright bar moving right, neutral chroma (I420: Y, then U, then V). */
  static ByteBuffer draw(int width, int height, int frame) {
    byte[] picture = new byte[width * height * 3 / 2];
    int bar = (frame * 4) % width;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        picture[y * width + x] = (byte) (Math.abs(x - bar) < 8 ? 235 : 16 + (x + y) * 200 / (width + height));
      }
    }
    java.util.Arrays.fill(picture, width * height, picture.length, (byte) 128);
    return ByteBuffer.wrap(picture);
  }
}
