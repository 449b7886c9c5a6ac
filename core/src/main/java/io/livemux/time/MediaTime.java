package io.livemux.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * An exact point or span of media time: {@code ticks / timescale} seconds, the CMTime idea.
 *
 * <p>Arithmetic is exact or throws: {@link #plus} and {@link #minus} work in the least common
 * multiple of the two timescales; {@link #compareTo} compares across timescales without rounding;
 * {@link #rescale} rounds with an explicit {@link RoundingMode} ({@link #DEFAULT_ROUNDING}, half away
 * from zero, as CMTime and ffmpeg's {@code av_rescale} do). A result that does not fit in a {@code
 * long} throws {@link ArithmeticException}: nothing wraps silently.
 *
 * <p>{@link #INVALID} stands for an unknown time (a duration not known until the next sample); any
 * arithmetic on it throws {@link IllegalStateException}. Equality is by value: 1/2 equals 45000/90000.
 *
 * <p>Immutable and thread-safe. Engines that must not allocate per sample keep raw ticks and use the
 * static {@link #rescaleTicks} instead.
 */
public final class MediaTime implements Comparable<MediaTime> {
  /** Half away from zero, as CMTime's default and ffmpeg's {@code av_rescale} round. */
  public static final RoundingMode DEFAULT_ROUNDING = RoundingMode.HALF_UP;

  /** The unknown time: timescale 0. */
  public static final MediaTime INVALID = new MediaTime(0, 0);

  private static final int MICROS_PER_SECOND = 1_000_000;
  private static final int NANOS_PER_SECOND = 1_000_000_000;

  private final long ticks;
  private final int timescale;

  private MediaTime(long ticks, int timescale) {
    this.ticks = ticks;
    this.timescale = timescale;
  }

  /** {@code ticks / timescale} seconds; {@code timescale} must be positive. */
  public static MediaTime of(long ticks, int timescale) {
    checkTimescale(timescale);
    return new MediaTime(ticks, timescale);
  }

  /** Zero in {@code timescale}. */
  public static MediaTime zero(int timescale) {
    return of(0, timescale);
  }

  /** A time in microseconds (timescale 1 000 000). */
  public static MediaTime ofMicros(long micros) {
    return new MediaTime(micros, MICROS_PER_SECOND);
  }

  /** {@code duration} in {@code timescale}, rounded with {@code rounding}. */
  public static MediaTime of(Duration duration, int timescale, RoundingMode rounding) {
    checkTimescale(timescale);
    BigInteger nanos =
        BigInteger.valueOf(duration.getSeconds())
            .multiply(BigInteger.valueOf(NANOS_PER_SECOND))
            .add(BigInteger.valueOf(duration.getNano()));
    BigInteger scaled = nanos.multiply(BigInteger.valueOf(timescale));
    long ticks =
        longValueExact(
            new BigDecimal(scaled)
                .divide(BigDecimal.valueOf(NANOS_PER_SECOND), 0, rounding)
                .toBigInteger(),
            duration + " at timescale " + timescale);
    return new MediaTime(ticks, timescale);
  }

  /** The tick count. Meaningless for {@link #INVALID}. */
  public long ticks() {
    return ticks;
  }

  /** Ticks per second; 0 only for {@link #INVALID}. */
  public int timescale() {
    return timescale;
  }

  /** False only for {@link #INVALID}. */
  public boolean isValid() {
    return timescale > 0;
  }

  public boolean isNegative() {
    checkValid(this);
    return ticks < 0;
  }

  /** The exact sum, in the least common multiple of both timescales. */
  public MediaTime plus(MediaTime other) {
    return combine(other, false);
  }

  /** The exact difference, in the least common multiple of both timescales. */
  public MediaTime minus(MediaTime other) {
    return combine(other, true);
  }

  /** This time plus {@code deltaTicks} of its own timescale. */
  public MediaTime plusTicks(long deltaTicks) {
    checkValid(this);
    return new MediaTime(Math.addExact(ticks, deltaTicks), timescale);
  }

  private MediaTime combine(MediaTime other, boolean subtract) {
    checkValid(this);
    checkValid(other);
    int common = commonTimescale(timescale, other.timescale);
    long a = Math.multiplyExact(ticks, (long) (common / timescale));
    long b = Math.multiplyExact(other.ticks, (long) (common / other.timescale));
    return new MediaTime(subtract ? Math.subtractExact(a, b) : Math.addExact(a, b), common);
  }

  /** The least common multiple of two timescales; throws if it does not fit in an int. */
  static int commonTimescale(int a, int b) {
    if (a == b) {
      return a;
    }
    long lcm = (long) a / gcd(a, b) * b;
    if (lcm > Integer.MAX_VALUE) {
      throw new ArithmeticException(
          "timescales " + a + " and " + b + " have no common timescale below 2^31: " + lcm);
    }
    return (int) lcm;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** This time in {@code newTimescale}, rounded with {@link #DEFAULT_ROUNDING}. */
  public MediaTime rescale(int newTimescale) {
    return rescale(newTimescale, DEFAULT_ROUNDING);
  }

  /** This time in {@code newTimescale}, rounded with {@code rounding}. */
  public MediaTime rescale(int newTimescale, RoundingMode rounding) {
    checkValid(this);
    checkTimescale(newTimescale);
    return new MediaTime(rescaleTicks(ticks, timescale, newTimescale, rounding), newTimescale);
  }

  /**
   * {@code ticks * toTimescale / fromTimescale}, rounded with {@code rounding}; exact (no
   * intermediate overflow), throws {@link ArithmeticException} if the result does not fit in a long,
   * or if {@code rounding} is {@code UNNECESSARY} and the result is not exact. Allocates nothing
   * unless the intermediate product overflows 63 bits.
   */
  public static long rescaleTicks(
      long ticks, int fromTimescale, int toTimescale, RoundingMode rounding) {
    checkTimescale(fromTimescale);
    checkTimescale(toTimescale);
    if (fromTimescale == toTimescale) {
      return ticks;
    }
    if (ticks == Long.MIN_VALUE || Math.abs(ticks) > Long.MAX_VALUE / toTimescale) {
      BigInteger product = BigInteger.valueOf(ticks).multiply(BigInteger.valueOf(toTimescale));
      return longValueExact(
          new BigDecimal(product)
              .divide(BigDecimal.valueOf(fromTimescale), 0, rounding)
              .toBigInteger(),
          ticks + " ticks from timescale " + fromTimescale + " to " + toTimescale);
    }
    return divide(ticks * toTimescale, fromTimescale, rounding);
  }

  /** {@code numerator / denominator} ({@code denominator > 0}) rounded with {@code rounding}. */
  static long divide(long numerator, long denominator, RoundingMode rounding) {
    long quotient = numerator / denominator;
    long remainder = numerator % denominator;
    if (remainder == 0) {
      return quotient;
    }
    long away = numerator < 0 ? quotient - 1 : quotient + 1;
    long absRemainder = Math.abs(remainder);
    long rest = denominator - absRemainder; // distance to the next multiple, away from zero
    switch (rounding) {
      case DOWN:
        return quotient;
      case UP:
        return away;
      case FLOOR:
        return numerator < 0 ? away : quotient;
      case CEILING:
        return numerator > 0 ? away : quotient;
      case HALF_UP:
        return absRemainder >= rest ? away : quotient;
      case HALF_DOWN:
        return absRemainder > rest ? away : quotient;
      case HALF_EVEN:
        if (absRemainder != rest) {
          return absRemainder > rest ? away : quotient;
        }
        return (quotient & 1) == 0 ? quotient : away;
      case UNNECESSARY:
      default:
        throw new ArithmeticException(
            "rounding necessary: " + numerator + " / " + denominator + " is not a whole number");
    }
  }

  /** Microseconds, rounded with {@link #DEFAULT_ROUNDING}. */
  public long toMicros() {
    return toMicros(DEFAULT_ROUNDING);
  }

  /** Microseconds, rounded with {@code rounding}. */
  public long toMicros(RoundingMode rounding) {
    checkValid(this);
    return rescaleTicks(ticks, timescale, MICROS_PER_SECOND, rounding);
  }

  /** This time as a {@link Duration}, to the nearest nanosecond (half away from zero). */
  public Duration toDuration() {
    checkValid(this);
    long seconds = Math.floorDiv(ticks, (long) timescale);
    long remainderTicks = Math.floorMod(ticks, (long) timescale);
    long nanos = divide(remainderTicks * NANOS_PER_SECOND, timescale, DEFAULT_ROUNDING);
    return Duration.ofSeconds(seconds, nanos);
  }

  /** This time in seconds, for display only: a double is not exact. */
  public double toSeconds() {
    checkValid(this);
    return (double) ticks / timescale;
  }

  /** Compares exact values across timescales. Both times must be valid. */
  @Override
  public int compareTo(MediaTime other) {
    checkValid(this);
    checkValid(other);
    return compare(ticks, timescale, other.ticks, other.timescale);
  }

  /** Compares {@code aTicks / aTimescale} with {@code bTicks / bTimescale} exactly. */
  public static int compare(long aTicks, int aTimescale, long bTicks, int bTimescale) {
    if (aTimescale == bTimescale) {
      return Long.compare(aTicks, bTicks);
    }
    if (fits(aTicks, bTimescale) && fits(bTicks, aTimescale)) {
      return Long.compare(aTicks * bTimescale, bTicks * aTimescale);
    }
    return BigInteger.valueOf(aTicks)
        .multiply(BigInteger.valueOf(bTimescale))
        .compareTo(BigInteger.valueOf(bTicks).multiply(BigInteger.valueOf(aTimescale)));
  }

  private static boolean fits(long ticks, int factor) {
    return ticks != Long.MIN_VALUE && Math.abs(ticks) <= Long.MAX_VALUE / factor;
  }

  public MediaTime min(MediaTime other) {
    return compareTo(other) <= 0 ? this : other;
  }

  public MediaTime max(MediaTime other) {
    return compareTo(other) >= 0 ? this : other;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof MediaTime)) {
      return false;
    }
    MediaTime other = (MediaTime) o;
    if (!isValid() || !other.isValid()) {
      return isValid() == other.isValid();
    }
    return compare(ticks, timescale, other.ticks, other.timescale) == 0;
  }

  @Override
  public int hashCode() {
    if (!isValid()) {
      return 0;
    }
    long divisor = gcd(Math.abs(ticks), timescale); // 0 ticks: gcd is the timescale
    long reducedTicks = ticks / divisor;
    long reducedTimescale = timescale / divisor;
    return Long.hashCode(reducedTicks) * 31 + Long.hashCode(reducedTimescale);
  }

  @Override
  public String toString() {
    if (!isValid()) {
      return "MediaTime{INVALID}";
    }
    return "MediaTime{" + ticks + "/" + timescale + " = " + toSeconds() + " s}";
  }

  private static void checkTimescale(int timescale) {
    if (timescale <= 0) {
      throw new IllegalArgumentException("timescale must be positive: " + timescale);
    }
  }

  private static void checkValid(MediaTime time) {
    if (!time.isValid()) {
      throw new IllegalStateException("arithmetic on MediaTime.INVALID (an unknown time)");
    }
  }

  private static long longValueExact(BigInteger value, String what) {
    if (value.bitLength() > 63) {
      throw new ArithmeticException("overflow: " + what + " does not fit in 64 bits: " + value);
    }
    return value.longValue();
  }
}
