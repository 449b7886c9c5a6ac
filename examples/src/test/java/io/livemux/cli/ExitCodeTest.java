package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages: 1 and one line for a failure, 2 for a wrong command line, 0 for help. */
class ExitCodeTest {
  @TempDir Path dir;

  @Test
  void missingFile_exits1_withOneLineNamingIt() {
    Path missing = dir.resolve("missing.flv");
    for (String[] args : new String[][] {
        {"remux", missing.toString(), dir.resolve("out.mp4").toString()},
        {"recover", missing.toString(), "-o", dir.resolve("out.mp4").toString()},
        {"inspect", missing.toString()}}) {
      Cli.Run run = Cli.run(args);
      assertEquals(1, run.exitCode, run.toString());
      assertEquals("livemux: " + missing + ": no such file\n", run.stderr);
      assertEquals("", run.stdout);
    }
    assertTrue(Files.notExists(dir.resolve("out.mp4")), "no output for a failed command");
  }

  @Test
  void fileThatIsNeitherMp4NorFlv_exits1_withOneLine() throws IOException {
    Path text = dir.resolve("notes.mp4");
    Files.writeString(text, "not a video\n");
    Cli.Run run = Cli.run("remux", text.toString(), dir.resolve("out.mp4").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: " + text + " is not an MP4 or FLV file (its first bytes are neither)\n", run.stderr);
  }

  @Test
  void corruptFlv_exits1_withOneLine_andTheStackTraceOnlyWhenVerbose() throws IOException {
    byte[] flv = Files.readAllBytes(Sources.flv(4));
    int tag = FlvTags.tagOffset(flv, 20);
    for (int i = tag; i < tag + 11; i++) {
      flv[i] = (byte) 0xFF; // the 21st tag's header: reserved bits, an absurd size
    }
    Path corrupt = dir.resolve("corrupt.flv");
    Files.write(corrupt, flv);
    Path out = dir.resolve("out.mp4");
    Cli.Run run = Cli.run("remux", corrupt.toString(), out.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: " + corrupt + ": FLV: tag at offset " + tag + ": Reserved bits set in 0xff\n", run.stderr);
    assertEquals(1, run.stderr.split("\n").length, run.stderr);
    assertTrue(Files.notExists(out), "the partial output is removed");

    Cli.Run verbose = Cli.run("remux", "--verbose", corrupt.toString(), out.toString());
    assertEquals(1, verbose.exitCode, verbose.toString());
    assertTrue(verbose.stderr.startsWith(run.stderr), verbose.stderr);
    assertTrue(verbose.stderr.contains("\tat io.livemux."), "a stack trace: " + verbose.stderr);
  }

  @Test
  void outOfRangeOrMalformedOptionValues_exit2_namingTheOptionAndItsValue() {
    String[][] cases = {
      {"demo", "--seconds", "0"},
      {"serve", "--port", "99999"},
      {"serve", "--fragment-ms", "0"},
      {"serve", "--port", "0", "--relay", "bogus"},
    };
    String[] expected = {
      "livemux demo: --seconds out of range 1..3600: 0 (see `livemux demo --help`)\n",
      "livemux serve: --port out of range 0..65535: 99999 (see `livemux serve --help`)\n",
      "livemux serve: --fragment-ms out of range 100..600000: 0 (see `livemux serve --help`)\n",
      "livemux serve: --relay bogus is not an rtmp:// or rtmps:// URL prefix such as rtmp://live.example.com/app"
          + " (not an rtmp:// or rtmps:// URL: bogus/STREAM) (see `livemux serve --help`)\n",
    };
    for (int i = 0; i < cases.length; i++) {
      Cli.Run run = Cli.run(cases[i]);
      assertEquals(2, run.exitCode, run.toString());
      assertEquals(expected[i], run.stderr);
      assertEquals("", run.stdout, "nothing started");
    }
  }

  @Test
  void serveOnAnUnresolvableBindHost_exits1_namingTheHost() {
    Cli.Run run = Cli.run("serve", "--bind", "nohost.invalid", "--port", "0", "--dir", dir.resolve("rec").toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: cannot listen on --bind nohost.invalid: no such host or address\n", run.stderr);
  }

  @Test
  void outputInAMissingDirectoryOrWithAnEmptyName_isRefused_sayingWhich() throws IOException {
    Path missing = dir.resolve("no-such-dir").resolve("x.mp4");
    for (String[] args : new String[][] {
        {"remux", Sources.mp4(4).toString(), missing.toString()},
        {"recover", Sources.mp4(4).toString(), "-o", missing.toString()}}) {
      Cli.Run run = Cli.run(args);
      assertEquals(1, run.exitCode, run.toString());
      assertEquals("livemux: cannot write " + missing + ": the directory " + missing.getParent() + " does not exist\n",
          run.stderr);
    }
    Cli.Run empty = Cli.run("remux", Sources.mp4(4).toString(), "");
    assertEquals(2, empty.exitCode, empty.toString());
    assertEquals("livemux remux: OUTPUT is an empty name (see `livemux remux --help`)\n", empty.stderr);
  }

  @Test
  void failuresFromAnotherThread_areReportedByTheirCause_andVerboseDoesNotAskForVerbose() {
    IOException refused = new io.livemux.LivemuxException("cannot publish to rtmp://h/app/****: connection refused");
    assertEquals(refused.getMessage(), Livemux.reason(new java.util.concurrent.ExecutionException(refused)));
    assertEquals(refused.getMessage(),
        Livemux.reason(new java.util.concurrent.CompletionException(new java.util.concurrent.ExecutionException(refused))));
    IOException wrapped = new io.livemux.LivemuxException(
        "cannot open x.mp4 for writing: " + new java.nio.file.AccessDeniedException("x.mp4"),
        new java.nio.file.AccessDeniedException("x.mp4"));
    assertEquals("cannot open x.mp4 for writing: x.mp4: permission denied", Livemux.reason(wrapped));
    IllegalStateException bug = new IllegalStateException("a bug");
    assertEquals("internal error: java.lang.IllegalStateException: a bug (run with --verbose for the stack trace)",
        Livemux.reason(bug, false));
    assertEquals("internal error: java.lang.IllegalStateException: a bug", Livemux.reason(bug, true));
  }

  @Test
  void wrongCommandLines_exit2_withOneLine() {
    String[][] cases = {
      {"remux", "--bogus", "a.flv", "b.mp4"},
      {"remux", "a.flv"},
      {"remux", "a.flv", "b.mp4", "--fragmented", "--faststart"},
      {"recover", "a.mp4"},
      {"frobnicate"},
      {}
    };
    String[] expected = {
      "livemux remux: Unknown option: '--bogus' (see `livemux remux --help`)\n",
      "livemux remux: Missing required parameter: 'OUTPUT' (see `livemux remux --help`)\n",
      "livemux remux: --fragmented, --faststart are mutually exclusive (specify only one) (see `livemux remux --help`)\n",
      "livemux recover: Missing required option: '--output=OUTPUT' (see `livemux recover --help`)\n",
      "livemux: Unmatched argument at index 0: 'frobnicate' (see `livemux --help`)\n",
      "livemux: missing a command: demo, serve, publish, remux, recover, inspect or encode-audio (see `livemux --help`)\n",
    };
    for (int i = 0; i < cases.length; i++) {
      Cli.Run run = Cli.run(cases[i]);
      assertEquals(2, run.exitCode, run.toString());
      assertEquals(expected[i], run.stderr);
      assertEquals("", run.stdout);
    }
  }

  @Test
  void helpAndVersion_exit0_onStdout() {
    Cli.Run help = Cli.run("--help");
    assertEquals(0, help.exitCode);
    for (String command : List.of("demo", "serve", "publish", "remux", "recover", "inspect", "encode-audio")) {
      assertTrue(help.stdout.contains("  " + command + " "), help.stdout);
    }
    Cli.Run remuxHelp = Cli.run("remux", "--help");
    assertEquals(0, remuxHelp.exitCode);
    assertTrue(remuxHelp.stdout.contains("--faststart"), remuxHelp.stdout);
    Cli.Run version = Cli.run("--version");
    assertEquals(0, version.exitCode);
    assertTrue(version.stdout.matches("(?s)livemux \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\nJava .*"), version.stdout);
  }

  @Test
  void asAProcess_theExitCodesReachTheShell() throws IOException {
    List<String> java = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Livemux.class.getName()));
    List<String> missing = new ArrayList<>(java);
    missing.addAll(List.of("inspect", dir.resolve("missing.mp4").toString()));
    Peers.Result failed = Peers.run(Duration.ofSeconds(60), missing);
    assertEquals(1, failed.exitCode, failed.stderr);
    assertEquals("livemux: " + dir.resolve("missing.mp4") + ": no such file\n", failed.stderr);

    List<String> usage = new ArrayList<>(java);
    usage.add("--nope");
    Peers.Result wrong = Peers.run(Duration.ofSeconds(60), usage);
    assertEquals(2, wrong.exitCode, wrong.stderr);

    List<String> remux = new ArrayList<>(java);
    Path out = dir.resolve("out.mp4");
    remux.addAll(List.of("remux", Sources.flv(4).toString(), out.toString()));
    Peers.Result ok = Peers.run(Duration.ofSeconds(60), remux);
    assertEquals(0, ok.exitCode, ok.stderr);
    assertEquals("", ok.stderr, "no progress bar and no log lines when not on a terminal");
    assertTrue(new String(ok.stdoutBytes, StandardCharsets.UTF_8).startsWith("remuxed "), ok.stdout);
    RemuxCommandTest.assertSameFrames(Sources.flv(4), out);
  }
}
