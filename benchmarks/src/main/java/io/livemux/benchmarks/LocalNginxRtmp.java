package io.livemux.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx with the RTMP module on a free loopback port, application {@code live} ({@code live on},
 * nothing recorded), for the publish benchmarks. Needs {@code apt-get install -y nginx
 * libnginx-mod-rtmp}. One benchmark thread uses it; {@link #close()} stops nginx.
 */
public final class LocalNginxRtmp implements AutoCloseable {
  private final Process process;
  private final int port;

  private LocalNginxRtmp(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static LocalNginxRtmp start(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path conf = dir.resolve("nginx.conf");
    Files.write(conf, ("daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid") + ";\n"
        + "error_log " + dir.resolve("error.log") + " warn;\n"
        + "load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;\n"
        + "events { worker_connections 1024; }\n"
        + "rtmp { server { listen 127.0.0.1:" + port + "; chunk_size 4096;\n"
        + "  application live { live on; } } }\n").getBytes(StandardCharsets.UTF_8));
    Process process;
    try {
      process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString(),
              "-e", dir.resolve("error.log").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw new IOException("nginx did not start (apt-get install -y nginx libnginx-mod-rtmp): " + e, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return new LocalNginxRtmp(process, port);
      } catch (IOException notYet) {
        // wait on nginx itself: one that dies is reported at once
        if (process.waitFor(20, TimeUnit.MILLISECONDS) || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IOException("nginx did not listen on 127.0.0.1:" + port + ", see " + dir.resolve("error.log"));
        }
      }
    }
  }

  public String url(String stream) {
    return "rtmp://127.0.0.1:" + port + "/live/" + stream;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
