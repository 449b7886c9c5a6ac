package io.livemux.rtmp.amf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AMF0 ECMA array (AMF0 2.10, marker 0x08): string keys to values in insertion order, like an
 * anonymous object (2.5, marker 0x03), which is any other {@link Map}. It is a {@code Map} so that
 * readers of {@code onMetaData} need not care which of the two a peer sent; the type only tells the
 * {@link Amf0Encoder} which marker to write.
 *
 * <p>Mutable like any {@link LinkedHashMap} and not thread-safe; a decoded one belongs to the caller.
 */
public final class Amf0EcmaArray extends LinkedHashMap<String, Object> {
  private static final long serialVersionUID = 1L;

  public Amf0EcmaArray() {}

  /** A copy of {@code entries}, in their iteration order. */
  public Amf0EcmaArray(Map<String, ?> entries) {
    super(entries);
  }
}
