package io.livemux.rtmp.testing;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx with the RTMP module on a free loopback port, for tests: application {@code live}
 * with {@code live on} and {@code record all} into {@link #recordDir()} ({@code STREAM.flv}).
 * nginx's worker may run as {@code nobody}, so the record directory is world-writable.
 *
 * <p>{@link #close()} stops nginx and waits for it. One test thread uses an instance.
 */
public final class NginxRtmp implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;
  private final Path recordDir;

  private NginxRtmp(Process process, int port, Path dir, Path recordDir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
    this.recordDir = recordDir;
  }

  /** Starts nginx-rtmp in {@code dir}; returns once it accepts connections. */
  public static NginxRtmp start(Path dir) throws IOException, InterruptedException {
    return start(dir, "");
  }

  /** As {@link #start(Path)}, with {@code extraApplicationConfig} inside {@code application live}. */
  public static NginxRtmp start(Path dir, String extraApplicationConfig)
      throws IOException, InterruptedException {
    Path nginx = Peers.require("nginx", "nginx libnginx-mod-rtmp");
    Path module = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    if (!Files.exists(module)) {
      throw new AssertionError(
          "the nginx RTMP module is missing (" + module + "): apt-get install -y libnginx-mod-rtmp");
    }
    Files.createDirectories(dir);
    Path recordDir = dir.resolve("record");
    Files.createDirectories(recordDir);
    Files.setPosixFilePermissions(recordDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port = freePort();
    Path conf = dir.resolve("nginx.conf");
    String config =
        "daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid") + ";\n"
            + "error_log " + dir.resolve("error.log") + " info;\n"
            + "load_module " + module + ";\n"
            + "events { worker_connections 256; }\n"
            + "rtmp { server { listen 127.0.0.1:" + port + "; chunk_size 4000;\n"
            + "  application live { live on; record all; record_path " + recordDir + ";\n"
            + "    record_unique off; " + extraApplicationConfig + " } } }\n";
    Files.write(conf, config.getBytes(StandardCharsets.UTF_8));
    Process process =
        new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    NginxRtmp server = new NginxRtmp(process, port, dir, recordDir);
    server.awaitListening();
    return server;
  }

  /**
   * Waits until the port accepts a connection or nginx exits. Between attempts we wait on the
   * process itself, so an nginx that dies is reported at once with its log.
   */
  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException notYet) {
        if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
          throw new AssertionError("nginx exited with " + process.exitValue() + ": " + log());
        }
      }
    }
    close();
    throw new AssertionError("nginx did not listen on 127.0.0.1:" + port + " within 20 s: " + log());
  }

  public int port() {
    return port;
  }

  /** {@code rtmp://127.0.0.1:PORT/live/STREAM}. */
  public String url(String stream) {
    return "rtmp://127.0.0.1:" + port + "/live/" + stream;
  }

  public Path recordDir() {
    return recordDir;
  }

  /** The recording of {@code stream}. */
  public Path recording(String stream) {
    return recordDir.resolve(stream + ".flv");
  }

  /** nginx's error log, for failure messages. */
  public String log() {
    try {
      Path log = dir.resolve("error.log");
      return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read the nginx log: " + e + ")";
    }
  }

  /** Sends {@code SIGNAME} (STOP, CONT, ...) to nginx, e.g. to freeze it as a peer that stops reading. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Kills nginx at once (SIGKILL), as a crashed server. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    try {
      signal("CONT"); // a frozen nginx cannot take SIGTERM
    } catch (IOException | AssertionError e) {
      // it has exited already
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
