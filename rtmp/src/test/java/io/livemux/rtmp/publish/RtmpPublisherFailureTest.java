package io.livemux.rtmp.publish;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.PcmFormat;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.testing.NginxRtmp;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way publishing can fail ends in one clear exception, soon. */
class RtmpPublisherFailureTest {
  @TempDir static Path dir;
  static SourceStream source;

  @BeforeAll
  static void source() throws Exception {
    source = SourceStream.make(dir, "source", 1);
  }

  private static String failure(RtmpPublisherOptions options) throws Exception {
    RtmpStreamer streamer = RtmpStreamer.create(options);
    streamer.addTrack(source.video);
    streamer.start();
    long start = System.nanoTime();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> streamer.published().get(20, TimeUnit.SECONDS));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e.getCause() instanceof RtmpException, e.getCause().toString());
    ExecutionException finished =
        assertThrows(ExecutionException.class, () -> streamer.finish().get(10, TimeUnit.SECONDS));
    assertTrue(finished.getCause() instanceof RtmpException, finished.getCause().toString());
    return e.getCause().getMessage() + " [after " + ms + " ms]";
  }

  @Test
  void nothingListening_failsWithConnectionRefused() throws Exception {
    int port = NginxRtmp.freePort();
    String message = failure(RtmpPublisherOptions.forUrl("rtmp://127.0.0.1:" + port + "/live/key"));
    assertTrue(message.contains("connection to 127.0.0.1:" + port + " refused"), message);
    assertTrue(!message.contains("key"), "the stream key stays out of messages: " + message);
  }

  @Test
  void serverThatNeverAnswers_failsWithHandshakeTimeout_withinTheBound() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      // the kernel completes the TCP connection from the backlog; nobody ever answers C0+C1
      String message =
          failure(RtmpPublisherOptions.forUrl("rtmp://127.0.0.1:" + silent.getLocalPort() + "/live/k")
              .withHandshakeTimeoutMs(300));
      assertTrue(message.contains("timed out waiting for the RTMP handshake"), message);
      long ms = Long.parseLong(message.replaceAll(".*\\[after (\\d+) ms\\]", "$1"));
      assertTrue(ms < 3000, message);
    }
  }

  @Test
  void serverSpeakingAnotherProtocol_failsNamingTheBadVersion() throws Exception {
    try (ServerSocket http = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = http.accept(); OutputStream out = s.getOutputStream()) {
          out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes("US-ASCII"));
          out.flush();
          s.getInputStream().read(new byte[4096]);
        } catch (java.io.IOException ignored) {
          // the client hung up
        }
      });
      server.start();
      String message =
          failure(RtmpPublisherOptions.forUrl("rtmp://127.0.0.1:" + http.getLocalPort() + "/live/k"));
      assertTrue(message.contains("S0 version 72 is not 3"), message); // 'H'
      server.join(10_000);
    }
  }

  @Test
  void unknownApplication_onNginx_failsNamingTheApplication() throws Exception {
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-app"))) {
      String url = nginx.url("key").replace("/live/", "/nosuchapp/");
      String message = failure(RtmpPublisherOptions.forUrl(url));
      assertTrue(message.contains("nosuchapp"), message);
    }
  }

  @Test
  void pcmTrack_isRefusedForRtmp_withTheReason() {
    RtmpStreamer streamer = RtmpStreamer.create(RtmpPublisherOptions.forUrl("rtmp://127.0.0.1/live/k"));
    RtmpException e =
        assertThrows(RtmpException.class, () -> streamer.addTrack(PcmFormat.s16le(48_000, 2)));
    assertTrue(e.getMessage().contains("RTMP carries AAC audio, not PCM"), e.getMessage());
  }

  @Test
  void badUrls_areRefusedAtOnce_namingTheProblem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RtmpPublisherOptions.forUrl("rtmp://host/app"));
    assertTrue(e.getMessage().contains("no stream name"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RtmpPublisherOptions.forUrl("rtmp://h/a/k").withChunkSize(64));
    assertTrue(e.getMessage().contains("chunkSize out of range 128..65536: 64"), e.getMessage());
  }
}
