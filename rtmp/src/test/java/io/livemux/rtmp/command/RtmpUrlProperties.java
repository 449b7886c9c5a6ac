package io.livemux.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class RtmpUrlProperties {
  @Property
  void urlsBuiltFromParts_parseBackToTheParts(
      @ForAll boolean tls,
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String host,
      @ForAll @IntRange(min = 1, max = 65535) int port,
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String app,
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String key) {
    String tcUrl = (tls ? "rtmps://" : "rtmp://") + host + ":" + port + "/" + app;
    RtmpUrl url = RtmpUrl.parse(tcUrl + "/" + key);
    assertEquals(host, url.host());
    assertEquals(port, url.port());
    assertEquals(app, url.app());
    assertEquals(key, url.streamName());
    assertEquals(tcUrl, url.tcUrl());
  }

  @Property
  void anyString_parsesOrFailsWithIllegalArgument(@ForAll String text) {
    try {
      RtmpUrl url = RtmpUrl.parse("rtmp://" + text);
      assertEquals(false, url.host().isEmpty() || url.app().isEmpty() || url.streamName().isEmpty());
    } catch (IllegalArgumentException expected) {
      assertEquals(false, expected.getMessage().isEmpty());
    }
  }
}
