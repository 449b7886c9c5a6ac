package io.livemux.benchmarks;

import io.livemux.encode.EncoderStats;
import io.livemux.encode.VideoEncoderInput;
import io.livemux.encode.VideoEncoderSettings;
import io.livemux.format.MediaFormat;
import io.livemux.format.RawVideoFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.TrackInfo;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * H.264 encoding speed, one operation = one picture encoded and handed to the pipeline: {@link
 * VideoEncoderInput} with one encoder thread and with two (independent GOPs in parallel, output
 * reordered), against JCodec's {@code H264Encoder.encodeFrame} called directly on pictures already
 * in its layout (the peer: what JCodec alone does on one core), all in the same run.
 *
 * <p>Each invocation encodes a 2 s clip of {@value #FRAMES} moving pictures at 30 fps, keyframe
 * every 0.5 s (4 GOPs), constant QP 24, queue 32 pictures, into a pipeline whose one lossless sink
 * discards; it includes creating the input and its bounded {@code finish()}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar VideoEncoderBenchmark -f 1 -wi 2 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class VideoEncoderBenchmark {
  static final int FRAMES = 60;
  static final int FRAME_TICKS = 3_000;
  static final int TIMESCALE = 90_000;

  @Param({"640x360", "1280x720"})
  public String size;

  private int width;
  private int height;
  private RawVideoFormat format;
  private ByteBuffer[] pictures;
  private Picture[] jcodecPictures;
  private ByteBuffer jcodecOut;

  @Setup(Level.Trial)
  public void setUp() {
    String[] wh = size.split("x");
    width = Integer.parseInt(wh[0]);
    height = Integer.parseInt(wh[1]);
    format = RawVideoFormat.yuv420p(width, height);
    pictures = new ByteBuffer[FRAMES];
    jcodecPictures = new Picture[FRAMES];
    for (int i = 0; i < FRAMES; i++) {
      byte[] i420 = pattern(width, height, i);
      pictures[i] = ByteBuffer.wrap(i420).asReadOnlyBuffer();
      Picture p = Picture.create(width, height, ColorSpace.YUV420J);
      int luma = width * height;
      int chroma = luma / 4;
      for (int k = 0; k < luma; k++) {
        p.getPlaneData(0)[k] = (byte) (i420[k] ^ 0x80);
      }
      for (int k = 0; k < chroma; k++) {
        p.getPlaneData(1)[k] = (byte) (i420[luma + k] ^ 0x80);
        p.getPlaneData(2)[k] = (byte) (i420[luma + chroma + k] ^ 0x80);
      }
      jcodecPictures[i] = p;
    }
    jcodecOut = ByteBuffer.allocate(width * height * 2);
  }

  /** Moving diagonal ramps and a moving box: different every frame, smooth like camera content. */
  static byte[] pattern(int width, int height, int frame) {
    int cw = width / 2;
    int ch = height / 2;
    byte[] p = new byte[width * height + 2 * cw * ch];
    int boxX = (frame * 7) % (width - width / 5);
    int boxY = (frame * 3) % (height - height / 5);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = 40 + triangle(x + y + frame * 4, 150);
        if (x >= boxX && x < boxX + width / 5 && y >= boxY && y < boxY + height / 5) {
          v = 225 - ((x - boxX) + (y - boxY)) / 8 % 60;
        }
        p[y * width + x] = (byte) v;
      }
    }
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        p[width * height + y * cw + x] = (byte) (64 + triangle(x * 2 + frame, 128));
        p[width * height + cw * ch + y * cw + x] = (byte) (64 + triangle(y * 2 + frame * 2, 128));
      }
    }
    return p;
  }

  private static int triangle(int t, int period) {
    int m = t % (2 * period);
    return m < period ? m : 2 * period - m;
  }

  /** A lossless sink that only counts. */
  static final class CountingSink implements SampleSink {
    long written;

    @Override
    public void start(List<TrackInfo> tracks) {}

    @Override
    public void formatChanged(int track, MediaFormat newFormat) {}

    @Override
    public void write(int track, Sample sample) {
      written++;
    }

    @Override
    public void finish() {}
  }

  private long encode(int threads) throws Exception {
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(width, height)
            .keyframeIntervalUs(500_000)
            .constantQp(24)
            .queueCapacity(32)
            .encoderThreads(threads)
            .finishTimeout(Duration.ofSeconds(60))
            .build();
    Pipeline pipeline = Pipeline.builder().addSink(new CountingSink(), SinkOptions.lossless()).build();
    VideoEncoderInput input = VideoEncoderInput.create(pipeline, settings, false);
    pipeline.start();
    for (int i = 0; i < FRAMES; i++) {
      Sample s = Sample.rawPicture(format, pictures[i], (long) i * FRAME_TICKS, TIMESCALE);
      while (input.append(s) == AppendResult.NOT_READY) {
        input.awaitReady(10, TimeUnit.SECONDS);
      }
    }
    EncoderStats stats = input.finish().get(60, TimeUnit.SECONDS);
    if (stats.deliveredCount() != FRAMES) {
      throw new IllegalStateException("not every picture was encoded: " + stats);
    }
    pipeline.finish().get(10, TimeUnit.SECONDS);
    return stats.deliveredCount();
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public long livemuxOneThread() throws Exception {
    return encode(1);
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public long livemuxTwoThreads() throws Exception {
    return encode(2);
  }

  /** The peer: JCodec's encoder alone on this thread, GOP of 15 like the others, its default rate control. */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public long jcodecAlone() {
    H264Encoder encoder = H264Encoder.createH264Encoder();
    encoder.setKeyInterval(15);
    long bytes = 0;
    for (int i = 0; i < FRAMES; i++) {
      jcodecOut.clear();
      bytes += encoder.encodeFrame(jcodecPictures[i], jcodecOut).getData().remaining();
    }
    return bytes;
  }
}
