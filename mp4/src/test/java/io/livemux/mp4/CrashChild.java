package io.livemux.mp4;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recording process for the crash tests: records SOURCE to OUT in short fragments, forever
 * (looping the source with growing timestamps), and prints "published N" each time a fragment
 * holding N video samples in all has been published. The parent kills it with SIGKILL.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    List<SourceMedia.SourceTrack> source = SourceMedia.read(Path.of(args[0]));
    Mp4Recorder recorder =
        Mp4Recorder.create(Path.of(args[1]), Mp4Options.defaults().withFragmentDurationUs(200_000));
    List<WriterInput> inputs = new ArrayList<>();
    for (SourceMedia.SourceTrack t : source) {
      inputs.add(recorder.addTrack(t.format, false));
    }
    recorder.start();
    long published = -1;
    for (int loop = 0; ; loop++) {
      int[] next = new int[source.size()];
      while (true) {
        int best = SourceMedia.nextTrack(source, next);
        if (best < 0) {
          break;
        }
        Sample s = shifted(source.get(best), next[best]++, loop);
        while (inputs.get(best).append(s) == AppendResult.NOT_READY) {
          inputs.get(best).awaitReady(10, TimeUnit.SECONDS);
        }
        Mp4Result progress = recorder.progress();
        if (!progress.tracks().isEmpty() && progress.tracks().get(0).sampleCount() != published) {
          published = progress.tracks().get(0).sampleCount();
          System.out.println("published " + published);
          System.out.flush();
        }
      }
    }
  }

  /** Sample {@code i} of the track, {@code loop} source-lengths later. */
  private static Sample shifted(SourceMedia.SourceTrack track, int i, int loop) {
    Sample s = track.samples.get(i);
    Sample last = track.samples.get(track.samples.size() - 1);
    long length = last.decodeTimeTicks() + last.durationTicks() - track.samples.get(0).decodeTimeTicks();
    return s.shiftedBy(length * loop);
  }
}
