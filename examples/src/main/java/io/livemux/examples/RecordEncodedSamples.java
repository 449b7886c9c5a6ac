package io.livemux.examples;

import io.livemux.format.VideoFormat;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Recorder;
import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.sample.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Records samples an application already has encoded (here read from an FLV file, as they would
 * come from a hardware encoder) into an MP4 that plays at every moment: written in one-second
 * fragments, finalized in place by {@code finish()}, which never takes longer than its bound.
 *
 * <pre>java io.livemux.examples.RecordEncodedSamples input.flv output.mp4</pre>
 */
public final class RecordEncodedSamples {
  private RecordEncodedSamples() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: RecordEncodedSamples INPUT.flv OUTPUT.mp4");
      System.exit(2);
    }
    try (FlvReader source = FlvReader.open(Path.of(args[0]), FlvLimits.defaults())) {
      Sample first = source.next(); // reading the first sample reads the sequence headers too
      Mp4Recorder recorder = Mp4Recorder.create(Path.of(args[1]),
          Mp4Options.defaults().withFragmentDurationUs(1_000_000).withFinishTimeout(Duration.ofSeconds(2)));
      WriterInput video = source.videoFormat() == null ? null : recorder.addTrack(source.videoFormat(), false);
      WriterInput audio = source.audioFormat() == null ? null : recorder.addTrack(source.audioFormat(), false);
      recorder.start();
      for (Sample s = first; s != null; s = source.next()) {
        WriterInput input = s.format() instanceof VideoFormat ? video : audio;
        while (input.append(s) == AppendResult.NOT_READY) {
          input.awaitReady(1, TimeUnit.SECONDS); // the disk is behind: wait, lose nothing
        }
      }
      if (video != null) {
        video.markAsFinished();
      }
      if (audio != null) {
        audio.markAsFinished();
      }
      Mp4Result result = recorder.finish().get();
      System.out.println("recorded " + result.sampleCount() + " samples, "
          + result.durationUs() / 1000 + " ms, " + result.fileBytes() + " bytes, "
          + (result.isFinalized() ? "finalized" : "fragmented") + ": " + result.path());
    }
  }
}
