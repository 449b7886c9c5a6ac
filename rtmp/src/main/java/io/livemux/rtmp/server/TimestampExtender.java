package io.livemux.rtmp.server;

/**
 * Turns RTMP's 32-bit millisecond timestamps (RTMP 5.3.1.3: they wrap every 2^32 ms, about 49.7
 * days) into a 64-bit timeline: each timestamp is placed at the point nearest to the previous one,
 * so a wrap from 0xFFFFFFF0 to 0x10 moves forward by 0x20 ms, and a small step back (audio and
 * video interleaved out of order) stays a small step back instead of a jump of 49 days.
 *
 * <p>The first timestamp is taken as it is (0..2^32-1). Not thread-safe: one per stream, used by
 * the connection's thread.
 */
final class TimestampExtender {
  private boolean started;
  private long last;

  /** The 64-bit timestamp of {@code timestamp32} (its low 32 bits are used). */
  long extend(long timestamp32) {
    long low = timestamp32 & 0xFFFFFFFFL;
    if (!started) {
      started = true;
      last = low;
      return low;
    }
    // The signed 32-bit difference: nearest point on the circle.
    int delta = (int) (low - (last & 0xFFFFFFFFL));
    last += delta;
    return last;
  }
}
