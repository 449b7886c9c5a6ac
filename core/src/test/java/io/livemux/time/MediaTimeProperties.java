package io.livemux.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class MediaTimeProperties {

  @Provide
  Arbitrary<Integer> timescales() {
    return Arbitraries.oneOf(
        Arbitraries.of(1, 1000, 8000, 22050, 44100, 48000, 90000, 1_000_000, 1_000_000_000),
        Arbitraries.integers().between(1, Integer.MAX_VALUE));
  }

  @Provide
  Arbitrary<RoundingMode> roundings() {
    return Arbitraries.of(
        RoundingMode.UP, RoundingMode.DOWN, RoundingMode.CEILING, RoundingMode.FLOOR,
        RoundingMode.HALF_UP, RoundingMode.HALF_DOWN, RoundingMode.HALF_EVEN);
  }

  @Property
  void rescale_roundTrip_staysWithinOneTick(
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long ticks,
      @ForAll("timescales") int from,
      @ForAll("timescales") int to,
      @ForAll("roundings") RoundingMode rounding) {
    MediaTime original = MediaTime.of(ticks, from);
    MediaTime there;
    try {
      there = original.rescale(to, rounding);
    } catch (ArithmeticException overflow) {
      // Only legitimate when the exact value does not fit in 64 bits.
      BigInteger exact = BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(to))
          .divide(BigInteger.valueOf(from));
      assertTrue(exact.bitLength() >= 62, "spurious overflow for " + original + " -> " + to);
      return;
    }
    MediaTime back = there.rescale(from, rounding);
    // Going through a coarser timescale loses at most one of its ticks, i.e. from/to of ours.
    long allowed = Math.max(1, (long) Math.ceil((double) from / to)) + 1;
    assertTrue(
        Math.abs(back.ticks() - ticks) <= allowed,
        original + " -> " + there + " -> " + back + " (allowed " + allowed + ")");
    if (to >= from) {
      assertTrue(Math.abs(back.ticks() - ticks) <= 1, original + " -> " + there + " -> " + back);
    }
  }

  @Property
  void rescale_agreesWithBigDecimal(
      @ForAll long ticks,
      @ForAll("timescales") int from,
      @ForAll("timescales") int to,
      @ForAll("roundings") RoundingMode rounding) {
    BigInteger exact =
        new BigDecimal(BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(to)))
            .divide(BigDecimal.valueOf(from), 0, rounding)
            .toBigInteger();
    if (exact.bitLength() > 63) {
      assertThrows(ArithmeticException.class, () -> MediaTime.rescaleTicks(ticks, from, to, rounding));
    } else {
      assertEquals(exact.longValue(), MediaTime.rescaleTicks(ticks, from, to, rounding));
    }
  }

  @Property
  void compare_isConsistentAcrossTimescales(
      @ForAll long aTicks, @ForAll("timescales") int aScale,
      @ForAll long bTicks, @ForAll("timescales") int bScale) {
    MediaTime a = MediaTime.of(aTicks, aScale);
    MediaTime b = MediaTime.of(bTicks, bScale);
    BigInteger left = BigInteger.valueOf(aTicks).multiply(BigInteger.valueOf(bScale));
    BigInteger right = BigInteger.valueOf(bTicks).multiply(BigInteger.valueOf(aScale));
    assertEquals(Integer.signum(left.compareTo(right)), Integer.signum(a.compareTo(b)));
    assertEquals(-Integer.signum(a.compareTo(b)), Integer.signum(b.compareTo(a)));
    assertEquals(a.compareTo(b) == 0, a.equals(b));
    if (a.equals(b)) {
      assertEquals(a.hashCode(), b.hashCode());
    }
  }

  @Property
  void compare_isTransitive(
      @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long aTicks,
      @ForAll("timescales") int aScale,
      @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long bTicks,
      @ForAll("timescales") int bScale,
      @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long cTicks,
      @ForAll("timescales") int cScale) {
    MediaTime a = MediaTime.of(aTicks, aScale);
    MediaTime b = MediaTime.of(bTicks, bScale);
    MediaTime c = MediaTime.of(cTicks, cScale);
    if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
      assertTrue(a.compareTo(c) <= 0, a + " <= " + b + " <= " + c);
    }
  }

  @Property
  void rescaleToFinerTimescale_keepsOrder(
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long aTicks,
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long bTicks,
      @ForAll @IntRange(min = 1, max = 96000) int from) {
    MediaTime a = MediaTime.of(aTicks, from);
    MediaTime b = MediaTime.of(bTicks, from);
    int sign = Integer.signum(a.compareTo(b));
    assertEquals(sign, Integer.signum(a.rescale(from * 7).compareTo(b.rescale(from * 7))));
    // A coarser timescale may merge two times but never swaps them.
    int coarse = Integer.signum(a.rescale(1000, RoundingMode.FLOOR)
        .compareTo(b.rescale(1000, RoundingMode.FLOOR)));
    assertTrue(coarse == 0 || coarse == sign);
  }

  @Property
  void plusThenMinus_isIdentity(
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long aTicks,
      @ForAll("commonTimescales") int aScale,
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long bTicks,
      @ForAll("commonTimescales") int bScale) {
    MediaTime a = MediaTime.of(aTicks, aScale);
    MediaTime b = MediaTime.of(bTicks, bScale);
    assertEquals(a, a.plus(b).minus(b));
    assertEquals(a.plus(b), b.plus(a));
  }

  @Provide
  Arbitrary<Integer> commonTimescales() {
    return Arbitraries.of(1, 1000, 8000, 11025, 22050, 44100, 48000, 90000, 1_000_000);
  }

  @Property
  void tenDays_atMediaTimescales_isExact(
      @ForAll("tenDayScales") int timescale,
      @ForAll @LongRange(min = 0, max = 10L * 86_400) long seconds) {
    long ticks = seconds * timescale;
    MediaTime time = MediaTime.of(ticks, timescale);
    assertEquals(Duration.ofSeconds(seconds), time.toDuration());
    assertEquals(seconds * 1_000_000L, time.toMicros(RoundingMode.UNNECESSARY));
    assertEquals(time, MediaTime.of(Duration.ofSeconds(seconds), timescale, RoundingMode.UNNECESSARY));
    // One tick past is still exactly representable and distinguishable.
    MediaTime oneMore = time.plusTicks(1);
    assertTrue(oneMore.compareTo(time) > 0);
    assertEquals(ticks + 1, oneMore.rescale(timescale * 2).ticks() / 2);
  }

  @Provide
  Arbitrary<Integer> tenDayScales() {
    return Arbitraries.of(90_000, 48_000, 44_100);
  }

  @Property
  void nearTwoToThe62_overflowThrowsInsteadOfWrapping(
      @ForAll @LongRange(min = (1L << 62) + 1, max = Long.MAX_VALUE) long ticks,
      @ForAll @IntRange(min = 2, max = 1_000_000) int factor) {
    MediaTime big = MediaTime.of(ticks, 1000);
    assertThrows(ArithmeticException.class, () -> big.plus(big));
    assertThrows(ArithmeticException.class, () -> big.rescale(1000 * factor));
    assertThrows(ArithmeticException.class, () -> big.toMicros());
    assertThrows(ArithmeticException.class, () -> big.plus(MediaTime.of(1, 7)));
    assertThrows(ArithmeticException.class, () -> MediaTime.of(-ticks, 1000).minus(big));
  }

  @Property
  void toDuration_matchesExactNanoseconds(
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long ticks,
      @ForAll("timescales") int timescale) {
    Duration d = MediaTime.of(ticks, timescale).toDuration();
    BigInteger exactNanosTimesScale = BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(1_000_000_000L));
    BigInteger nanos = BigInteger.valueOf(d.getSeconds()).multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(d.getNano()));
    // |nanos * timescale - ticks * 1e9| <= timescale / 2
    BigInteger error = nanos.multiply(BigInteger.valueOf(timescale)).subtract(exactNanosTimesScale).abs();
    assertTrue(error.compareTo(BigInteger.valueOf(timescale / 2 + 1)) <= 0, ticks + "/" + timescale + " -> " + d);
  }

  /** Exact halves are rare among random values: aim at them, where rounding modes differ. */
  @Property
  void rescale_exactHalves_followTheRoundingMode(
      @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long whole,
      @ForAll @IntRange(min = 1, max = 1 << 20) int halfScale,
      @ForAll("roundings") RoundingMode rounding) {
    int from = 2 * halfScale;
    long ticks = whole * from + (whole < 0 ? -halfScale : halfScale); // whole +/- 1/2
    BigInteger expected =
        new BigDecimal(BigInteger.valueOf(ticks)).divide(BigDecimal.valueOf(from), 0, rounding)
            .toBigInteger();
    assertEquals(expected.longValue(), MediaTime.rescaleTicks(ticks, from, 1, rounding),
        ticks + "/" + from + " " + rounding);
  }
}
