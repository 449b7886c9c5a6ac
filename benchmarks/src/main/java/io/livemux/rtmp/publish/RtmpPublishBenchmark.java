package io.livemux.rtmp.publish;

import io.livemux.benchmarks.BenchmarkMedia;
import io.livemux.benchmarks.LocalNginxRtmp;
import io.livemux.pipeline.BenchmarkTracks;
import io.livemux.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publishing as fast as the connection takes it, over loopback to a real nginx-rtmp ({@code live
 * on}, nothing recorded): 200 s of the 720p H.264 + AAC clip (the 20 s clip 10 times, 79 MB,
 * 15390 messages) per operation. {@code livemux} drives the {@link RtmpPublisher} sink directly
 * (connect, publish, every sample, unpublish); {@code ffmpeg} is the same media pushed by {@code
 * ffmpeg -stream_loop 9 -i clip.mp4 -c copy -f flv rtmp://...}, as a whole process, in the same
 * run. Both include connecting; the ratio of the two times is the figure to read. Two cores are
 * shared by the publisher and nginx, so this is a ceiling for the whole loop, not for livemux alone.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RtmpPublishBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RtmpPublishBenchmark {
  static final int LOOPS = 10;

  private Sample[] samples;
  private int[] tracks;
  private BenchmarkMedia media;
  private Path clip;
  private Path dir;
  private LocalNginxRtmp nginx;
  private int stream;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    media = BenchmarkMedia.load(20).looped(LOOPS);
    samples = media.orderSample;
    tracks = media.orderTrack;
    clip = BenchmarkMedia.clip(20);
    dir = Files.createTempDirectory("livemux-publish-bench");
    nginx = LocalNginxRtmp.start(dir);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    nginx.close();
  }

  @Benchmark
  public long livemux() throws Exception {
    RtmpPublisher publisher =
        new RtmpPublisher(RtmpPublisherOptions.forUrl(nginx.url("bench" + stream++)));
    publisher.start(BenchmarkTracks.of(media.formats()));
    for (int i = 0; i < samples.length; i++) {
      publisher.write(tracks[i], samples[i]);
    }
    publisher.finish();
    return publisher.stats().bytesSent();
  }

  @Benchmark
  public int ffmpeg() throws Exception {
    Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-stream_loop", Integer.toString(LOOPS - 1),
            "-i", clip.toString(), "-c", "copy", "-f", "flv", nginx.url("ffmpeg" + stream++))
        .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("ffmpeg exited with " + exit + ", see " + dir.resolve("ffmpeg.log"));
    }
    return exit;
  }
}
