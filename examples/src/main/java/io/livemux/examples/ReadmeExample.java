package io.livemux.examples;

import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.TrackInfo;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The code example of the README, kept compiling and running (ReadmeExampleTest checks that the
 * README shows exactly the lines between the README markers).
 */
public final class ReadmeExample {
  private ReadmeExample() {}

  /** A sink that only counts bytes; the mp4 and rtmp modules provide real ones. */
  static final class ByteCounter implements SampleSink {
    long bytes;

    @Override
    public void start(List<TrackInfo> tracks) {}

    @Override
    public void formatChanged(int track, MediaFormat newFormat) {}

    @Override
    public void write(int track, Sample sample) {
      bytes += sample.size();
    }

    @Override
    public void finish() {}
  }

  /** Feeds one second of stereo PCM through a pipeline; returns the bytes the sink received. */
  public static long run() throws Exception {
    ByteCounter sink = new ByteCounter();
    // README:start
    PcmFormat pcm = PcmFormat.s16le(48_000, 2);
    Pipeline pipeline = Pipeline.builder()
        .addSink(sink, SinkOptions.lossless().withName("recording"))
        .build();
    WriterInput audio = pipeline.addInput(pcm, /* realTime= */ false);
    pipeline.start();
    for (long frame = 0; frame < 48_000; frame += 1024) {
      Sample block = Sample.pcm(pcm, ByteBuffer.allocate(4096), frame); // 1024 frames, zero copy
      while (audio.append(block) == AppendResult.NOT_READY) {
        audio.awaitReady(1, TimeUnit.SECONDS); // backpressure from the lossless sink
      }
    }
    PipelineResult result = pipeline.finish().get(); // always completes within its bound (2 s)
    System.out.println(result.sink(0)); // written, dropped by reason, worst queue latency
    // README:end
    return sink.bytes;
  }

  public static void main(String[] args) throws Exception {
    System.out.println(run() + " bytes");
  }
}
