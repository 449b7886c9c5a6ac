package io.livemux.cli;

import io.livemux.LivemuxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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

  /**
   * A failed command: its reason in one line (and the stack trace with --verbose); exit code 1.
   * A failure that reached us through a future (ExecutionException, CompletionException) is
   * reported by its cause: the wrapper only says which thread it happened on.
   */
  private static int failed(Exception e, boolean verbose, PrintWriter errWriter) {
    errWriter.println("livemux: " + reason(e, verbose));
    if (verbose) {
      e.printStackTrace(errWriter);
    }
    return EXIT_FAILURE;
  }

  /** The first cause under any ExecutionException and CompletionException wrappers. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Usage errors found after parsing (a value out of range, a malformed URL): picocli reports them
   * like its own, in one line with exit code 2.
   */
  static CommandLine.ParameterException usage(CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * Checks, before anything is opened or started, that {@code output} may be written for {@code
   * input}: not the input itself ({@link Remuxer#checkDistinct}), not a directory, in a directory
   * that exists. {@code input} may be null (nothing read).
   */
  static void checkOutput(Path input, Path output) throws IOException {
    if (input != null) {
      Remuxer.checkDistinct(input, output);
    } else if (Files.isDirectory(output)) {
      throw new LivemuxException("the output " + output + " is a directory");
    }
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new LivemuxException("cannot write " + output + ": "
          + (Files.exists(parent) ? parent + " is not a directory" : "the directory " + parent + " does not exist"));
    }
  }

  /** An empty file name on the command line would name the current directory: a usage error. */
  static void checkNotEmpty(CommandSpec spec, String label, Path path) {
    if (path != null && path.toString().isEmpty()) {
      throw usage(spec, label + " is an empty name");
    }
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
    return reason(e, false);
  }

  /** As {@link #reason(Throwable)}; {@code verbose}: the stack trace follows, so no hint to ask for it. */
  static String reason(Throwable e, boolean verbose) {
    e = unwrap(e);
    if (e instanceof FileSystemException) {
      return describe((FileSystemException) e); // the JDK's message, "x.wav", alone says nothing
    }
    if (e instanceof UnresolvedAddressException) {
      return "cannot resolve a host name";
    }
    if (e instanceof IOException && e.getMessage() != null) {
      return withoutJavaNames(e, oneLine(e.getMessage()));
    }
    if (e instanceof IllegalArgumentException && e.getMessage() != null) {
      return oneLine(e.getMessage());
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage() + "); give Java more with JAVA_OPTS=-Xmx...";
    }
    return "internal error: " + oneLine(String.valueOf(e))
        + (verbose ? "" : " (run with --verbose for the stack trace)");
  }

  /**
   * Our messages sometimes end with a JDK cause's toString ("...: java.nio.file.NoSuchFileException:
   * /x/y.mp4"): that part is replaced by what the cause means, without the class name.
   */
  private static String withoutJavaNames(Throwable e, String message) {
    String m = message;
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      String raw = c.toString();
      if (!c.getClass().getName().startsWith("java.") || !m.contains(raw)) {
        continue;
      }
      String plain = c instanceof FileSystemException ? describe((FileSystemException) c)
          : c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
      m = m.replace(raw, plain);
    }
    return m;
  }

  /** A JDK file error as "FILE: what happened" (the JDK's text, or a plain one for its classes). */
  static String describe(FileSystemException e) {
    String what = e.getReason();
    if (what == null) {
      what = e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof AccessDeniedException ? "permission denied"
          : e instanceof FileAlreadyExistsException ? "already exists"
          : e instanceof NotDirectoryException ? "not a directory"
          : e instanceof DirectoryNotEmptyException ? "directory not empty"
          : "cannot be used";
    }
    String file = e.getFile() == null ? "" : e.getFile();
    String other = e.getOtherFile() == null ? "" : " -> " + e.getOtherFile();
    return (file + other).isEmpty() ? what : file + other + ": " + what;
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
