package io.livemux.encode;

import io.livemux.format.RawVideoFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;

/**
 * A moving test pattern, different in every frame: a diagonal luma ramp that scrolls, a bright box
 * that moves across it, and chroma ramps that drift. Smooth enough to be coded well, busy enough
 * that a wrong frame or a frame from the wrong time shows in PSNR. Public for the mp4 module's
 * recording tests (core's test-jar).
 */
public final class TestPictures {
  private TestPictures() {}

  public static byte[] i420(int width, int height, int frame) {
    int cw = width / 2;
    int ch = height / 2;
    byte[] p = new byte[width * height + 2 * cw * ch];
    int boxX = (frame * 7) % Math.max(1, width - width / 5);
    int boxY = (frame * 3) % Math.max(1, height - height / 5);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = 40 + triangle(x + y + frame * 4, 150);
        if (x >= boxX && x < boxX + width / 5 && y >= boxY && y < boxY + height / 5) {
          v = 225 - ((x - boxX) + (y - boxY)) / 4;
        }
        p[y * width + x] = (byte) v;
      }
    }
    int u = width * height;
    int v = u + cw * ch;
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        p[u + y * cw + x] = (byte) (64 + triangle(x * 2 + frame, 128));
        p[v + y * cw + x] = (byte) (64 + triangle(y * 2 + frame * 2, 128));
      }
    }
    return p;
  }

  /** The same scene as packed ARGB: each pixel's colour a function of position and frame. */
  public static int[] argb(int width, int height, int frame) {
    int[] p = new int[width * height];
    int boxX = (frame * 5) % Math.max(1, width - width / 4);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = triangle(x * 2 + frame * 3, 255);
        int g = triangle(y * 2 + frame, 255);
        int b = 128 + triangle(x + y, 96);
        if (x >= boxX && x < boxX + width / 4 && y >= height / 3 && y < 2 * height / 3) {
          r = 250;
          g = 40;
          b = 40;
        }
        p[y * width + x] = 0xFF000000 | (r << 16) | (g << 8) | b;
      }
    }
    return p;
  }

  /** {@link #argb} converted to I420 by {@link ColorConversion}: what the encoder should see. */
  public static byte[] i420FromArgb(int width, int height, int frame) {
    byte[] y = new byte[width * height];
    byte[] u = new byte[width * height / 4];
    byte[] v = new byte[width * height / 4];
    ColorConversion.argbToYuv420(argb(width, height, frame), width, height, y, width, u, v,
        width / 2, false);
    byte[] out = new byte[y.length + u.length + v.length];
    System.arraycopy(y, 0, out, 0, y.length);
    System.arraycopy(u, 0, out, y.length, u.length);
    System.arraycopy(v, 0, out, y.length + u.length, v.length);
    return out;
  }

  /** 0 up to {@code period} and back down, over {@code 2 * period}: smooth, no wrap-around edge. */
  public static int triangle(int t, int period) {
    int m = t % (2 * period);
    return m < period ? m : 2 * period - m;
  }

  public static Sample sample(int width, int height, int frame, long ptsTicks, int timescale) {
    return Sample.rawPicture(RawVideoFormat.yuv420p(width, height),
        ByteBuffer.wrap(i420(width, height, frame)), ptsTicks, timescale);
  }

  /** PSNR of two 8-bit planes' worth of bytes (the whole I420 picture), in dB; 99 when equal. */
  public static double psnr(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
    long sse = 0;
    for (int i = 0; i < length; i++) {
      int d = (a[aOffset + i] & 0xFF) - (b[bOffset + i] & 0xFF);
      sse += (long) d * d;
    }
    if (sse == 0) {
      return 99;
    }
    double mse = (double) sse / length;
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
