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
  private final int tlsPort;
  private final Path dir;
  private final Path recordDir;

  private NginxRtmp(Process process, int port, int tlsPort, Path dir, Path recordDir) {
    this.process = process;
    this.port = port;
    this.tlsPort = tlsPort;
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
    return start(dir, extraApplicationConfig, freePort(), null);
  }

  /**
   * As {@link #start(Path)} on a given port (to restart a killed server where its publishers
   * reconnect), and, when {@code tls} is not null, with nginx's stream module terminating TLS
   * ({@code rtmps://}) on another free port in front of the RTMP port.
   */
  public static NginxRtmp start(Path dir, String extraApplicationConfig, int port, TlsFiles tls)
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
    Path conf = dir.resolve("nginx.conf");
    int tlsPort = -1;
    String stream = "";
    String streamModule = "";
    if (tls != null) {
      Path streamSo = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
      if (!Files.exists(streamSo)) {
        throw new AssertionError(
            "nginx's stream module is missing (" + streamSo + "): apt-get install -y libnginx-mod-stream");
      }
      tlsPort = freePort();
      streamModule = "load_module " + streamSo + ";\n";
      stream = "stream { server { listen 127.0.0.1:" + tlsPort + " ssl;\n"
          + "  ssl_certificate " + tls.certificate + "; ssl_certificate_key " + tls.key + ";\n"
          + "  proxy_pass 127.0.0.1:" + port + "; } }\n";
    }
    String config =
        "daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid") + ";\n"
            + "error_log " + dir.resolve("error.log") + " info;\n"
            + "load_module " + module + ";\n" + streamModule
            + "events { worker_connections 256; }\n"
            + "rtmp { server { listen 127.0.0.1:" + port + "; chunk_size 4000;\n"
            + "  application live { live on; record all; record_path " + recordDir + ";\n"
            + "    record_unique off; " + extraApplicationConfig + " } } }\n" + stream;
    Files.write(conf, config.getBytes(StandardCharsets.UTF_8));
    Process process =
        new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    NginxRtmp server = new NginxRtmp(process, port, tlsPort, dir, recordDir);
    server.awaitListening(port);
    if (tlsPort > 0) {
      server.awaitListening(tlsPort);
    }
    return server;
  }

  /**
   * Waits until the port accepts a connection or nginx exits. Between attempts we wait on the
   * process itself, so an nginx that dies is reported at once with its log.
   */
  private void awaitListening(int port) throws IOException, InterruptedException {
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

  /** {@code rtmps://127.0.0.1:TLSPORT/live/STREAM}, when started with TLS. */
  public String tlsUrl(String stream) {
    if (tlsPort < 0) {
      throw new IllegalStateException("started without TLS");
    }
    return "rtmps://127.0.0.1:" + tlsPort + "/live/" + stream;
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, made with openssl, and its key. */
  public static final class TlsFiles {
    public final Path certificate;
    public final Path key;

    private TlsFiles(Path certificate, Path key) {
      this.certificate = certificate;
      this.key = key;
    }

    public static TlsFiles make(Path dir) throws IOException {
      Files.createDirectories(dir);
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      Path openssl = Peers.require("openssl", "openssl");
      Peers.check(java.time.Duration.ofSeconds(60), java.util.Arrays.asList(
          openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
          key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
          "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
      return new TlsFiles(cert, key);
    }

    /** A TLS socket factory that trusts exactly this certificate. */
    public javax.net.ssl.SSLSocketFactory trustingFactory() throws Exception {
      java.security.cert.Certificate certificate;
      try (java.io.InputStream in = Files.newInputStream(this.certificate)) {
        certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("nginx", certificate);
      javax.net.ssl.TrustManagerFactory trust =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    }
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
