package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.mp4.Mp4Exception;
import io.livemux.mp4.Mp4Reader;
import io.livemux.mp4.Mp4Recovery;
import io.livemux.mp4.Mp4Result;
import java.io.IOException;
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
    Livemux.checkNotEmpty(spec, "INPUT", input);
    Livemux.checkNotEmpty(spec, "--output", output);
    long startNs = System.nanoTime();
    Container container = Container.of(input);
    Livemux.checkOutput(input, output);
    Mp4Result result;
    long cutBytes;
    if (container == Container.MP4) {
      checkSomethingToRecover(input);
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

  /**
   * A recording cut after its header but before its first whole fragment has no sample to
   * recover: refused before the output is created, rather than written as an empty movie.
   */
  private static void checkSomethingToRecover(Path input) throws IOException {
    try (Mp4Reader reader = Mp4Reader.open(input)) {
      for (int t = 0; t < reader.trackCount(); t++) {
        if (reader.sampleCount(t) > 0) {
          return;
        }
      }
      throw new LivemuxException("nothing to recover in " + input + ": its header is there, but no whole"
          + " fragment after it (the recording was cut before its first fragment was written)");
    } catch (Mp4Exception e) {
      return; // Mp4Recovery reports a missing header or damage itself, naming the file
    }
  }
}
