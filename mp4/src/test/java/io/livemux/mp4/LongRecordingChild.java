package io.livemux.mp4;

import io.livemux.codec.RealParameterSets;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Records HOURS of 30 fps H.264 + 48 kHz AAC (synthetic payloads, as fast as the disk allows) to
 * OUT, then prints the result: run with a small heap to show memory does not grow with length.
 */
public final class LongRecordingChild {
  private LongRecordingChild() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    double hours = Double.parseDouble(args[1]);
    H264Format h264 = H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    AacFormat aac = AacFormat.of(48_000, 2);
    ByteBuffer frame = ByteBuffer.allocate(2000).putInt(0, 1996).asReadOnlyBuffer();
    ByteBuffer audioFrame = ByteBuffer.allocate(300).asReadOnlyBuffer();
    Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults());
    WriterInput video = recorder.addTrack(h264, false);
    WriterInput audio = recorder.addTrack(aac, false);
    recorder.start();
    long videoFrames = (long) (hours * 3600 * 30);
    long audioFrame48k = 0;
    for (long n = 0; n < videoFrames; n++) {
      long dts = n * 3000;
      append(video, Sample.builder(h264).decodeTimeTicks(dts).presentationTimeTicks(dts).durationTicks(3000)
          .flags(n % 60 == 0 ? Sample.FLAG_SYNC : 0).payload(frame).build());
      // Audio up to this video frame's time (in 48 kHz ticks: 1600 per frame at 30 fps).
      while (audioFrame48k * 1024 < (n + 1) * 1600) {
        append(audio, Sample.builder(aac).presentationTimeTicks(audioFrame48k * 1024).durationTicks(1024)
            .payload(audioFrame).build());
        audioFrame48k++;
      }
    }
    Mp4Result result = recorder.finish().get(60, TimeUnit.SECONDS);
    System.out.println("samples " + result.tracks().get(0).sampleCount() + " " + result.tracks().get(1).sampleCount()
        + " finalized " + result.isFinalized() + " maxHeapMb "
        + Runtime.getRuntime().maxMemory() / (1 << 20));
  }

  private static void append(WriterInput input, Sample s) throws InterruptedException {
    while (input.append(s) == AppendResult.NOT_READY) {
      input.awaitReady(10, TimeUnit.SECONDS);
    }
  }
}
