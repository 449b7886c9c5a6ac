package io.livemux.cli;

import java.util.Arrays;

/**
 * Where each pass of a looped input goes on the published timeline ({@code publish --loop}): every
 * track is moved by the same amount, so the tracks stay in sync, and that amount is the longest
 * track's span (first decode time to the end of its last sample), so the longest track continues
 * without a gap and no track overlaps its previous pass. A last sample without a duration is taken
 * to last as long as the gap before it. Times in microseconds, as the input gives them (unshifted).
 *
 * <p>One thread.
 */
final class LoopTimeline {
  /** A pass is moved at least this far, so that even a one-sample input moves forward. */
  static final long MIN_PASS_US = 1_000;

  private final long[] firstUs;
  private final long[] lastUs;
  private final long[] lastDurationUs;
  private final boolean[] seen;
  private long shiftUs;

  LoopTimeline(int tracks) {
    firstUs = new long[tracks];
    lastUs = new long[tracks];
    lastDurationUs = new long[tracks];
    seen = new boolean[tracks];
  }

  /** What every time of the current pass is moved by. */
  long shiftUs() {
    return shiftUs;
  }

  /** Notes a sample of the current pass: its track, decode time and duration (0 if unknown). */
  void sample(int track, long decodeUs, long durationUs) {
    if (!seen[track]) {
      seen[track] = true;
      firstUs[track] = decodeUs;
      lastDurationUs[track] = durationUs;
    } else {
      lastDurationUs[track] = durationUs > 0 ? durationUs : Math.max(0, decodeUs - lastUs[track]);
    }
    lastUs[track] = decodeUs;
  }

  /** Ends a pass: the next one is moved by the longest track's span more. */
  void endPass() {
    long spanUs = MIN_PASS_US;
    for (int t = 0; t < seen.length; t++) {
      if (seen[t]) {
        spanUs = Math.max(spanUs, lastUs[t] + lastDurationUs[t] - firstUs[t]);
      }
    }
    shiftUs += spanUs;
    Arrays.fill(seen, false);
  }
}
