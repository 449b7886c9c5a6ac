package io.livemux.cli;

import io.livemux.mp4.Mp4Recovery;
import io.livemux.mp4.Mp4Result;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code livemux recover INPUT -o OUTPUT}.
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}; one call per instance.
 */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = {
      "Make a clean, finalized MP4 from a recording cut off while it was being written (a crash,"
          + " kill -9, a full disk): every complete fragment of an MP4, every whole tag of an FLV.",
      "The input is only read, never changed."
    })
final class RecoverCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "INPUT", description = "The cut-off MP4 or FLV file.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUTPUT",
      description = "The finalized MP4 to write (replaced if it exists).")
  Path output;

  @ParentCommand Livemux parent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long startNs = System.nanoTime();
    Container container = Container.of(input);
    Mp4Result result;
    long cutBytes;
    if (container == Container.MP4) {
      Remuxer.checkDistinct(input, output);
      result = Mp4Recovery.recover(input, output);
      cutBytes = -1; // Mp4Recovery does not say how much of the tail it left out
    } else {
      try (MediaSource source = MediaSource.open(input)) {
        Progress progress = new Progress(spec.commandLine().getErr(), parent.terminal, "recover");
        result = Remuxer.remux(source, input, output, Remuxer.Layout.FINALIZED, progress);
        cutBytes = source.truncatedBytes();
      }
    }
    String line = Summary.line(
        "recovered", input, container, output, Remuxer.Layout.FINALIZED, result, System.nanoTime() - startNs);
    if (cutBytes > 0) {
      line += "; left out the last " + cutBytes + " bytes (an incomplete FLV tag)";
    }
    spec.commandLine().getOut().println(line);
    return 0;
  }
}
