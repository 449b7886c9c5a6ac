package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link TrackInfo} list a {@link Pipeline} would hand its sinks, so a benchmark can
 * drive a {@link SampleSink} (such as {@code Mp4Writer}) directly, without a pipeline's queue and
 * worker thread in the way. Lives in the benchmarks module only (a split package on the class
 * path); the library's constructor stays package-private.
 */
public final class BenchmarkTracks {
  private BenchmarkTracks() {}

  /** One non-real-time track per format, indexed in list order. */
  public static List<TrackInfo> of(List<MediaFormat> formats) {
    List<TrackInfo> infos = new ArrayList<>(formats.size());
    for (int i = 0; i < formats.size(); i++) {
      infos.add(new TrackInfo(i, formats.get(i), false));
    }
    return infos;
  }
}
