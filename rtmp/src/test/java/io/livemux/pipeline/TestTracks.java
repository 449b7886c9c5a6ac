package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The track list a pipeline hands its sinks, for tests that drive a sink directly (fast, many
 * tries); the interop tests run the real {@link Pipeline}. Lives in this package because {@link
 * TrackInfo}'s constructor is the pipeline's own.
 */
public final class TestTracks {
  private TestTracks() {}

  /** Track i has formats[i], not real-time. */
  public static List<TrackInfo> of(MediaFormat... formats) {
    List<TrackInfo> tracks = new ArrayList<>();
    for (int i = 0; i < formats.length; i++) {
      tracks.add(new TrackInfo(i, formats[i], false));
    }
    return tracks;
  }
}
