package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RGB to I420, BT.601 limited range: against ffmpeg's swscale, and its ranges. */
class ColorConversionTest {
  @TempDir Path dir;

  private static final int[][] COLOURS = {
    {0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {128, 128, 128},
    {255, 255, 0}, {0, 255, 255}, {255, 0, 255}, {12, 200, 99}, {240, 17, 130}, {70, 70, 200},
  };

  @Test
  void flatColours_matchFfmpegsRgb24ToYuv420p_withinOne() throws Exception {
    int w = 16;
    int h = 16;
    byte[] rgb = new byte[COLOURS.length * w * h * 3];
    for (int c = 0; c < COLOURS.length; c++) {
      for (int i = 0; i < w * h; i++) {
        int at = (c * w * h + i) * 3;
        rgb[at] = (byte) COLOURS[c][0];
        rgb[at + 1] = (byte) COLOURS[c][1];
        rgb[at + 2] = (byte) COLOURS[c][2];
      }
    }
    Path in = dir.resolve("in.rgb");
    Path out = dir.resolve("out.yuv");
    Files.write(in, rgb);
    Peers.ffmpeg("-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", w + "x" + h,
        "-i", in.toString(), "-f", "rawvideo", "-pix_fmt", "yuv420p", out.toString());
    byte[] theirs = Files.readAllBytes(out);
    int frame = w * h * 3 / 2;
    for (int c = 0; c < COLOURS.length; c++) {
      byte[] ours = new byte[frame];
      byte[] y = new byte[w * h];
      byte[] u = new byte[w * h / 4];
      byte[] v = new byte[w * h / 4];
      byte[] one = new byte[w * h * 3];
      System.arraycopy(rgb, c * w * h * 3, one, 0, one.length);
      ColorConversion.rgb24ToYuv420(one, w, h, y, w, u, v, w / 2, false);
      System.arraycopy(y, 0, ours, 0, y.length);
      System.arraycopy(u, 0, ours, y.length, u.length);
      System.arraycopy(v, 0, ours, y.length + u.length, v.length);
      for (int i = 0; i < frame; i++) {
        int a = ours[i] & 0xFF;
        int b = theirs[c * frame + i] & 0xFF;
        String plane = i < w * h ? "Y" : i < w * h * 5 / 4 ? "Cb" : "Cr";
        assertTrue(Math.abs(a - b) <= 1, "colour " + c + " " + plane + ": ours " + a + ", ffmpeg " + b);
      }
    }
  }

  @Property(tries = 300)
  void anyColour_staysInLimitedRange_andArgbAgreesWithRgb24(
      @ForAll @IntRange(max = 255) int r, @ForAll @IntRange(max = 255) int g,
      @ForAll @IntRange(max = 255) int b) {
    int y = ColorConversion.luma(r, g, b);
    int cb = ColorConversion.cb(r, g, b);
    int cr = ColorConversion.cr(r, g, b);
    assertTrue(y >= 16 && y <= 235, "Y " + y);
    assertTrue(cb >= 16 && cb <= 240, "Cb " + cb);
    assertTrue(cr >= 16 && cr <= 240, "Cr " + cr);
    int[] argb = new int[4];
    byte[] rgb = new byte[12];
    for (int i = 0; i < 4; i++) {
      argb[i] = 0x7F000000 | (r << 16) | (g << 8) | b;
      rgb[i * 3] = (byte) r;
      rgb[i * 3 + 1] = (byte) g;
      rgb[i * 3 + 2] = (byte) b;
    }
    byte[] y1 = new byte[4];
    byte[] u1 = new byte[1];
    byte[] v1 = new byte[1];
    byte[] y2 = new byte[4];
    byte[] u2 = new byte[1];
    byte[] v2 = new byte[1];
    ColorConversion.argbToYuv420(argb, 2, 2, y1, 2, u1, v1, 1, true);
    ColorConversion.rgb24ToYuv420(rgb, 2, 2, y2, 2, u2, v2, 1, true);
    assertTrue(java.util.Arrays.equals(y1, y2) && u1[0] == u2[0] && v1[0] == v2[0]);
    assertTrue((y1[0] + 128) == y, "signed layout is value - 128");
  }
}
