package io.livemux.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RtmpUrlTest {
  @Test
  void plainUrl_splitsIntoAppAndStreamKey_withDefaultPort() {
    RtmpUrl url = RtmpUrl.parse("rtmp://live.example.com/app/abc123");
    assertFalse(url.isTls());
    assertEquals("live.example.com", url.host());
    assertEquals(1935, url.port());
    assertEquals("app", url.app());
    assertEquals("abc123", url.streamName());
    assertEquals("rtmp://live.example.com/app", url.tcUrl());
  }

  @Test
  void instanceAndQuery_belongToAppAndStreamName() {
    RtmpUrl url = RtmpUrl.parse("rtmps://h:8443/live/inst/key?token=a/b");
    assertTrue(url.isTls());
    assertEquals(8443, url.port());
    assertEquals("live/inst", url.app());
    assertEquals("key?token=a/b", url.streamName());
    assertEquals("rtmps://h:8443/live/inst", url.tcUrl());
    assertEquals(443, RtmpUrl.parse("rtmps://h/a/k").port());
  }

  @Test
  void queryBeforeAnySecondSlash_staysInStreamName() {
    RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1:1935/live/key?x=1/2");
    assertEquals("live", url.app());
    assertEquals("key?x=1/2", url.streamName());
  }

  @Test
  void toString_hidesTheStreamKey() {
    String text = RtmpUrl.parse("rtmp://h/app/secretkey").toString();
    assertFalse(text.contains("secretkey"), text);
  }

  @Test
  void badUrls_areRefusedWithTheReason() {
    assertMessage("not an rtmp", "http://h/app/key");
    assertMessage("no host", "rtmp:///app/key");
    assertMessage("no application", "rtmp://h");
    assertMessage("no application", "rtmp://h/");
    assertMessage("no stream name", "rtmp://h/app");
    assertMessage("no stream name", "rtmp://h/app/");
    assertMessage("bad port", "rtmp://h:x/app/key");
    assertMessage("port out of range", "rtmp://h:70000/app/key");
  }

  private static void assertMessage(String expected, String url) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RtmpUrl.parse(url));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
