package io.livemux.cli;

import io.livemux.mp4.Mp4Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code livemux remux INPUT OUTPUT [--fragmented | --faststart] [--fsync]}.
 *
 * <p>Like {@code cp} and {@code ffmpeg -c copy}, it leaves the output in the operating system's
 * cache unless {@code --fsync} asks it to wait until the file is on the device: the output is
 * derived data that a power loss in the next seconds could cost, and the input is still there to
 * make it again. (The recorder, whose input is live and cannot be made again, always syncs.)
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}; one call per instance.
 */
@Command(
    name = "remux",
    mixinStandardHelpOptions = true,
    description = {
      "Copy the audio and video of an FLV or MP4 file (told by its content) into an MP4, without"
          + " re-encoding.",
      "The output is a finalized hybrid MP4 unless --fragmented or --faststart says otherwise."
    })
final class RemuxCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "INPUT", description = "An FLV or MP4 file.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUTPUT", description = "The MP4 to write (replaced if it exists).")
  Path output;

  @ArgGroup(exclusive = true)
  LayoutOption layout;

  @Option(
      names = "--fsync",
      description = "Wait until the output is on the storage device before exiting (safe against a"
          + " power loss; slower by the time the device takes to write the file).")
  boolean fsync;

  @ParentCommand Livemux parent;

  @Spec CommandSpec spec;

  /** At most one layout. */
  static final class LayoutOption {
    @Option(names = "--fragmented", description = "Leave the MP4 fragmented (moof+mdat, with an mfra index).")
    boolean fragmented;

    @Option(names = "--faststart", description = "Put the moov first, for progressive download.")
    boolean faststart;
  }

  @Override
  public Integer call() throws Exception {
    Livemux.checkNotEmpty(spec, "INPUT", input);
    Livemux.checkNotEmpty(spec, "OUTPUT", output);
    Remuxer.Layout chosen =
        layout == null ? Remuxer.Layout.FINALIZED
            : layout.fragmented ? Remuxer.Layout.FRAGMENTED : Remuxer.Layout.FASTSTART;
    return run(input, output, chosen, fsync, spec.commandLine().getOut(), spec.commandLine().getErr(),
        parent.terminal);
  }

  /** The command itself, however its line was parsed: prints the summary line, returns 0. */
  static int run(Path input, Path output, Remuxer.Layout layout, boolean fsync, PrintWriter out,
      PrintWriter err, boolean terminal) throws IOException {
    long startNs = System.nanoTime();
    Container container;
    Mp4Result result;
    String cut;
    try (MediaSource source = MediaSource.open(input)) {
      container = source.container();
      Livemux.checkOutput(input, output);
      Progress progress = new Progress(err, terminal, "remux");
      result = Remuxer.remux(source, input, output, layout, fsync, progress);
      cut = source.cutOff();
    }
    out.println(Summary.line("remuxed", input, container, output, layout, result, System.nanoTime() - startNs));
    if (cut != null) {
      long samples = 0;
      for (Mp4Result.TrackSummary t : result.tracks()) {
        samples += t.sampleCount();
      }
      err.println("livemux: warning: " + input + " ends inside " + cut + ": the " + samples
          + " samples before it were remuxed");
    }
    return 0;
  }

  /**
   * A plain {@code remux} command line, parsed without picocli, or null for anything else.
   *
   * <p>picocli builds a command's model by reflection over its annotations, about 90 ms of a JVM's
   * start here: as long as copying a few hundred megabytes, which a remux is. So the common form,
   * {@code [--verbose] remux [--fragmented | --faststart] [--fsync] [--verbose] INPUT OUTPUT} with
   * each option at most once, is read here; everything else (help, a mistake, {@code --}, {@code
   * --opt=value}, abbreviations) returns null and goes to picocli, which says what was wrong. A
   * property test checks that whatever this accepts, picocli reads the same way.
   */
  static Plain parsePlain(String[] args) {
    int at = 0;
    boolean verbose = false;
    if (at < args.length && args[at].equals("--verbose")) {
      verbose = true;
      at++;
    }
    if (at >= args.length || !args[at].equals("remux")) {
      return null;
    }
    at++;
    boolean fragmented = false;
    boolean faststart = false;
    boolean fsync = false;
    List<Path> paths = new ArrayList<>(2);
    for (; at < args.length; at++) {
      String a = args[at];
      if (a.startsWith("@")) {
        return null; // picocli reads @file arguments from the file (and @@x as @x)
      }
      if (a.startsWith("-")) {
        if (a.equals("--fragmented") && !fragmented && !faststart) {
          fragmented = true;
        } else if (a.equals("--faststart") && !faststart && !fragmented) {
          faststart = true;
        } else if (a.equals("--fsync") && !fsync) {
          fsync = true;
        } else if (a.equals("--verbose") && !verbose) {
          verbose = true;
        } else {
          return null;
        }
      } else if (paths.size() == 2 || a.isEmpty()) {
        return null;
      } else {
        try {
          paths.add(Paths.get(a));
        } catch (InvalidPathException e) {
          return null; // picocli names the bad value
        }
      }
    }
    if (paths.size() != 2) {
      return null;
    }
    Remuxer.Layout layout =
        fragmented ? Remuxer.Layout.FRAGMENTED : faststart ? Remuxer.Layout.FASTSTART : Remuxer.Layout.FINALIZED;
    return new Plain(paths.get(0), paths.get(1), layout, fsync, verbose);
  }

  /** What a plain command line asked for. Immutable. */
  static final class Plain {
    final Path input;
    final Path output;
    final Remuxer.Layout layout;
    final boolean fsync;
    final boolean verbose;

    Plain(Path input, Path output, Remuxer.Layout layout, boolean fsync, boolean verbose) {
      this.input = input;
      this.output = output;
      this.layout = layout;
      this.fsync = fsync;
      this.verbose = verbose;
    }

    @Override
    public String toString() {
      return "remux " + input + " " + output + " " + layout + (fsync ? " fsync" : "") + (verbose ? " verbose" : "");
    }
  }
}
