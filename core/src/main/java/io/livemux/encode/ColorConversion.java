package io.livemux.encode;

/**
 * Packed RGB to planar YUV 4:2:0, ITU-R BT.601 coefficients, limited ("TV") range: Y in 16..235,
 * Cb and Cr in 16..240, the 8-bit integer approximation of BT.601 section 2.5 that most encoders
 * use:
 *
 * <pre>
 * Y  = ((  66 R + 129 G +  25 B + 128) >> 8) + 16
 * Cb = (( -38 R -  74 G + 112 B + 128) >> 8) + 128
 * Cr = (( 112 R -  94 G -  18 B + 128) >> 8) + 128
 * </pre>
 *
 * Chroma comes from the average of each 2x2 block of RGB pixels, so it is centre-sited (as in JPEG);
 * H.264's default 4:2:0 chroma location is left-sited, a quarter-pixel shift we accept. Width and
 * height must be even. Stateless; thread-safe.
 *
 * <p>The output planes may be wider than the picture ({@code lumaStride}, {@code chromaStride}) and
 * hold values minus 128 when {@code signed} is set: JCodec's picture layout, so the encoder needs no
 * second copy.
 */
final class ColorConversion {
  private ColorConversion() {}

  /** Converts {@code width x height} ARGB pixels (alpha ignored) into the three planes. */
  static void argbToYuv420(int[] argb, int width, int height, byte[] y, int lumaStride, byte[] u,
      byte[] v, int chromaStride, boolean signed) {
    int bias = signed ? 128 : 0;
    for (int row = 0; row < height; row += 2) {
      int in0 = row * width;
      int in1 = in0 + width;
      int out0 = row * lumaStride;
      int out1 = out0 + lumaStride;
      int c = (row >> 1) * chromaStride;
      for (int col = 0; col < width; col += 2) {
        int p00 = argb[in0 + col];
        int p01 = argb[in0 + col + 1];
        int p10 = argb[in1 + col];
        int p11 = argb[in1 + col + 1];
        int r00 = (p00 >> 16) & 0xFF, g00 = (p00 >> 8) & 0xFF, b00 = p00 & 0xFF;
        int r01 = (p01 >> 16) & 0xFF, g01 = (p01 >> 8) & 0xFF, b01 = p01 & 0xFF;
        int r10 = (p10 >> 16) & 0xFF, g10 = (p10 >> 8) & 0xFF, b10 = p10 & 0xFF;
        int r11 = (p11 >> 16) & 0xFF, g11 = (p11 >> 8) & 0xFF, b11 = p11 & 0xFF;
        y[out0 + col] = (byte) (luma(r00, g00, b00) - bias);
        y[out0 + col + 1] = (byte) (luma(r01, g01, b01) - bias);
        y[out1 + col] = (byte) (luma(r10, g10, b10) - bias);
        y[out1 + col + 1] = (byte) (luma(r11, g11, b11) - bias);
        int r = (r00 + r01 + r10 + r11 + 2) >> 2;
        int g = (g00 + g01 + g10 + g11 + 2) >> 2;
        int b = (b00 + b01 + b10 + b11 + 2) >> 2;
        u[c + (col >> 1)] = (byte) (cb(r, g, b) - bias);
        v[c + (col >> 1)] = (byte) (cr(r, g, b) - bias);
      }
    }
  }

  /** Converts {@code width x height} RGB24 pixels (R, G, B bytes) into the three planes. */
  static void rgb24ToYuv420(byte[] rgb, int width, int height, byte[] y, int lumaStride, byte[] u,
      byte[] v, int chromaStride, boolean signed) {
    int bias = signed ? 128 : 0;
    int rowBytes = width * 3;
    for (int row = 0; row < height; row += 2) {
      int in0 = row * rowBytes;
      int in1 = in0 + rowBytes;
      int out0 = row * lumaStride;
      int out1 = out0 + lumaStride;
      int c = (row >> 1) * chromaStride;
      for (int col = 0; col < width; col += 2) {
        int i00 = in0 + col * 3;
        int i10 = in1 + col * 3;
        int r00 = rgb[i00] & 0xFF, g00 = rgb[i00 + 1] & 0xFF, b00 = rgb[i00 + 2] & 0xFF;
        int r01 = rgb[i00 + 3] & 0xFF, g01 = rgb[i00 + 4] & 0xFF, b01 = rgb[i00 + 5] & 0xFF;
        int r10 = rgb[i10] & 0xFF, g10 = rgb[i10 + 1] & 0xFF, b10 = rgb[i10 + 2] & 0xFF;
        int r11 = rgb[i10 + 3] & 0xFF, g11 = rgb[i10 + 4] & 0xFF, b11 = rgb[i10 + 5] & 0xFF;
        y[out0 + col] = (byte) (luma(r00, g00, b00) - bias);
        y[out0 + col + 1] = (byte) (luma(r01, g01, b01) - bias);
        y[out1 + col] = (byte) (luma(r10, g10, b10) - bias);
        y[out1 + col + 1] = (byte) (luma(r11, g11, b11) - bias);
        int r = (r00 + r01 + r10 + r11 + 2) >> 2;
        int g = (g00 + g01 + g10 + g11 + 2) >> 2;
        int b = (b00 + b01 + b10 + b11 + 2) >> 2;
        u[c + (col >> 1)] = (byte) (cb(r, g, b) - bias);
        v[c + (col >> 1)] = (byte) (cr(r, g, b) - bias);
      }
    }
  }

  static int luma(int r, int g, int b) {
    return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
  }

  static int cb(int r, int g, int b) {
    return ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
  }

  static int cr(int r, int g, int b) {
    return ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
  }
}
