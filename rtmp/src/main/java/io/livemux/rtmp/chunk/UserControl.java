package io.livemux.rtmp.chunk;

import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;

/**
 * Builds and parses User Control messages (message type 4, RTMP 6.2 and 7.1.7): a 2-byte event type
 * and its event data, on chunk stream 2 and message stream 0. Stateless; any thread.
 */
public final class UserControl {
  /** RTMP 7.1.7: data is the message stream id that became functional. */
  public static final int STREAM_BEGIN = 0;
  public static final int STREAM_EOF = 1;
  public static final int STREAM_DRY = 2;
  /** Data: message stream id (4 bytes) then buffer length in ms (4 bytes). */
  public static final int SET_BUFFER_LENGTH = 3;
  public static final int STREAM_IS_RECORDED = 4;
  /** Data: the server's local timestamp; the client answers with {@link #PING_RESPONSE}. */
  public static final int PING_REQUEST = 6;
  /** Data: the timestamp of the Ping Request answered. */
  public static final int PING_RESPONSE = 7;

  private UserControl() {}

  public static RtmpMessage streamBegin(int messageStreamId) {
    return event(STREAM_BEGIN, messageStreamId & 0xFFFFFFFFL);
  }

  /** {@code timestamp} 0..0xFFFFFFFF. */
  public static RtmpMessage pingRequest(long timestamp) {
    return event(PING_REQUEST, ProtocolControl.checkUint32(timestamp, "timestamp"));
  }

  /** {@code timestamp}: the one of the Ping Request answered, 0..0xFFFFFFFF. */
  public static RtmpMessage pingResponse(long timestamp) {
    return event(PING_RESPONSE, ProtocolControl.checkUint32(timestamp, "timestamp"));
  }

  /** An event with a 4-byte value (every event type except Set Buffer Length). */
  public static RtmpMessage event(int eventType, long value) {
    if (eventType < 0 || eventType > 0xFFFF || eventType == SET_BUFFER_LENGTH) {
      throw new IllegalArgumentException("eventType out of range 0..65535 or 3: " + eventType);
    }
    ByteBuffer payload = ByteBuffer.allocate(6);
    payload.putShort((short) eventType);
    payload.putInt((int) ProtocolControl.checkUint32(value, "value"));
    return message(payload);
  }

  /** RTMP 7.1.7 Set Buffer Length: sent by a client before playing. */
  public static RtmpMessage setBufferLength(int messageStreamId, long bufferLengthMs) {
    ByteBuffer payload = ByteBuffer.allocate(10);
    payload.putShort((short) SET_BUFFER_LENGTH);
    payload.putInt(messageStreamId);
    payload.putInt((int) ProtocolControl.checkUint32(bufferLengthMs, "bufferLengthMs"));
    return message(payload);
  }

  /**
   * Parses any user control event: 6 bytes, or 10 for Set Buffer Length. Unknown event types are
   * returned as they are (a session may ignore them), provided they carry 4 bytes of data.
   */
  public static UserControlEvent parse(RtmpMessage message) throws RtmpException {
    if (message.typeId() != ProtocolControl.USER_CONTROL) {
      throw new RtmpException(
          "RTMP User Control: message type " + message.typeId() + " is not 4");
    }
    if (message.length() < 2) {
      throw new RtmpException(
          "RTMP User Control: payload of " + message.length() + " bytes, expected at least 6");
    }
    ByteBuffer p = message.payload();
    int eventType = p.getShort(0) & 0xFFFF;
    int expected = eventType == SET_BUFFER_LENGTH ? 10 : 6;
    if (message.length() != expected) {
      throw new RtmpException("RTMP User Control: event " + eventType + " with "
          + message.length() + " payload bytes, expected " + expected);
    }
    long value = p.getInt(2) & 0xFFFFFFFFL;
    long bufferLengthMs = eventType == SET_BUFFER_LENGTH ? p.getInt(6) & 0xFFFFFFFFL : -1;
    return new UserControlEvent(eventType, value, bufferLengthMs);
  }

  private static RtmpMessage message(ByteBuffer payload) {
    return RtmpMessage.of(
        RtmpMessage.CONTROL_CHUNK_STREAM_ID, ProtocolControl.USER_CONTROL, 0, 0, payload.array());
  }
}
