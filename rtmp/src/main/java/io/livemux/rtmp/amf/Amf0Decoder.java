package io.livemux.rtmp.amf;

import io.livemux.rtmp.RtmpException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 (Adobe "Action Message Format -- AMF 0", December 2007) into plain Java values:
 *
 * <table>
 *   <caption>AMF0 types and their Java values</caption>
 *   <tr><th>AMF0 (marker)</th><th>Java</th></tr>
 *   <tr><td>number (0x00)</td><td>{@link Double}</td></tr>
 *   <tr><td>boolean (0x01)</td><td>{@link Boolean}</td></tr>
 *   <tr><td>string (0x02), long string (0x0C)</td><td>{@link String}</td></tr>
 *   <tr><td>object (0x03)</td><td>{@link LinkedHashMap}{@code <String, Object>}, in wire order</td></tr>
 *   <tr><td>ECMA array (0x08)</td><td>{@link Amf0EcmaArray} (also a {@code Map})</td></tr>
 *   <tr><td>strict array (0x0A)</td><td>{@link ArrayList}{@code <Object>}</td></tr>
 *   <tr><td>null (0x05)</td><td>{@code null}</td></tr>
 *   <tr><td>undefined (0x06)</td><td>{@link Amf0Undefined#UNDEFINED}</td></tr>
 *   <tr><td>date (0x0B)</td><td>{@link Amf0Date}</td></tr>
 * </table>
 *
 * <p>The object-end marker (0x09) ends objects and ECMA arrays and is never a value. References,
 * typed objects, the AMF3 switch and the other legacy markers are refused with an {@link
 * RtmpException} naming the marker, as is anything beyond the {@link Amf0Limits}: every length is
 * checked against the limit and against the bytes present before anything is allocated, and
 * nesting is bounded, so a decode takes time and memory linear in its input.
 *
 * <p>Strings are UTF-8 (2.4, 1.3 of the AMF0 spec); malformed sequences decode to U+FFFD, as
 * {@link String#String(byte[], java.nio.charset.Charset)} does, rather than failing a whole message.
 *
 * <p>Reads from the buffer's position and advances it past each value; after a failure the
 * position is unspecified. The decoded values belong to the caller (strings and containers are
 * copies; nothing refers to the buffer). Immutable and thread-safe; one decoder may serve many
 * threads.
 */
public final class Amf0Decoder {
  private static final int MAX_SHORT_STRING = 0xFFFF;

  private final Amf0Limits limits;

  public Amf0Decoder(Amf0Limits limits) {
    if (limits == null) {
      throw new NullPointerException("limits");
    }
    this.limits = limits;
  }

  /** A decoder with {@link Amf0Limits#defaults()}. */
  public static Amf0Decoder withDefaults() {
    return new Amf0Decoder(Amf0Limits.defaults());
  }

  /** Decodes the one value at the buffer's position and advances past it. */
  public Object decode(ByteBuffer in) throws RtmpException {
    return value(in, 0);
  }

  /** Decodes values until the buffer has nothing remaining (an RTMP command, a script tag body). */
  public List<Object> decodeAll(ByteBuffer in) throws RtmpException {
    List<Object> values = new ArrayList<>();
    while (in.hasRemaining()) {
      if (values.size() == limits.maxEntries()) {
        throw new RtmpException(
            "AMF0: more than maxEntries " + limits.maxEntries() + " top-level values");
      }
      values.add(value(in, 0));
    }
    return values;
  }

  private Object value(ByteBuffer in, int depth) throws RtmpException {
    need(in, 1, "a type marker");
    int marker = in.get() & 0xFF;
    switch (marker) {
      case Amf0Markers.NUMBER:
        need(in, 8, "a number");
        return in.getDouble();
      case Amf0Markers.BOOLEAN:
        need(in, 1, "a boolean");
        return in.get() != 0; // 2.3: 0 is false, anything else true
      case Amf0Markers.STRING:
        need(in, 2, "a string length");
        return utf8(in, in.getShort() & MAX_SHORT_STRING, "string");
      case Amf0Markers.LONG_STRING:
        need(in, 4, "a long string length");
        return utf8(in, in.getInt() & 0xFFFFFFFFL, "long string");
      case Amf0Markers.OBJECT:
        return properties(in, new LinkedHashMap<>(), enter(depth, "object"));
      case Amf0Markers.ECMA_ARRAY:
        need(in, 4, "an ECMA array count");
        in.getInt(); // 2.10: associative-count, a hint only; the end marker decides
        return properties(in, new Amf0EcmaArray(), enter(depth, "ECMA array"));
      case Amf0Markers.STRICT_ARRAY:
        return strictArray(in, enter(depth, "strict array"));
      case Amf0Markers.NULL:
        return null;
      case Amf0Markers.UNDEFINED:
        return Amf0Undefined.UNDEFINED;
      case Amf0Markers.DATE:
        need(in, 10, "a date");
        return Amf0Date.of(in.getDouble(), in.getShort());
      case Amf0Markers.OBJECT_END:
        throw new RtmpException(
            "AMF0: object-end marker 0x09 outside an object at offset " + (in.position() - 1));
      default:
        throw new RtmpException(
            "AMF0: type marker " + Amf0Markers.describe(marker) + " at offset "
                + (in.position() - 1) + " is not supported");
    }
  }

  private int enter(int depth, String what) throws RtmpException {
    if (depth + 1 > limits.maxDepth()) {
      throw new RtmpException(
          "AMF0: " + what + " nested " + (depth + 1) + " deep exceeds maxDepth " + limits.maxDepth());
    }
    return depth + 1;
  }

  /** 2.5 / 2.10: (UTF-8 key, value)* then UTF-8-empty and the object-end marker. */
  private Map<String, Object> properties(ByteBuffer in, Map<String, Object> map, int depth)
      throws RtmpException {
    while (true) {
      need(in, 2, "a property name length");
      String key = utf8(in, in.getShort() & MAX_SHORT_STRING, "property name");
      need(in, 1, "a type marker");
      if ((in.get(in.position()) & 0xFF) == Amf0Markers.OBJECT_END) {
        if (!key.isEmpty()) {
          throw new RtmpException(
              "AMF0: object-end marker after property name \"" + abbreviate(key) + "\" at offset "
                  + in.position());
        }
        in.get();
        return map;
      }
      if (map.size() == limits.maxEntries() && !map.containsKey(key)) {
        throw new RtmpException("AMF0: more than maxEntries " + limits.maxEntries() + " properties");
      }
      map.put(key, value(in, depth));
    }
  }

  /** 2.12: U32 array-count, then that many values. */
  private List<Object> strictArray(ByteBuffer in, int depth) throws RtmpException {
    need(in, 4, "a strict array count");
    long count = in.getInt() & 0xFFFFFFFFL;
    if (count > limits.maxEntries()) {
      throw new RtmpException(
          "AMF0: strict array of " + count + " elements exceeds maxEntries " + limits.maxEntries());
    }
    if (count > in.remaining()) { // every value takes at least its marker byte
      throw new RtmpException(
          "AMF0: strict array of " + count + " elements cannot fit in the " + in.remaining()
              + " bytes left");
    }
    List<Object> list = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      list.add(value(in, depth));
    }
    return list;
  }

  private String utf8(ByteBuffer in, long length, String what) throws RtmpException {
    if (length > limits.maxStringBytes()) {
      throw new RtmpException(
          "AMF0: " + what + " of " + length + " bytes exceeds maxStringBytes "
              + limits.maxStringBytes());
    }
    need(in, length, "a " + what);
    int n = (int) length;
    String s;
    if (in.hasArray()) {
      s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
      ((Buffer) in).position(in.position() + n); // Buffer's: Android 8 lacks the covariant one
    } else {
      byte[] bytes = new byte[n];
      in.get(bytes);
      s = new String(bytes, StandardCharsets.UTF_8);
    }
    return s;
  }

  private static void need(ByteBuffer in, long bytes, String what) throws RtmpException {
    if (in.remaining() < bytes) {
      throw new RtmpException(
          "AMF0: truncated at offset " + in.position() + ": " + what + " needs " + bytes
              + " bytes, " + in.remaining() + " left");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
