package io.livemux.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real peers the tests check us against (ffmpeg, ffprobe, nginx…). A missing peer fails the
 * test with the command that installs it; it never skips.
 *
 * <p>Output goes to temporary files, not pipes, so a chatty child can never block on a full pipe.
 */
public final class Peers {
  private Peers() {}

  /** What a finished child process printed and its exit code. */
  public static final class Result {
    public final int exitCode;
    public final String stdout;
    public final String stderr;
    public final byte[] stdoutBytes;

    Result(int exitCode, byte[] stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdoutBytes = stdout;
      this.stdout = new String(stdout, StandardCharsets.UTF_8);
      this.stderr = stderr;
    }
  }

  /** The absolute path of {@code program} on PATH, or an AssertionError saying how to install it. */
  public static Path require(String program, String debianPackage) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir, program);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin"}) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        program + " is not installed, and this test needs the real one: run"
            + " `apt-get update && apt-get install -y " + debianPackage + "`");
  }

  public static Path ffmpeg() {
    return require("ffmpeg", "ffmpeg");
  }

  public static Path ffprobe() {
    return require("ffprobe", "ffmpeg");
  }

  /** Runs a command to completion within {@code timeout}; kills it and fails if it takes longer. */
  public static Result run(Duration timeout, List<String> command) throws IOException {
    Path out = Files.createTempFile("peer-out", ".bin");
    Path err = Files.createTempFile("peer-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      boolean exited;
      try {
        exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + command, e);
      }
      if (!exited) {
        process.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
      }
      return new Result(
          process.exitValue(),
          Files.readAllBytes(out),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Runs a command and fails the test, with its stderr, unless it exits 0. */
  public static Result check(Duration timeout, List<String> command) throws IOException {
    Result result = run(timeout, command);
    if (result.exitCode != 0) {
      throw new AssertionError(
          "exit " + result.exitCode + ": " + String.join(" ", command) + "\n" + tail(result.stderr));
    }
    return result;
  }

  /** {@code ffmpeg -hide_banner -nostdin -y ARGS}, which must succeed within 120 s. */
  public static Result ffmpeg(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ffmpeg().toString());
    command.addAll(Arrays.asList("-hide_banner", "-nostdin", "-y"));
    command.addAll(Arrays.asList(args));
    return check(Duration.ofSeconds(120), command);
  }

  /** {@code ffprobe -v error ARGS}, which must succeed within 60 s; returns its stdout. */
  public static String ffprobe(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ffprobe().toString());
    command.addAll(Arrays.asList("-v", "error"));
    command.addAll(Arrays.asList(args));
    return check(Duration.ofSeconds(60), command).stdout;
  }

  /**
   * The first video (or audio) stream's fields as ffprobe reports them, e.g. {@code width},
   * {@code coded_height}, {@code profile}, {@code level}, {@code pix_fmt}, {@code r_frame_rate}.
   */
  public static Map<String, String> ffprobeStream(Path file, String selector) throws IOException {
    String text =
        ffprobe(
            "-select_streams", selector, "-show_streams", "-of", "default=noprint_wrappers=1",
            file.toString());
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    if (fields.isEmpty()) {
      throw new AssertionError("ffprobe found no stream " + selector + " in " + file);
    }
    return fields;
  }

  /** {@code ffmpeg -f framemd5} of the selected stream: one line per decoded frame, headers dropped. */
  public static List<String> framemd5(Path file, String map) throws IOException {
    Result result = ffmpeg("-i", file.toString(), "-map", map, "-f", "framemd5", "-");
    List<String> frames = new ArrayList<>();
    for (String line : result.stdout.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        frames.add(line);
      }
    }
    return frames;
  }

  /**
   * What each decoded frame of {@code map} is, from {@link #framemd5}: {@code "pts size md5"}, or
   * {@code "size md5"} when {@code withPts} is false (for audio from FLV, whose whole-millisecond
   * times ffmpeg turns into sample counts differently per container, and for outputs whose clock
   * starts elsewhere).
   */
  public static List<String> decodedFrames(Path file, String map, boolean withPts) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : framemd5(file, map)) {
      String[] f = line.split(",");
      out.add((withPts ? f[2].trim() + " " : "") + f[4].trim() + " " + f[5].trim());
    }
    return out;
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
  }
}
