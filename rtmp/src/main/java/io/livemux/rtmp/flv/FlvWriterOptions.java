package io.livemux.rtmp.flv;

import io.livemux.rtmp.amf.Amf0Encoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an {@link FlvWriter} writes. Immutable; start from {@link #defaults()} and change with the
 * {@code with*} methods.
 */
public final class FlvWriterOptions {
  private static final FlvWriterOptions DEFAULTS =
      new FlvWriterOptions(Collections.<String, Object>emptyMap());

  private final Map<String, Object> metadata;

  private FlvWriterOptions(Map<String, Object> metadata) {
    this.metadata = metadata;
  }

  /** No extra onMetaData properties. */
  public static FlvWriterOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Extra onMetaData properties (title, comment…), written after the ones the writer derives from
   * the tracks and overriding them on a clash. Values are AMF0-encodable Java values (see {@link
   * Amf0Encoder}); the map is copied.
   *
   * @throws IllegalArgumentException if a value cannot be encoded
   */
  public FlvWriterOptions withMetadata(Map<String, ?> metadata) {
    Map<String, Object> copy = new LinkedHashMap<>(metadata);
    new Amf0Encoder().write(copy); // fails now, with the value named, rather than at start()
    return new FlvWriterOptions(Collections.unmodifiableMap(copy));
  }

  /** The extra onMetaData properties, unmodifiable. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  @Override
  public String toString() {
    return "FlvWriterOptions{metadata=" + metadata + "}";
  }
}
