package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class WindowGroupingTest {
  @Property
  void groups_coverEightWindows_andIsolateEveryWindowHoldingTheAttack(
      @ForAll @IntRange(min = -1, max = 2047) int attack) {
    int[] groups = FrameEncoder.groups(attack);
    int window = 0;
    for (int length : groups) {
      for (int i = 0; i < length; i++) {
        int w = window + i;
        boolean holdsAttack = 448 + 128 * w <= attack && attack < 704 + 128 * w;
        if (holdsAttack) {
          assertEquals(1, length, "window " + w + " holds attack " + attack + " in a group");
        }
      }
      window += length;
    }
    assertEquals(8, window);
    // scale_factor_grouping read back the way the frame parser (and a decoder) reads it.
    IcsLayout layout =
        new IcsLayout(
            IcsLayout.EIGHT_SHORT_SEQUENCE, groups, 14,
            ScalefactorBands.forIndex(3).shortOffsets());
    int bits = layout.scaleFactorGrouping();
    int[] readBack = new int[8];
    int count = 0;
    int length = 1;
    for (int w = 1; w < 8; w++) {
      if ((bits & (1 << (6 - (w - 1)))) != 0) {
        length++;
      } else {
        readBack[count++] = length;
        length = 1;
      }
    }
    readBack[count++] = length;
    assertArrayEquals(groups, java.util.Arrays.copyOf(readBack, count));
  }

  @Test
  void groups_attackInWindowsThreeAndFour_isolatesBoth() {
    // 448 + 128 * 4 = 960: inside window 4 (960..1216) and window 3 (832..1088).
    assertArrayEquals(new int[] {3, 1, 1, 3}, FrameEncoder.groups(1000));
  }

  @Test
  void transientDetector_findsAClickOverALoudTone_butNothingInSilenceOrTheSteadyTone() {
    TransientDetector detector = new TransientDetector();
    assertEquals(-1, detector.analyze(new double[1024]));
    detector.analyze(tone(0));
    assertEquals(-1, detector.analyze(tone(1)), "a steady tone is no attack");
    assertEquals(-1, detector.analyze(tone(2)), "a steady tone is no attack");
    double[] click = tone(3);
    for (int i = 700; i < 760; i++) {
      click[i] += (i % 2 == 0 ? 20000 : -20000) * Math.exp(-(i - 700) / 20.0);
    }
    assertEquals(640, detector.analyze(click), "the 64-sample sub-block holding sample 700");
  }

  /** Block {@code index} of a loud, steady 440 Hz tone at 48 kHz. */
  private static double[] tone(int index) {
    double[] block = new double[1024];
    for (int i = 0; i < 1024; i++) {
      block[i] = 30000 * Math.sin(2 * Math.PI * 440 * (index * 1024 + i) / 48000.0);
    }
    return block;
  }
}
