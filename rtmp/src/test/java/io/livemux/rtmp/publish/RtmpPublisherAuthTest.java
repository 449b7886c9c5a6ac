package io.livemux.rtmp.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.livemux.rtmp.testing.NginxRtmp;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad stream key, as real services refuse it: nginx-rtmp asks an HTTP endpoint ({@code
 * on_publish}) whether the key may publish, and refuses the publish when the answer is not 2xx.
 * The endpoint here is the service's own logic (one good key), not a stand-in for nginx.
 */
class RtmpPublisherAuthTest {
  @TempDir Path dir;

  @Test
  void badStreamKey_isRefused_goodKeyPublishes() throws Exception {
    HttpServer auth = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    auth.createContext("/auth", exchange -> {
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int status = body.contains("name=goodkey") ? 200 : 403;
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    auth.start();
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx"),
        "on_publish http://127.0.0.1:" + auth.getAddress().getPort() + "/auth;")) {
      SourceStream source = SourceStream.make(dir, "source", 1);

      RtmpStreamer bad = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.url("badkey")));
      bad.addTrack(source.video);
      bad.start();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> bad.published().get(10, TimeUnit.SECONDS));
      String message = e.getCause().getMessage();
      assertTrue(message.contains("closed the connection while we waited for the answer to publish"
          + " (servers such as nginx-rtmp close it when they refuse the stream key)"), message);
      assertTrue(!message.contains("badkey"), "the key stays out of messages: " + message);
      assertThrows(ExecutionException.class, () -> bad.finish().get(10, TimeUnit.SECONDS));

      RtmpStreamer good = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.url("goodkey")));
      good.addTrack(source.video);
      good.addTrack(source.audio);
      good.start();
      good.published().get(10, TimeUnit.SECONDS);
      PublishResult result = good.finish().get(10, TimeUnit.SECONDS);
      assertEquals(0, result.lane().dropped(), result.toString());
    } finally {
      auth.stop(0);
    }
  }
}
