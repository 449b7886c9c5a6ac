package io.livemux.format;

/**
 * Raw pictures, planar YUV 4:2:0 (I420: the Y plane, then U, then V, each row tightly packed), 8 bits
 * per sample. Immutable.
 *
 * <p>Chroma planes are {@code ceil(width / 2) x ceil(height / 2)}, so odd sizes are allowed.
 */
public final class RawVideoFormat extends VideoFormat {
  /** Largest width or height accepted. */
  public static final int MAX_DIMENSION = 16_384;

  private final int width;
  private final int height;

  private RawVideoFormat(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /** I420 pictures of {@code width x height} pixels (each 1..16384). */
  public static RawVideoFormat yuv420p(int width, int height) {
    if (width < 1 || width > MAX_DIMENSION) {
      throw new IllegalArgumentException("width out of range 1.." + MAX_DIMENSION + ": " + width);
    }
    if (height < 1 || height > MAX_DIMENSION) {
      throw new IllegalArgumentException("height out of range 1.." + MAX_DIMENSION + ": " + height);
    }
    return new RawVideoFormat(width, height);
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  /** Width of each chroma plane. */
  public int chromaWidth() {
    return (width + 1) / 2;
  }

  /** Height of each chroma plane. */
  public int chromaHeight() {
    return (height + 1) / 2;
  }

  /** Bytes in one picture: the luma plane plus two chroma planes. */
  public int pictureSizeBytes() {
    return width * height + 2 * chromaWidth() * chromaHeight();
  }

  @Override
  public String mimeType() {
    return "video/raw";
  }

  @Override
  public boolean isRaw() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawVideoFormat
        && ((RawVideoFormat) o).width == width
        && ((RawVideoFormat) o).height == height;
  }

  @Override
  public int hashCode() {
    return width * 31 + height;
  }

  @Override
  public String toString() {
    return "RawVideoFormat{yuv420p, " + width + "x" + height + "}";
  }
}
