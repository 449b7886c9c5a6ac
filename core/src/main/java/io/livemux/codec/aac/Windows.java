package io.livemux.codec.aac;

/**
 * The sine windows (window_shape 0) of ISO/IEC 14496-3 4.6.11.3.2 for the four window sequences:
 * ONLY_LONG, LONG_START (long rise, flat, short fall, zeros), LONG_STOP (its mirror) and the
 * 256-sample window of each EIGHT_SHORT window. Immutable after construction.
 */
final class Windows {
  private final double[][] longWindows = new double[4][];
  private final double[] shortSine = new double[256];

  Windows() {
    double[] longSine = new double[2048];
    for (int n = 0; n < 2048; n++) {
      longSine[n] = Math.sin(Math.PI / 2048 * (n + 0.5));
    }
    for (int n = 0; n < 256; n++) {
      shortSine[n] = Math.sin(Math.PI / 256 * (n + 0.5));
    }
    longWindows[IcsLayout.ONLY_LONG_SEQUENCE] = longSine;
    double[] start = new double[2048];
    for (int n = 0; n < 1024; n++) {
      start[n] = longSine[n];
    }
    for (int n = 1024; n < 1472; n++) {
      start[n] = 1;
    }
    for (int n = 1472; n < 1600; n++) {
      start[n] = shortSine[n - 1472 + 128];
    }
    double[] stop = new double[2048];
    for (int n = 0; n < 2048; n++) {
      stop[n] = start[2047 - n];
    }
    longWindows[IcsLayout.LONG_START_SEQUENCE] = start;
    longWindows[IcsLayout.LONG_STOP_SEQUENCE] = stop;
  }

  /** The 2048-sample window of a long window sequence. Never modify. */
  double[] longWindow(int windowSequence) {
    return longWindows[windowSequence];
  }

  /** The 256-sample sine window. Never modify. */
  double[] shortSine() {
    return shortSine;
  }
}
