package io.livemux.cli;

import io.livemux.format.AudioFormat;
import io.livemux.format.VideoFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code livemux inspect FILE [--json]}.
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}; one call per instance.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show an MP4 or FLV file's layout, tracks, codecs, duration, fragments, keyframe spacing,"
          + " timestamp gaps and A/V start offset, and the problems found: no keyframe at the start,"
          + " decode time going backwards, gaps over 1 s, a missing moov, a cut-off box.",
      "Exits 0 when it could report (problems included), 1 when the file is not MP4 or FLV."
    })
final class InspectCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "An MP4 or FLV file.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Inspection in = Inspection.of(file);
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? json(in) : text(in));
    return 0;
  }

  static String text(Inspection in) {
    StringBuilder s = new StringBuilder();
    s.append(in.path).append(": ").append(in.container).append(", ").append(in.sizeBytes).append(" bytes\n");
    if (in.layout != null) {
      s.append("  layout: ").append(in.layout).append('\n');
    }
    if (in.fragmented != null) {
      s.append("  ").append(in.fragmented ? "fragmented, " + in.fragments + " fragments" : "not fragmented")
          .append('\n');
    }
    s.append(String.format(Locale.ROOT, "  duration: %.3f s", in.durationUs() / 1e6));
    Long offset = in.avStartOffsetUs();
    if (offset != null) {
      s.append(String.format(Locale.ROOT, ", audio starts %.3f s %s video", Math.abs(offset) / 1e6,
          offset < 0 ? "before" : "after"));
    }
    s.append('\n');
    for (TrackStats t : in.tracks) {
      s.append(String.format(Locale.ROOT, "  track %d: %s %s, %d samples, %.3f s from %.3f s, %d kb/s",
          t.index, Formats.kind(t.format), Formats.describe(t.format), t.samples, t.durationUs() / 1e6,
          t.samples == 0 ? 0.0 : t.firstPtsUs / 1e6, t.bitrateBps() / 1000));
      if (t.isVideo()) {
        s.append(", ").append(t.keyframes).append(" keyframes");
        if (t.keyIntervals > 0) {
          s.append(String.format(Locale.ROOT, " every %.3f s (%.3f..%.3f s)",
              t.sumKeyIntervalUs / 1e6 / t.keyIntervals, t.minKeyIntervalUs / 1e6, t.maxKeyIntervalUs / 1e6));
        }
      }
      s.append('\n');
    }
    if (in.problems.isEmpty()) {
      s.append("  problems: none");
    } else {
      s.append("  problems: ").append(in.problems.size());
      for (Inspection.Problem p : in.problems) {
        s.append("\n    ").append(p.code).append(": ").append(p.message);
      }
    }
    return s.toString();
  }

  static String json(Inspection in) {
    Json j = new Json().beginObject();
    j.name("file").value(in.path.toString());
    j.name("container").value(in.container.name().toLowerCase(Locale.ROOT));
    j.name("sizeBytes").value(in.sizeBytes);
    j.name("layout").value(in.layout);
    j.name("fragmented");
    if (in.fragmented == null) {
      j.nullValue();
    } else {
      j.value(in.fragmented.booleanValue());
    }
    j.name("fragments");
    if (in.fragments == null) {
      j.nullValue();
    } else {
      j.value(in.fragments.longValue());
    }
    j.name("durationS").seconds(in.durationUs());
    j.name("avStartOffsetS").seconds(in.avStartOffsetUs());
    j.name("tracks").beginArray();
    for (TrackStats t : in.tracks) {
      j.beginObject();
      j.name("index").value(t.index);
      j.name("type").value(Formats.kind(t.format));
      j.name("codec").value(Formats.codecName(t.format));
      j.name("codecString").value(Formats.codecString(t.format));
      if (t.format instanceof VideoFormat) {
        j.name("width").value(((VideoFormat) t.format).width());
        j.name("height").value(((VideoFormat) t.format).height());
      } else if (t.format instanceof AudioFormat) {
        j.name("sampleRateHz").value(((AudioFormat) t.format).sampleRateHz());
        j.name("channels").value(((AudioFormat) t.format).channelCount());
      }
      j.name("timescale").value(t.timescale);
      j.name("samples").value(t.samples);
      j.name("keyframes").value(t.keyframes);
      j.name("payloadBytes").value(t.payloadBytes);
      j.name("startS").seconds(t.samples == 0 ? null : t.firstPtsUs);
      j.name("durationS").seconds(t.durationUs());
      j.name("bitrateBps").value(t.bitrateBps());
      j.name("firstIsKeyframe").value(t.samples > 0 && t.firstIsKeyframe);
      j.name("keyframeIntervalS");
      if (t.keyIntervals == 0) {
        j.nullValue();
      } else {
        j.beginObject()
            .name("min").seconds(t.minKeyIntervalUs)
            .name("max").seconds(t.maxKeyIntervalUs)
            .name("mean").seconds(t.sumKeyIntervalUs / t.keyIntervals)
            .endObject();
      }
      j.name("gapsOver1s").value(t.gaps);
      j.name("largestGapS").seconds(t.largestGapUs);
      j.name("dtsBackwards").value(t.backwards);
      j.endObject();
    }
    j.endArray();
    j.name("problems").beginArray();
    for (Inspection.Problem p : in.problems) {
      j.beginObject().name("code").value(p.code).name("message").value(p.message).endObject();
    }
    j.endArray();
    return j.endObject().toString();
  }
}
