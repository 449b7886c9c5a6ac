package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.chunk.PeerBandwidth;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.chunk.UserControl;
import io.livemux.rtmp.chunk.UserControlEvent;
import io.livemux.rtmp.command.NetStatus;
import io.livemux.rtmp.command.RtmpCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server answers to each command of a publisher, byte-decoded by our own client. */
class RtmpServerCommandsTest {
  @TempDir Path dir;
  private final Recordings recordings = new Recordings();
  private RtmpServer server;

  private RtmpServer start(RtmpServerOptions options) throws Exception {
    server = RtmpServer.start(options);
    return server;
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void connect_isAnsweredLikeNginxRtmp_windowBandwidthChunkSizeThenResult() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      c.command(0, "connect", 1, Map.of("app", "live", "tcUrl", "rtmp://127.0.0.1/live"));
      RtmpMessage window = c.next();
      assertEquals(ProtocolControl.WINDOW_ACKNOWLEDGEMENT_SIZE, window.typeId());
      assertEquals(5_000_000, ProtocolControl.parseWindowAcknowledgementSize(window));
      assertEquals(PeerBandwidth.of(5_000_000, PeerBandwidth.LIMIT_DYNAMIC),
          ProtocolControl.parseSetPeerBandwidth(c.next()));
      assertEquals(4096, ProtocolControl.parseSetChunkSize(c.next()));
      RtmpCommand result = c.nextCommand();
      assertEquals("_result", result.name());
      assertEquals(1.0, result.transactionId());
      assertEquals("FMS/3,0,1,123", ((Map<?, ?>) result.commandObject()).get("fmsVer"));
      assertEquals(31.0, ((Map<?, ?>) result.commandObject()).get("capabilities"));
      assertEquals(NetStatus.CONNECT_SUCCESS, result.status().code());
    }
  }

  @Test
  void publish_afterCreateStream_getsStreamBeginAndPublishStart() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      assertEquals("_result", c.connect("live").name());
      c.command(0, "releaseStream", 2, null, "key");
      c.command(0, "FCPublish", 3, null, "key");
      c.command(0, "createStream", 4, null);
      assertEquals("_result", c.nextCommand().name()); // releaseStream
      RtmpCommand fc = c.nextCommand();
      assertEquals("onFCPublish", fc.name());
      assertEquals(NetStatus.PUBLISH_START, fc.status().code());
      RtmpCommand created = c.nextCommand();
      assertEquals(4.0, created.transactionId());
      assertEquals(1.0, created.argument(0));
      c.command(1, "publish", 5, null, "key", "live");
      RtmpMessage begin = c.next();
      assertEquals(ProtocolControl.USER_CONTROL, begin.typeId());
      UserControlEvent event = UserControl.parse(begin);
      assertEquals(UserControl.STREAM_BEGIN, event.eventType());
      assertEquals(1, event.value());
      RtmpCommand status = c.nextCommand();
      assertEquals("onStatus", status.name());
      assertEquals(NetStatus.PUBLISH_START, status.status().code());
    }
  }

  @Test
  void publish_nameAlreadyLive_secondPublisherGetsBadNameAndIsClosed() throws Exception {
    start(recordings.options(dir));
    try (RawClient first = new RawClient(server.port());
        RawClient second = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, publish(first, "live", "same").code());
      NetStatus refused = publish(second, "live", "same");
      assertEquals(NetStatus.PUBLISH_BAD_NAME, refused.code());
      assertEquals(NetStatus.LEVEL_ERROR, refused.level());
      assertTrue(second.closedWithin(3000), "refused publisher closed");
      assertTrue(!first.closedWithin(300), "first publisher still connected");
    }
  }

  @Test
  void publish_beyondTheLiveStreamLimit_getsBadName() throws Exception {
    start(recordings.options(dir).withMaxLiveStreams(1));
    try (RawClient first = new RawClient(server.port());
        RawClient second = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, publish(first, "live", "one").code());
      NetStatus refused = publish(second, "live", "two");
      assertEquals(NetStatus.PUBLISH_BAD_NAME, refused.code());
      assertTrue(refused.description().contains("limit"), refused.description());
      assertTrue(second.closedWithin(3000));
    }
  }

  @Test
  void publish_keyNotInAllowList_getsBadNameAndIsClosed_listedKeyPublishes() throws Exception {
    Path allow = dir.resolve("allow.txt");
    Files.write(allow, Arrays.asList("# keys", "live/good-key", "  other/k2  "), StandardCharsets.UTF_8);
    start(recordings.options(dir).withAllowList(allow));
    try (RawClient bad = new RawClient(server.port());
        RawClient wrongApp = new RawClient(server.port());
        RawClient good = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_BAD_NAME, publish(bad, "live", "guess").code());
      assertTrue(bad.closedWithin(3000));
      assertEquals(NetStatus.PUBLISH_BAD_NAME, publish(wrongApp, "other", "good-key").code());
      assertTrue(wrongApp.closedWithin(3000));
      assertEquals(NetStatus.PUBLISH_START, publish(good, "live", "good-key?token=1").code());
    }
  }

  @Test
  void publish_namesThatCouldLeaveTheDirectory_getBadName() throws Exception {
    start(recordings.options(dir));
    for (String name : Arrays.asList("..", "a/b", "..\\x", "nul\0x", "tab\tx", longName(201))) {
      try (RawClient c = new RawClient(server.port())) {
        NetStatus status = publish(c, "live", name);
        assertEquals(NetStatus.PUBLISH_BAD_NAME, status.code(), "name " + name);
        assertTrue(c.closedWithin(3000));
      }
    }
    try (RawClient c = new RawClient(server.port())) {
      assertEquals(NetStatus.PUBLISH_START, publish(c, "live", longName(200)).code());
    }
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      RtmpCommand answer = c.connect("..");
      assertEquals("_error", answer.name());
      assertEquals(NetStatus.CONNECT_REJECTED, answer.status().code());
      assertTrue(c.closedWithin(3000));
    }
  }

  @Test
  void play_isAnsweredWithPlayFailed() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      c.connect("live");
      c.command(0, "createStream", 2, null);
      c.nextCommand();
      c.command(1, "play", 3, null, "key");
      RtmpCommand status = c.nextCommand();
      assertEquals("onStatus", status.name());
      assertEquals(NetStatus.PLAY_FAILED, status.status().code());
      assertEquals(NetStatus.LEVEL_ERROR, status.status().level());
    }
  }

  @Test
  void bytesPastTheClientsWindow_areAcknowledged() throws Exception {
    start(recordings.options(dir));
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      c.connect("live");
      c.send(ProtocolControl.windowAcknowledgementSize(1000));
      c.send(RtmpMessage.of(4, RtmpCommand.TYPE_DATA_AMF0, 0, 0, new byte[] {5, 5, 5, 5}));
      c.send(RtmpMessage.of(4, 8, 0, 0, new byte[3000])); // audio on no stream: ignored
      RtmpMessage ack;
      do {
        ack = c.next();
      } while (ack != null && ack.typeId() != ProtocolControl.ACKNOWLEDGEMENT);
      assertTrue(ack != null, "an Acknowledgement");
      long sequence = ProtocolControl.parseAcknowledgement(ack);
      assertTrue(sequence >= 1000 && sequence <= 3073 + 4000 + 1000, "sequence " + sequence);
    }
  }

  private static String longName(int length) {
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      b.append('k');
    }
    return b.toString();
  }

  /** connect, createStream, publish: the onStatus answer to publish. */
  static NetStatus publish(RawClient c, String app, String key) throws Exception {
    c.handshake();
    assertEquals("_result", c.connect(app).name());
    c.command(0, "createStream", 2, null);
    assertEquals("_result", c.nextCommand().name());
    c.command(1, "publish", 3, null, key, "live");
    return c.nextCommand().status();
  }
}
