package io.livemux.rtmp.amf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes plain Java values as AMF0, the inverse of {@link Amf0Decoder}:
 *
 * <ul>
 *   <li>{@link Double}, {@link Float}, {@link Integer}, {@link Short}, {@link Byte}, and {@link
 *       Long} values a double holds exactly: number (0x00);
 *   <li>{@link Boolean}: boolean (0x01, written as 0 or 1);
 *   <li>{@link String}: string (0x02) up to 65535 UTF-8 bytes, long string (0x0C) beyond (2.14);
 *       unpaired surrogates become {@code ?}, as {@link String#getBytes} makes them;
 *   <li>{@link Amf0EcmaArray}: ECMA array (0x08); any other {@link Map} with {@link String} keys:
 *       object (0x03), both in iteration order and ended by UTF-8-empty and 0x09 (2.11);
 *   <li>{@link List}: strict array (0x0A); {@code null}: null (0x05); {@link
 *       Amf0Undefined#UNDEFINED}: undefined (0x06); {@link Amf0Date}: date (0x0B).
 * </ul>
 *
 * <p>Anything else, a key longer than 65535 UTF-8 bytes, or containers nested deeper than {@link
 * Amf0Limits#maxDepth()} (a cycle, say) is a caller mistake: {@link IllegalArgumentException}
 * naming the value. After one, the encoder holds a partial value: {@link #reset()} it.
 *
 * <p>Values accumulate in an internal growable array; {@link #toByteBuffer()} returns a copy the
 * caller owns. Not thread-safe: one encoder per thread, reused with {@link #reset()}.
 */
public final class Amf0Encoder {
  private static final long MAX_EXACT_LONG = 1L << 53;

  private final int maxDepth;
  private byte[] bytes = new byte[256];
  private int size;

  /** An encoder whose nesting bound is {@link Amf0Limits#maxDepth()} of {@code limits}. */
  public Amf0Encoder(Amf0Limits limits) {
    this.maxDepth = limits.maxDepth();
  }

  public Amf0Encoder() {
    this(Amf0Limits.defaults());
  }

  /** The AMF0 encoding of {@code values}, one after the other, in a new buffer positioned at 0. */
  public static ByteBuffer encode(Object... values) {
    Amf0Encoder encoder = new Amf0Encoder();
    for (Object value : values) {
      encoder.write(value);
    }
    return encoder.toByteBuffer();
  }

  /** Appends one value. */
  public Amf0Encoder write(Object value) {
    value(value, 0);
    return this;
  }

  /** Bytes written since the last {@link #reset()}. */
  public int size() {
    return size;
  }

  /** A copy of the bytes written, positioned at 0. */
  public ByteBuffer toByteBuffer() {
    return ByteBuffer.wrap(Arrays.copyOf(bytes, size));
  }

  /** Forgets what was written, keeping the internal array. */
  public void reset() {
    size = 0;
  }

  private void value(Object value, int depth) {
    if (value == null) {
      u8(Amf0Markers.NULL);
    } else if (value instanceof Double || value instanceof Float || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      number(((Number) value).doubleValue());
    } else if (value instanceof Long) {
      long l = (Long) value;
      if (l > MAX_EXACT_LONG || l < -MAX_EXACT_LONG) {
        throw new IllegalArgumentException("AMF0 number cannot hold this Long exactly: " + l);
      }
      number(l);
    } else if (value instanceof Boolean) {
      u8(Amf0Markers.BOOLEAN);
      u8((Boolean) value ? 1 : 0);
    } else if (value instanceof String) {
      byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
      if (utf8.length <= 0xFFFF) {
        u8(Amf0Markers.STRING);
        u16(utf8.length);
      } else {
        u8(Amf0Markers.LONG_STRING);
        u32(utf8.length);
      }
      raw(utf8);
    } else if (value instanceof Map) {
      boolean ecma = value instanceof Amf0EcmaArray;
      Map<?, ?> map = (Map<?, ?>) value;
      int inner = enter(depth, value);
      u8(ecma ? Amf0Markers.ECMA_ARRAY : Amf0Markers.OBJECT);
      if (ecma) {
        u32(map.size()); // 2.10: associative-count
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("AMF0 property names are strings: " + e.getKey());
        }
        key((String) e.getKey());
        value(e.getValue(), inner);
      }
      u16(0); // UTF-8-empty
      u8(Amf0Markers.OBJECT_END);
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      int inner = enter(depth, value);
      u8(Amf0Markers.STRICT_ARRAY);
      u32(list.size());
      for (Object element : list) {
        value(element, inner);
      }
    } else if (value instanceof Amf0Undefined) {
      u8(Amf0Markers.UNDEFINED);
    } else if (value instanceof Amf0Date) {
      Amf0Date date = (Amf0Date) value;
      u8(Amf0Markers.DATE);
      u64(Double.doubleToRawLongBits(date.millisSinceEpoch()));
      u16(date.timeZone());
    } else {
      throw new IllegalArgumentException(
          "AMF0 cannot encode a " + value.getClass().getName() + ": " + value);
    }
  }

  private int enter(int depth, Object container) {
    if (depth + 1 > maxDepth) {
      throw new IllegalArgumentException(
          "AMF0: containers nested deeper than maxDepth " + maxDepth + " (a cycle?) at a "
              + container.getClass().getSimpleName());
    }
    return depth + 1;
  }

  private void number(double d) {
    u8(Amf0Markers.NUMBER);
    u64(Double.doubleToRawLongBits(d));
  }

  private void key(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "AMF0 property name longer than 65535 UTF-8 bytes: " + utf8.length);
    }
    u16(utf8.length);
    raw(utf8);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      long wanted = Math.max((long) bytes.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("AMF0 encoding larger than 2 GiB");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
  }

  private void u8(int v) {
    ensure(1);
    bytes[size++] = (byte) v;
  }

  private void u16(int v) {
    ensure(2);
    bytes[size++] = (byte) (v >>> 8);
    bytes[size++] = (byte) v;
  }

  private void u32(long v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (v >>> shift);
    }
  }

  private void u64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes[size++] = (byte) (v >>> shift);
    }
  }

  private void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, size, b.length);
    size += b.length;
  }
}
