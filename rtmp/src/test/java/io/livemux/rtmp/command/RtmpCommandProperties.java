package io.livemux.rtmp.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Limits;
import io.livemux.rtmp.chunk.RtmpMessage;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class RtmpCommandProperties {
  @Property
  void command_roundTripsThroughItsMessage(
      @ForAll @AlphaChars @StringLength(min = 1, max = 40) String name,
      @ForAll @IntRange(min = 0, max = 1_000_000) int transactionId,
      @ForAll("statusObjects") Map<String, Object> info,
      @ForAll @StringLength(max = 100) String argument)
      throws RtmpException {
    RtmpCommand command = RtmpCommand.of(name, transactionId, null, info, argument);
    RtmpCommand back = RtmpCommand.parse(command.toMessage(3, 1, 0), Amf0Limits.defaults());
    assertEquals(name, back.name());
    assertEquals(transactionId, back.transactionId());
    assertEquals(null, back.commandObject());
    assertEquals(Arrays.asList(info, argument), back.arguments());
    assertEquals(NetStatus.fromInfo(info).code(), back.status().code());
  }

  @Property
  void randomBodies_parseOrFailWithRtmpException(
      @ForAll byte[] body, @ForAll boolean amf3) {
    RtmpMessage message =
        RtmpMessage.of(3, amf3 ? RtmpCommand.TYPE_AMF3 : RtmpCommand.TYPE_AMF0, 0, 0, ByteBuffer.wrap(body));
    try {
      RtmpCommand command = RtmpCommand.parse(message, Amf0Limits.defaults());
      assertEquals(false, command.name().isEmpty());
    } catch (RtmpException expected) {
      assertEquals(false, expected.getMessage().isEmpty());
    }
  }

  @Provide
  Arbitrary<Map<String, Object>> statusObjects() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30)
        .map(code -> {
          Map<String, Object> info = new LinkedHashMap<>();
          info.put("level", "status");
          info.put("code", "NetStream." + code);
          info.put("description", "d");
          return info;
        });
  }
}
