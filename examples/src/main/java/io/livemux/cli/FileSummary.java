package io.livemux.cli;

import io.livemux.format.VideoFormat;
import io.livemux.mp4.Mp4Exception;
import io.livemux.mp4.Mp4Reader;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One line about a finished MP4: its duration, video frames, audio frames and size, read back with {@link Mp4Reader}. */
final class FileSummary {
  private FileSummary() {}

  static String of(Path mp4) throws IOException {
    long videoFrames = 0;
    long audioFrames = 0;
    long endUs = 0;
    try (Mp4Reader reader = Mp4Reader.open(mp4)) {
      while (reader.advance()) {
        Sample s = reader.sample();
        if (reader.format(reader.track()) instanceof VideoFormat) {
          videoFrames++;
        } else {
          audioFrames++;
        }
        long end = (s.presentationTimeTicks() + (s.hasDuration() ? s.durationTicks() : 0)) * 1_000_000 / s.timescale();
        endUs = Math.max(endUs, end);
      }
    } catch (Mp4Exception e) {
      throw new Mp4Exception("cannot read back " + mp4 + ": " + e.getMessage(), e);
    }
    return String.format(Locale.ROOT, "%s: %.2f s, %d video frames, %d audio frames, %,d bytes",
        mp4, endUs / 1e6, videoFrames, audioFrames, Files.size(mp4));
  }
}
