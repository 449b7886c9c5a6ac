package io.livemux.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.RoundingMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MediaTimeTest {
  @Test
  void plus_acrossTimescales_usesCommonMultiple() {
    MediaTime sum = MediaTime.of(1, 90_000).plus(MediaTime.of(1, 48_000));
    assertEquals(720_000, sum.timescale());
    assertEquals(8 + 15, sum.ticks());
  }

  @Test
  void rescale_halfTick_roundsAwayFromZeroByDefault() {
    assertEquals(2, MediaTime.of(3, 2).rescale(1).ticks());
    assertEquals(-2, MediaTime.of(-3, 2).rescale(1).ticks());
    assertEquals(2, MediaTime.of(3, 2).rescale(1, RoundingMode.HALF_EVEN).ticks());
    assertEquals(2, MediaTime.of(5, 2).rescale(1, RoundingMode.HALF_EVEN).ticks());
    assertEquals(1, MediaTime.of(3, 2).rescale(1, RoundingMode.FLOOR).ticks());
  }

  @Test
  void equals_isByValue() {
    assertEquals(MediaTime.of(1, 2), MediaTime.of(45_000, 90_000));
    assertEquals(MediaTime.of(1, 2).hashCode(), MediaTime.of(45_000, 90_000).hashCode());
    assertEquals(MediaTime.zero(1), MediaTime.zero(90_000));
  }

  @Test
  void invalid_isExplicitAndRefusesArithmetic() {
    assertFalse(MediaTime.INVALID.isValid());
    assertThrows(IllegalStateException.class, () -> MediaTime.INVALID.plus(MediaTime.zero(1)));
    assertThrows(IllegalStateException.class, () -> MediaTime.zero(1).compareTo(MediaTime.INVALID));
    assertEquals(MediaTime.INVALID, MediaTime.INVALID);
    assertTrue(MediaTime.INVALID.toString().contains("INVALID"));
  }

  @Test
  void of_nonPositiveTimescale_namesTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MediaTime.of(1, 0));
    assertTrue(e.getMessage().contains(": 0"), e.getMessage());
  }

  @Test
  void toDuration_negativeTime_isExact() {
    assertEquals(Duration.ofMillis(-1500), MediaTime.of(-3, 2).toDuration());
    assertEquals(Duration.ofNanos(11_111), MediaTime.of(1, 90_000).toDuration());
  }

  @Test
  void ofDuration_roundsAsAsked() {
    assertEquals(3, MediaTime.of(Duration.ofMillis(1), 3000, RoundingMode.UNNECESSARY).ticks());
    assertThrows(ArithmeticException.class,
        () -> MediaTime.of(Duration.ofNanos(1), 90_000, RoundingMode.UNNECESSARY));
  }
}
