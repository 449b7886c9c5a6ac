package io.livemux.cli;

import io.livemux.mp4.Mp4Result;
import java.nio.file.Path;
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
    Remuxer.Layout chosen =
        layout == null ? Remuxer.Layout.FINALIZED
            : layout.fragmented ? Remuxer.Layout.FRAGMENTED : Remuxer.Layout.FASTSTART;
    long startNs = System.nanoTime();
    Container container;
    Mp4Result result;
    try (MediaSource source = MediaSource.open(input)) {
      container = source.container();
      Progress progress = new Progress(spec.commandLine().getErr(), parent.terminal, "remux");
      result = Remuxer.remux(source, input, output, chosen, fsync, progress);
    }
    spec.commandLine().getOut().println(
        Summary.line("remuxed", input, container, output, chosen, result, System.nanoTime() - startNs));
    return 0;
  }
}
