package io.livemux.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code livemux} command: {@code remux}, {@code recover} and {@code inspect} MP4 and FLV files.
 *
 * <p>Exit codes: 0 done; 1 the work failed (a one-line reason on stderr; the stack trace too with
 * {@code --verbose}); 2 the command line was wrong (a one-line reason and where to find the usage).
 *
 * <p><b>Threads.</b> {@link #main} and {@link #execute} run one command on the calling thread
 * (the MP4 writer has its own); each call builds its own command objects, so calls from several
 * threads do not share state.
 */
@Command(
    name = "livemux",
    mixinStandardHelpOptions = true,
    versionProvider = Livemux.Version.class,
    description = "Stream and record live media: a demo, an RTMP ingest server, a real-time publisher, and remux, recover and inspect for MP4 and FLV files.",
    synopsisSubcommandLabel = "COMMAND")
public final class Livemux implements Callable<Integer> {
  /** Usage errors: the command line itself was wrong. */
  static final int EXIT_USAGE = 2;
  /** The work failed: a missing or bad file, a full disk. */
  static final int EXIT_FAILURE = 1;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On failure, also print the stack trace.")
  boolean verbose;

  @Spec CommandSpec spec;

  /**
   * The commands, by name. Only the one named on the command line is given to picocli (building
   * a command's model by reflection is a noticeable part of a short run's start-up); all of them
   * when none is named, so that help and the errors list them.
   */
  private static final String[] COMMANDS = {"demo", "serve", "publish", "remux", "recover", "inspect", "encode-audio"};

  private static Object command(String name) {
    switch (name) {
      case "demo":
        return new DemoCommand();
      case "serve":
        return new ServeCommand();
      case "encode-audio":
        return new EncodeAudioCommand();
      case "publish":
        return new PublishCommand();
      case "remux":
        return new RemuxCommand();
      case "recover":
        return new RecoverCommand();
      case "inspect":
        return new InspectCommand();
      default:
        throw new IllegalArgumentException("no command " + name);
    }
  }

  /** True when progress may be drawn (the streams are a terminal). */
  boolean terminal;

  private Livemux(boolean terminal) {
    this.terminal = terminal;
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int code = execute(stdout, stderr, Progress.isTerminal(), args);
    System.exit(code);
  }

  /** Runs {@code args} and returns the exit code; for tests, with no progress bar. */
  static int execute(PrintStream out, PrintStream err, String... args) {
    return execute(out, err, false, args);
  }

  static int execute(PrintStream out, PrintStream err, boolean terminal, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    // The library logs a failing sink with its stack trace; the command line reports failures
    // itself, in one line, so library logging is off unless --verbose (set before any logger exists).
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    RemuxCommand.Plain plain = RemuxCommand.parsePlain(args);
    if (plain != null) {
      try {
        return RemuxCommand.run(
            plain.input, plain.output, plain.layout, plain.fsync, outWriter, errWriter, terminal);
      } catch (Exception e) {
        return failed(e, verbose, errWriter);
      } finally {
        outWriter.flush();
        errWriter.flush();
      }
    }
    CommandLine cl = commandLine(terminal, args);
    cl.setOut(outWriter);
    cl.setErr(errWriter);
    cl.setParameterExceptionHandler((e, a) -> {
      CommandLine failed = e.getCommandLine();
      String name = failed.getCommandSpec().qualifiedName();
      errWriter.println(name + ": " + oneLine(e.getMessage()).replaceFirst("^Error: ", "") + " (see `" + name + " --help`)");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((e, failed, parseResult) -> failed(e, verbose, errWriter));
    try {
      return cl.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  /** A failed command: its reason in one line (and the stack trace with --verbose); exit code 1. */
  private static int failed(Exception e, boolean verbose, PrintWriter errWriter) {
    errWriter.println("livemux: " + reason(e));
    if (verbose) {
      e.printStackTrace(errWriter);
    }
    return EXIT_FAILURE;
  }

  /** The picocli command line for {@code args}, with only the command they name (all if none). */
  static CommandLine commandLine(boolean terminal, String... args) {
    CommandLine cl = new CommandLine(new Livemux(terminal));
    String named = null;
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        named = Arrays.asList(COMMANDS).contains(arg) ? arg : null;
        break;
      }
    }
    for (String name : COMMANDS) {
      if (named == null || named.equals(name)) {
        cl.addSubcommand(name, command(name));
      }
    }
    return cl;
  }

  /** Without a command: the usage, and exit code 2. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing a command: demo, serve, publish, remux, recover, inspect or encode-audio");
  }

  /** A failure's reason in one line: our exceptions' messages are written for the user. */
  static String reason(Throwable e) {
    if (e instanceof IOException && e.getMessage() != null) {
      return oneLine(e.getMessage());
    }
    if (e instanceof IllegalArgumentException && e.getMessage() != null) {
      return oneLine(e.getMessage());
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage() + "); give Java more with JAVA_OPTS=-Xmx...";
    }
    return "internal error: " + oneLine(String.valueOf(e)) + " (run with --verbose for the stack trace)";
  }

  private static String oneLine(String message) {
    String m = message == null ? "" : message.trim();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).trim();
  }

  /** The version from the build (filtered into version.properties). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Livemux.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "livemux " + p.getProperty("version", "(unknown version)"),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
