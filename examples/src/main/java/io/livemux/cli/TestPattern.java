package io.livemux.cli;

import java.nio.ByteBuffer;

/**
 * A moving I420 test pattern: eight vertical colour bars scrolling sideways, a luma ramp, and a
 * white square bouncing across, so every frame differs from the last and motion is easy to see.
 *
 * <p>Not thread-safe; each call returns a new buffer the caller owns.
 */
final class TestPattern {
  // BT.601 limited-range Y, U, V of white, yellow, cyan, green, magenta, red, blue, black bars
  private static final int[][] BARS = {
    {235, 128, 128}, {210, 16, 146}, {170, 166, 16}, {145, 54, 34},
    {106, 202, 222}, {81, 90, 240}, {41, 240, 110}, {16, 128, 128}
  };

  private final int width;
  private final int height;

  TestPattern(int width, int height) {
    if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("test pattern size must be even and at least 16: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
  }

  /** Frame {@code index}: Y plane, then U, then V (I420). */
  ByteBuffer frame(int index) {
    int chromaWidth = width / 2;
    int chromaHeight = height / 2;
    byte[] picture = new byte[width * height + 2 * chromaWidth * chromaHeight];
    int shift = (index * 4) % width;
    int box = Math.max(8, height / 6) & ~1;
    int period = 2 * (width - box);
    int boxX = (index * 6) % period;
    boxX = (boxX < width - box ? boxX : period - boxX) & ~1;
    int boxY = (height - box) / 2 & ~1;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int bar = ((x + shift) % width) * BARS.length / width;
        int luma = y < height * 3 / 4 ? BARS[bar][0] : 16 + (x * 219 / width);
        if (x >= boxX && x < boxX + box && y >= boxY && y < boxY + box) {
          luma = 235;
        }
        picture[y * width + x] = (byte) luma;
      }
    }
    int u = width * height;
    int v = u + chromaWidth * chromaHeight;
    for (int y = 0; y < chromaHeight; y++) {
      for (int x = 0; x < chromaWidth; x++) {
        int bar = ((2 * x + shift) % width) * BARS.length / width;
        boolean plain = 2 * y >= height * 3 / 4
            || (2 * x >= boxX && 2 * x < boxX + box && 2 * y >= boxY && 2 * y < boxY + box);
        picture[u + y * chromaWidth + x] = (byte) (plain ? 128 : BARS[bar][1]);
        picture[v + y * chromaWidth + x] = (byte) (plain ? 128 : BARS[bar][2]);
      }
    }
    return ByteBuffer.wrap(picture);
  }
}
