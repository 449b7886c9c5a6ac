package io.livemux.rtmp.amf;

/**
 * Bounds on what an {@link Amf0Decoder} accepts, so that hostile input fails fast with an {@link
 * io.livemux.rtmp.RtmpException} naming the limit and the value instead of exhausting the stack or
 * the heap. Every length is also checked against the bytes actually present before anything is
 * allocated. Immutable; start from {@link #defaults()}.
 */
public final class Amf0Limits {
  /** Objects, ECMA and strict arrays nested this deep are plenty for RTMP commands and metadata. */
  public static final int DEFAULT_MAX_DEPTH = 32;
  /** Long strings (AMF0 2.14) may claim 4 GiB; real metadata strings are short. */
  public static final int DEFAULT_MAX_STRING_BYTES = 1 << 20;
  /** Properties of one object or ECMA array, elements of one strict array. */
  public static final int DEFAULT_MAX_ENTRIES = 1 << 16;

  private static final Amf0Limits DEFAULTS =
      new Amf0Limits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_BYTES, DEFAULT_MAX_ENTRIES);

  private final int maxDepth;
  private final int maxStringBytes;
  private final int maxEntries;

  private Amf0Limits(int maxDepth, int maxStringBytes, int maxEntries) {
    this.maxDepth = maxDepth;
    this.maxStringBytes = maxStringBytes;
    this.maxEntries = maxEntries;
  }

  /** Depth 32, strings up to 1 MiB, 65536 entries per container. */
  public static Amf0Limits defaults() {
    return DEFAULTS;
  }

  /** Containers nested at most this deep (1: a top-level object of plain values), 1..1024. */
  public Amf0Limits withMaxDepth(int maxDepth) {
    if (maxDepth < 1 || maxDepth > 1024) {
      throw new IllegalArgumentException("maxDepth out of range 1..1024: " + maxDepth);
    }
    return new Amf0Limits(maxDepth, maxStringBytes, maxEntries);
  }

  /** The longest string or key, in UTF-8 bytes, {@code >= 0}. */
  public Amf0Limits withMaxStringBytes(int maxStringBytes) {
    if (maxStringBytes < 0) {
      throw new IllegalArgumentException("maxStringBytes < 0: " + maxStringBytes);
    }
    return new Amf0Limits(maxDepth, maxStringBytes, maxEntries);
  }

  /** The most properties or elements in one container, {@code >= 0}. */
  public Amf0Limits withMaxEntries(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries < 0: " + maxEntries);
    }
    return new Amf0Limits(maxDepth, maxStringBytes, maxEntries);
  }

  public int maxDepth() {
    return maxDepth;
  }

  public int maxStringBytes() {
    return maxStringBytes;
  }

  public int maxEntries() {
    return maxEntries;
  }

  @Override
  public String toString() {
    return "Amf0Limits{maxDepth=" + maxDepth + ", maxStringBytes=" + maxStringBytes
        + ", maxEntries=" + maxEntries + "}";
  }
}
