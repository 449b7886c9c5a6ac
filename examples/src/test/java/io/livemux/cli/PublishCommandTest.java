package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.testing.Listening;
import io.livemux.rtmp.testing.NginxRtmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livemux publish}'s failures: what is wrong with the command line or the record file is
 * found before anything is opened or connected, and a refused or unreachable server is one line
 * naming it, with no recording left behind.
 */
class PublishCommandTest {
  @TempDir Path dir;

  /** A URL where nothing listens (a port just closed). */
  private static String deadUrl() throws Exception {
    return "rtmp://127.0.0.1:" + NginxRtmp.freePort() + "/app/key";
  }

  @Test
  void publish_recordOntoItsOwnInput_isRefusedBeforeAnythingStarts_andTheInputIsUnchanged() throws Exception {
    for (Path source : new Path[] {Sources.flv(4), Sources.mp4(4)}) {
      Path input = dir.resolve("in-" + source.getFileName());
      Files.copy(source, input);
      String before = Cli.sha256(input);
      Cli.Run run = Cli.run("publish", input.toString(), deadUrl(), "--record", input.toString());
      assertEquals(1, run.exitCode, run.toString());
      assertEquals("livemux: the output " + input + " is the input file; choose another name\n", run.stderr);
      assertEquals("", run.stdout);
      assertEquals(before, Cli.sha256(input), "the input is unchanged");
    }
  }

  @Test
  void publish_recordIntoADirectory_failsAtStartUp_namingIt() throws Exception {
    Path input = Sources.flv(4);
    String before = Cli.sha256(input);
    Cli.Run run = Cli.run("publish", input.toString(), deadUrl(), "--record", dir.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: the output " + dir + " is a directory\n", run.stderr);
    assertEquals(before, Cli.sha256(input));

    Path missing = dir.resolve("nope").resolve("r.mp4");
    run = Cli.run("publish", input.toString(), deadUrl(), "--record", missing.toString());
    assertEquals(1, run.exitCode, run.toString());
    assertEquals("livemux: cannot write " + missing + ": the directory " + missing.getParent() + " does not exist\n",
        run.stderr);
  }

  @Test
  void publish_malformedUrl_isAUsageError_exit2() throws Exception {
    Cli.Run run = Cli.run("publish", Sources.flv(4).toString(), "bogus");
    assertEquals(2, run.exitCode, run.toString());
    assertEquals("livemux publish: not an rtmp:// or rtmps:// URL: bogus (see `livemux publish --help`)\n", run.stderr);
  }

  @Test
  void publish_connectionRefused_exits1_namingTheServer_andLeavesNoRecordFile() throws Exception {
    int port = NginxRtmp.freePort();
    Path record = dir.resolve("record.mp4");
    Path log = dir.resolve("publish.log");
    Process publish = ServeAndPublishTest.livemux(log, "publish", Sources.flv(4).toString(),
        "rtmp://127.0.0.1:" + port + "/app/key", "--record", record.toString()).start();
    assertTrue(publish.waitFor(60, TimeUnit.SECONDS), "publish gives up");
    String out = Files.readString(log);
    assertEquals(1, publish.exitValue(), out);
    assertTrue(out.startsWith("livemux: cannot publish to rtmp://127.0.0.1:" + port + "/app/****: connection to 127.0.0.1:"
        + port + " refused"), out);
    assertEquals(1, out.split("\n").length, out);
    assertFalse(out.contains("Exception") || out.contains("internal error"), out);
    assertTrue(Files.notExists(record), "no empty recording is left behind");
  }

  @Test
  void publish_refusedByTheServer_exits1_withTheServersReason_inOneLine() throws Exception {
    int port = NginxRtmp.freePort();
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "live/allowed\n");
    Process serve = ServeAndPublishTest.livemux(dir.resolve("serve.log"), "serve", "--port", Integer.toString(port),
        "--dir", dir.resolve("recordings").toString(), "--keys", keys.toString()).start();
    try {
      Listening.await(port, serve, "livemux serve");
      Path log = dir.resolve("publish.log");
      Path record = dir.resolve("record.mp4");
      Process publish = ServeAndPublishTest.livemux(log, "publish", Sources.flv(4).toString(),
          "rtmp://127.0.0.1:" + port + "/live/forbidden", "--record", record.toString()).start();
      assertTrue(publish.waitFor(60, TimeUnit.SECONDS), "publish gives up");
      String out = Files.readString(log);
      assertEquals(1, publish.exitValue(), out);
      assertEquals("livemux: the server at rtmp://127.0.0.1:" + port + "/live/fo**** refused publish:"
          + " NetStream.Publish.BadName (error): stream key not allowed for live\n", out);
      assertTrue(Files.notExists(record), "no empty recording is left behind");
    } finally {
      serve.destroyForcibly();
      serve.waitFor(20, TimeUnit.SECONDS);
    }
  }
}
