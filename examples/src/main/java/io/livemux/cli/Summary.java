package io.livemux.cli;

import io.livemux.mp4.Mp4Result;
import java.nio.file.Path;
import java.util.Locale;

/** The one line a command prints when it has written a file. Stateless. */
final class Summary {
  private Summary() {}

  static String line(
      String verb, Path input, Container container, Path output, Remuxer.Layout layout, Mp4Result result,
      long elapsedNs) {
    StringBuilder s = new StringBuilder();
    s.append(verb).append(' ').append(input).append(" (").append(container).append(") -> ").append(output)
        .append(": ").append(layout.name().toLowerCase(Locale.ROOT)).append(" MP4, ");
    for (int i = 0; i < result.tracks().size(); i++) {
      Mp4Result.TrackSummary t = result.tracks().get(i);
      s.append(i == 0 ? "" : ", ").append(Formats.describe(t.format())).append(' ')
          .append(t.sampleCount()).append(" samples");
    }
    double seconds = elapsedNs / 1e9;
    long bytes = output.toFile().length();
    s.append("; ").append(Formats.decimal(result.durationUs() / 1e6, 2)).append(" s of media, ")
        .append(Formats.decimal(bytes / 1e6, 1)).append(" MB in ").append(Formats.decimal(seconds, 2))
        .append(" s");
    return s.toString();
  }
}
