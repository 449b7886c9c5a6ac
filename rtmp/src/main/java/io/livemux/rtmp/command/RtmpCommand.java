package io.livemux.rtmp.command;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Decoder;
import io.livemux.rtmp.amf.Amf0Encoder;
import io.livemux.rtmp.amf.Amf0Limits;
import io.livemux.rtmp.chunk.RtmpMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One RTMP command message (RTMP 7.1.1, 7.2): a command name, a transaction id, a command object
 * (an AMF0 object, or null) and optional further arguments — {@code connect}, {@code createStream},
 * {@code publish}, {@code _result}, {@code _error}, {@code onStatus}, and so on.
 *
 * <p>Immutable when its values are (AMF0 maps and lists decoded here are not copied; do not change
 * them); may be passed between threads.
 */
public final class RtmpCommand {
  /** Message type 20: a command encoded in AMF0 (RTMP 7.1.1). */
  public static final int TYPE_AMF0 = 20;
  /** Message type 17: a command in AMF3 framing; its body starts with a 0 byte and then AMF0. */
  public static final int TYPE_AMF3 = 17;
  /** Message type 18: data (e.g. {@code @setDataFrame}, {@code onMetaData}) in AMF0 (RTMP 7.1.2). */
  public static final int TYPE_DATA_AMF0 = 18;
  /** Message type 15: data in AMF3 framing. */
  public static final int TYPE_DATA_AMF3 = 15;

  private final String name;
  private final double transactionId;
  private final Object commandObject;
  private final List<Object> arguments;

  private RtmpCommand(String name, double transactionId, Object commandObject, List<Object> arguments) {
    this.name = name;
    this.transactionId = transactionId;
    this.commandObject = commandObject;
    this.arguments = arguments;
  }

  /**
   * A command. {@code commandObject} is an AMF0 value ({@code Map} for an object, or null); {@code
   * arguments} follow it on the wire.
   */
  public static RtmpCommand of(
      String name, double transactionId, Object commandObject, Object... arguments) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("command name is empty: " + name);
    }
    if (Double.isNaN(transactionId) || transactionId < 0) {
      throw new IllegalArgumentException("transactionId < 0 or NaN: " + transactionId);
    }
    return new RtmpCommand(
        name,
        transactionId,
        commandObject,
        Collections.unmodifiableList(new ArrayList<>(Arrays.asList(arguments))));
  }

  /**
   * Parses a command message (type 20, or 17 whose first byte is the AMF3-to-AMF0 switch 0). The
   * body is a string name, a number transaction id, then any values (RTMP 7.1.1); a name alone
   * (as ffmpeg's server sends {@code onFCPublish}) has transaction id 0.
   *
   * @throws RtmpException if the message is of another type or its body is not such a sequence
   */
  public static RtmpCommand parse(RtmpMessage message, Amf0Limits limits) throws RtmpException {
    ByteBuffer body = message.payload();
    if (message.typeId() == TYPE_AMF3) {
      if (!body.hasRemaining() || body.get() != 0) {
        throw new RtmpException(
            "RTMP: AMF3 command message of " + message.length()
                + " bytes does not start with the AMF0 switch byte 0");
      }
    } else if (message.typeId() != TYPE_AMF0) {
      throw new RtmpException("RTMP: message type " + message.typeId() + " is not a command (20 or 17)");
    }
    List<Object> values = new Amf0Decoder(limits).decodeAll(body);
    // A name, then a transaction id; some servers (ffmpeg's onFCPublish) send the name alone.
    if (values.isEmpty() || !(values.get(0) instanceof String)
        || (values.size() > 1 && !(values.get(1) instanceof Double))) {
      throw new RtmpException(
          "RTMP: command message does not start with a name and a transaction id: "
              + describe(values));
    }
    double transactionId = values.size() > 1 ? (Double) values.get(1) : 0;
    if (Double.isNaN(transactionId) || transactionId < 0) {
      throw new RtmpException("RTMP: command " + values.get(0) + " has transaction id " + transactionId);
    }
    Object commandObject = values.size() > 2 ? values.get(2) : null;
    List<Object> arguments =
        values.size() > 3
            ? Collections.unmodifiableList(new ArrayList<>(values.subList(3, values.size())))
            : Collections.emptyList();
    return new RtmpCommand((String) values.get(0), transactionId, commandObject, arguments);
  }

  /** Encodes this command as a type-20 message. */
  public RtmpMessage toMessage(int chunkStreamId, int messageStreamId, long timestampMs) {
    Amf0Encoder encoder = new Amf0Encoder().write(name).write(transactionId).write(commandObject);
    for (Object argument : arguments) {
      encoder.write(argument);
    }
    return RtmpMessage.of(chunkStreamId, TYPE_AMF0, messageStreamId, timestampMs, encoder.toByteBuffer());
  }

  public String name() {
    return name;
  }

  public double transactionId() {
    return transactionId;
  }

  /** The command object (an AMF0 object as a {@code Map}, or null). */
  public Object commandObject() {
    return commandObject;
  }

  /** The values after the command object. */
  public List<Object> arguments() {
    return arguments;
  }

  /** Argument {@code index}, or null when there are fewer. */
  public Object argument(int index) {
    return index < arguments.size() ? arguments.get(index) : null;
  }

  /** The first argument as a string, or null when it is absent or not a string. */
  public String stringArgument(int index) {
    Object value = argument(index);
    return value instanceof String ? (String) value : null;
  }

  /** The NetStatus info object of an {@code onStatus} or {@code _error} command, or null. */
  public NetStatus status() {
    for (Object value : arguments) {
      if (value instanceof Map) {
        NetStatus status = NetStatus.fromInfo((Map<?, ?>) value);
        if (status != null) {
          return status;
        }
      }
    }
    return commandObject instanceof Map ? NetStatus.fromInfo((Map<?, ?>) commandObject) : null;
  }

  @Override
  public String toString() {
    return name + "(" + (long) transactionId + ", " + commandObject + ", " + arguments + ")";
  }

  private static String describe(List<Object> values) {
    String text = values.toString();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
