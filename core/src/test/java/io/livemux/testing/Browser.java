package io.livemux.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plays files in Debian's Chromium through tools/browser/play.js (playwright-core), and returns
 * its one-line JSON verdict per file. Missing pieces fail the test with how to install them.
 */
public final class Browser {
  private Browser() {}

  private static Path tools() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("tools/browser"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("tools/browser not found above " + Path.of("").toAbsolutePath());
    }
    Path tools = dir.resolve("tools/browser");
    if (!Files.isDirectory(tools.resolve("node_modules/playwright-core"))) {
      throw new AssertionError(
          "playwright-core is not installed: run `npm ci --prefix " + tools + "` (bash .ci/run does)");
    }
    return tools;
  }

  /** {@code <video>} playback of finished files: one JSON object per file. */
  public static List<String> playElement(Path... files) throws IOException {
    return run("element", null, files);
  }

  /** Media Source Extensions playback of fragmented files with {@code mime}. */
  public static List<String> playMse(String mime, Path... files) throws IOException {
    return run("mse", mime, files);
  }

  private static List<String> run(String mode, String mime, Path... files) throws IOException {
    Path tools = tools();
    Peers.require("chromium", "chromium");
    List<String> command = new ArrayList<>();
    command.add(Peers.require("node", "nodejs").toString());
    command.add(tools.resolve("play.js").toString());
    command.add(mode);
    if (mime != null) {
      command.add(mime);
    }
    for (Path f : files) {
      command.add(f.toAbsolutePath().toString());
    }
    Peers.Result result = Peers.check(Duration.ofSeconds(120), command);
    List<String> lines = new ArrayList<>(Arrays.asList(result.stdout.trim().split("\n")));
    if (lines.size() != files.length) {
      throw new AssertionError("expected " + files.length + " results, got: " + result.stdout + result.stderr);
    }
    return lines;
  }
}
