package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** {@link Formats#decimal} prints what {@code String.format} prints for the figures we show. */
class FormatsProperties {
  @Property(tries = 5000)
  void decimal_printsWhatStringFormatPrints(
      @ForAll @DoubleRange(min = 0, max = 1e9) double value, @ForAll @IntRange(min = 0, max = 4) int places) {
    assertEquals(String.format(Locale.ROOT, "%." + places + "f", value), Formats.decimal(value, places),
        value + " with " + places);
  }

  @Property(tries = 2000)
  void decimal_ofValuesOnTheHalf_roundsAsStringFormatDoes(
      @ForAll @IntRange(min = 0, max = 1_000_000) int thousandths, @ForAll @IntRange(min = 0, max = 2) int places) {
    double value = thousandths / 1000.0; // 1.005, 2.675, 0.125: the shortest form ends in 5
    assertEquals(String.format(Locale.ROOT, "%." + places + "f", value), Formats.decimal(value, places),
        value + " with " + places);
  }

  @Example
  void decimal_refusesWhatItCannotPrint() {
    assertThrows(IllegalArgumentException.class, () -> Formats.decimal(-1, 2));
    assertThrows(IllegalArgumentException.class, () -> Formats.decimal(Double.NaN, 2));
    assertThrows(IllegalArgumentException.class, () -> Formats.decimal(Double.POSITIVE_INFINITY, 2));
  }
}
