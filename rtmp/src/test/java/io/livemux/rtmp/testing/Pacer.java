package io.livemux.rtmp.testing;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a test producer to a media clock, as a live camera delivers frames: {@link #await} returns
 * when the wall clock reaches a media time. This is pacing, not synchronisation between threads:
 * no test outcome depends on how long it waits.
 */
public final class Pacer {
  private final long startNanos = System.nanoTime();
  private final long firstMediaUs;

  public Pacer(long firstMediaUs) {
    this.firstMediaUs = firstMediaUs;
  }

  /** Waits until {@code mediaUs} (on the same clock as the first) is due. */
  public void await(long mediaUs) {
    long due = startNanos + (mediaUs - firstMediaUs) * 1000;
    for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
