package io.livemux.format;

/**
 * Frames per second from VUI timing as a reduced fraction, shared by {@link H264Format} (where a
 * tick is a field: two per frame) and {@link H265Format} (a tick is a picture).
 */
final class FrameRate {
  private FrameRate() {}

  /** time_scale / ticksPerFrame, reduced: the numerator; 0 without timing info. */
  static long numerator(long timeScale, long ticksPerFrame) {
    return timeScale == 0 || ticksPerFrame == 0 ? 0 : timeScale / gcd(timeScale, ticksPerFrame);
  }

  /** time_scale / ticksPerFrame, reduced: the denominator; 0 without timing info. */
  static long denominator(long timeScale, long ticksPerFrame) {
    return timeScale == 0 || ticksPerFrame == 0 ? 0 : ticksPerFrame / gcd(timeScale, ticksPerFrame);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
