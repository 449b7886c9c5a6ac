package io.livemux.rtmp.flv;

import io.livemux.rtmp.amf.Amf0Limits;

/**
 * Bounds on what the FLV decoders accept, so hostile or corrupt input fails fast with an {@link
 * io.livemux.rtmp.RtmpException} naming the limit and the value. Immutable; start from {@link
 * #defaults()}.
 */
public final class FlvLimits {
  /** 8 MiB: several times a 4K keyframe at streaming bitrates. */
  public static final int DEFAULT_MAX_TAG_DATA_SIZE = 8 << 20;

  private static final FlvLimits DEFAULTS =
      new FlvLimits(DEFAULT_MAX_TAG_DATA_SIZE, Amf0Limits.defaults());

  private final int maxTagDataSize;
  private final Amf0Limits amf0;

  private FlvLimits(int maxTagDataSize, Amf0Limits amf0) {
    this.maxTagDataSize = maxTagDataSize;
    this.amf0 = amf0;
  }

  /** Tags up to 8 MiB, AMF0 with {@link Amf0Limits#defaults()}. */
  public static FlvLimits defaults() {
    return DEFAULTS;
  }

  /** The largest tag body (DataSize) accepted, 1..16777215 (the UI24 maximum). */
  public FlvLimits withMaxTagDataSize(int maxTagDataSize) {
    if (maxTagDataSize < 1 || maxTagDataSize > FlvTag.MAX_DATA_SIZE) {
      throw new IllegalArgumentException(
          "maxTagDataSize out of range 1..16777215: " + maxTagDataSize);
    }
    return new FlvLimits(maxTagDataSize, amf0);
  }

  /** The bounds for script data (onMetaData). */
  public FlvLimits withAmf0Limits(Amf0Limits amf0) {
    if (amf0 == null) {
      throw new NullPointerException("amf0");
    }
    return new FlvLimits(maxTagDataSize, amf0);
  }

  public int maxTagDataSize() {
    return maxTagDataSize;
  }

  public Amf0Limits amf0Limits() {
    return amf0;
  }

  @Override
  public String toString() {
    return "FlvLimits{maxTagDataSize=" + maxTagDataSize + ", " + amf0 + "}";
  }
}
