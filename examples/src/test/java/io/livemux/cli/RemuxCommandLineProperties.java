package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import net.jqwik.api.statistics.Statistics;
import picocli.CommandLine;

/**
 * The picocli-free reading of a plain {@code remux} command line ({@link RemuxCommand#parsePlain})
 * against picocli itself: whatever the fast path accepts, picocli reads the same way; what it
 * declines, picocli handles (with an error or help where the line is wrong).
 */
class RemuxCommandLineProperties {
  /** An @file picocli would read arguments from: a path other than the line's own. */
  private static final String ARGS_FILE = argsFile();

  private static String argsFile() {
    try {
      java.nio.file.Path f = java.nio.file.Files.createTempFile("livemux-args-", ".txt");
      java.nio.file.Files.writeString(f, "elsewhere.flv\n");
      f.toFile().deleteOnExit();
      return f.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Property(tries = 2000)
  void whatTheFastPathAccepts_picocliReadsTheSameWay(@ForAll("commandLines") List<String> tokens) {
    String[] args = tokens.toArray(new String[0]);
    RemuxCommand.Plain plain = RemuxCommand.parsePlain(args);
    Statistics.label("read without picocli").collect(plain != null);
    if (plain == null) {
      return; // picocli's business, as before the fast path existed
    }
    CommandLine cl = Livemux.commandLine(false, args);
    CommandLine.ParseResult parsed = cl.parseArgs(args); // throws if picocli would refuse the line
    CommandLine.ParseResult sub = parsed.subcommand();
    assertNotNull(sub, "picocli found no subcommand in " + tokens);
    assertEquals("remux", sub.commandSpec().name());
    RemuxCommand command = (RemuxCommand) sub.commandSpec().userObject();
    assertEquals(command.input, plain.input, tokens.toString());
    assertEquals(command.output, plain.output, tokens.toString());
    Remuxer.Layout layout =
        command.layout == null ? Remuxer.Layout.FINALIZED
            : command.layout.fragmented ? Remuxer.Layout.FRAGMENTED : Remuxer.Layout.FASTSTART;
    assertEquals(layout, plain.layout, tokens.toString());
    assertEquals(command.fsync, plain.fsync, tokens.toString());
    boolean verbose = parsed.hasMatchedOption("--verbose") || sub.hasMatchedOption("--verbose");
    assertEquals(verbose, plain.verbose, tokens.toString());
    assertEquals(false, sub.isUsageHelpRequested() || parsed.isUsageHelpRequested(), tokens.toString());
  }

  @Provide
  Arbitrary<List<String>> commandLines() {
    Arbitrary<String> token = Arbitraries.of(
        "remux", "remux", "in.flv", "out.mp4", "other.mp4", "--fragmented", "--faststart", "--fsync",
        "--verbose", "--help", "-h", "--", "-", "--fsync=true", "--frag", "inspect", "-V", "",
        "@@x.flv", "@" + ARGS_FILE);
    Arbitrary<List<String>> anyLine = token.list().ofMinSize(0).ofMaxSize(7);
    // Lines that start as a user types them, so that many are plain ones.
    Arbitrary<List<String>> likely = token.list().ofMinSize(0).ofMaxSize(5).map(rest -> {
      java.util.List<String> line = new java.util.ArrayList<>();
      line.add("remux");
      line.addAll(rest);
      return line;
    });
    // Near-plain lines: two paths and options in any order, an option sometimes twice.
    Arbitrary<List<String>> plain = Arbitraries.of("--fragmented", "--faststart", "--fsync", "--verbose", "--help", "@@x.flv")
        .list().ofMaxSize(3)
        .flatMap(options -> Arbitraries.shuffle(concat(options, List.of("in.flv", "out.mp4"))))
        .flatMap(rest -> Arbitraries.of(true, false).map(verboseFirst -> {
          java.util.List<String> line = new java.util.ArrayList<>();
          if (verboseFirst) {
            line.add("--verbose");
          }
          line.add("remux");
          line.addAll(rest);
          return line;
        }));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, anyLine), net.jqwik.api.Tuple.of(1, likely), net.jqwik.api.Tuple.of(3, plain));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    java.util.List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Example
  void theCommonForms_areReadWithoutPicocli() {
    RemuxCommand.Plain plain = RemuxCommand.parsePlain(new String[] {"remux", "a.flv", "b.mp4"});
    assertEquals(Path.of("a.flv"), plain.input);
    assertEquals(Path.of("b.mp4"), plain.output);
    assertEquals(Remuxer.Layout.FINALIZED, plain.layout);
    plain = RemuxCommand.parsePlain(new String[] {"--verbose", "remux", "--faststart", "a.flv", "--fsync", "b.mp4"});
    assertEquals(Remuxer.Layout.FASTSTART, plain.layout);
    assertEquals(true, plain.fsync);
    assertEquals(true, plain.verbose);
  }

  @Example
  void mistakesAndHelp_goToPicocli() {
    for (String[] args : new String[][] {
      {"remux", "a.flv"},
      {"remux", "a.flv", "b.mp4", "c.mp4"},
      {"remux", "--fragmented", "--faststart", "a.flv", "b.mp4"},
      {"remux", "--help"},
      {"remux", "a.flv", "b.mp4", "--fsync", "--fsync"},
      {"remux", "--", "a.flv", "b.mp4"},
      {"inspect", "a.flv"},
      {"remux", "@list", "b.mp4"},
      {"remux", "@@x.flv", "b.mp4"},
    }) {
      assertNull(RemuxCommand.parsePlain(args), String.join(" ", args));
    }
  }
}
