package io.livemux.rtmp.amf;

/**
 * An AMF0 date (AMF0 2.13, marker 0x0B): milliseconds since 1970-01-01T00:00Z as a DOUBLE, and the
 * S16 time-zone field, which the spec reserves ("should be set to 0x0000") but which is kept so that
 * what was read is written back unchanged. Immutable value; equal when both fields are (NaN equal to
 * NaN, as {@link Double#equals}).
 */
public final class Amf0Date {
  private final double millisSinceEpoch;
  private final short timeZone;

  private Amf0Date(double millisSinceEpoch, short timeZone) {
    this.millisSinceEpoch = millisSinceEpoch;
    this.timeZone = timeZone;
  }

  /** A date at {@code millisSinceEpoch} (UTC), time zone 0 as the spec asks. */
  public static Amf0Date ofEpochMillis(double millisSinceEpoch) {
    return new Amf0Date(millisSinceEpoch, (short) 0);
  }

  /** A date with an explicit (reserved) time-zone field, as some old peers send. */
  public static Amf0Date of(double millisSinceEpoch, short timeZone) {
    return new Amf0Date(millisSinceEpoch, timeZone);
  }

  public double millisSinceEpoch() {
    return millisSinceEpoch;
  }

  /** The reserved S16 time-zone field, 0 unless a peer set it. */
  public short timeZone() {
    return timeZone;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Amf0Date)) {
      return false;
    }
    Amf0Date d = (Amf0Date) o;
    return Double.doubleToLongBits(d.millisSinceEpoch) == Double.doubleToLongBits(millisSinceEpoch)
        && d.timeZone == timeZone;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(millisSinceEpoch) * 31 + timeZone;
  }

  @Override
  public String toString() {
    return "Amf0Date{" + millisSinceEpoch + (timeZone != 0 ? ", tz=" + timeZone : "") + "}";
  }
}
