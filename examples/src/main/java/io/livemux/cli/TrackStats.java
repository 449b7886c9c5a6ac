package io.livemux.cli;

import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;

/**
 * One track's figures, gathered sample by sample in file order without keeping the samples:
 * counts, times (microseconds), keyframe spacing, decode-time gaps and steps back. One thread.
 */
final class TrackStats {
  /** A decode-time step larger than this is a gap. */
  static final long GAP_US = 1_000_000;

  final int index;
  final MediaFormat format;
  int timescale;
  long samples;
  long keyframes;
  long payloadBytes;
  boolean firstIsKeyframe;
  long firstPtsUs = Long.MAX_VALUE;
  long endUs = Long.MIN_VALUE;
  long firstDtsUs;
  long lastDtsUs;
  long lastStepUs;
  long lastKeyDtsUs = Long.MIN_VALUE;
  long minKeyIntervalUs = Long.MAX_VALUE;
  long maxKeyIntervalUs;
  long sumKeyIntervalUs;
  long keyIntervals;
  long gaps;
  long largestGapUs;
  long largestGapAtUs;
  long backwards;
  long firstBackwardsAtUs;
  long formatChanges;

  TrackStats(int index, MediaFormat format) {
    this.index = index;
    this.format = format;
  }

  boolean isVideo() {
    return format instanceof VideoFormat;
  }

  void add(Sample s) {
    timescale = s.timescale();
    long dts = us(s.decodeTimeTicks(), s.timescale());
    long pts = us(s.presentationTimeTicks(), s.timescale());
    if (samples == 0) {
      firstIsKeyframe = s.isSync();
      firstDtsUs = dts;
    } else {
      long step = dts - lastDtsUs;
      if (step < 0) {
        if (backwards++ == 0) {
          firstBackwardsAtUs = dts;
        }
      } else {
        lastStepUs = step;
        if (step > GAP_US) {
          gaps++;
          if (step > largestGapUs) {
            largestGapUs = step;
            largestGapAtUs = lastDtsUs;
          }
        }
      }
    }
    if (!s.format().equals(format) && samples > 0) {
      formatChanges++;
    }
    lastDtsUs = dts;
    samples++;
    payloadBytes += s.size();
    firstPtsUs = Math.min(firstPtsUs, pts);
    // Without a declared duration (FLV), a sample lasts as long as the step before it.
    long duration = s.hasDuration() ? us(s.durationTicks(), s.timescale()) : lastStepUs;
    endUs = Math.max(endUs, pts + duration);
    if (s.isSync()) {
      keyframes++;
      if (lastKeyDtsUs != Long.MIN_VALUE && dts >= lastKeyDtsUs) {
        long interval = dts - lastKeyDtsUs;
        minKeyIntervalUs = Math.min(minKeyIntervalUs, interval);
        maxKeyIntervalUs = Math.max(maxKeyIntervalUs, interval);
        sumKeyIntervalUs += interval;
        keyIntervals++;
      }
      lastKeyDtsUs = dts;
    }
  }

  long durationUs() {
    return samples == 0 ? 0 : Math.max(0, endUs - firstPtsUs);
  }

  long bitrateBps() {
    long d = durationUs();
    return d <= 0 ? 0 : Math.round(payloadBytes * 8e6 / d);
  }

  private static long us(long ticks, int timescale) {
    return MediaTime.rescaleTicks(ticks, timescale, 1_000_000, RoundingMode.HALF_UP);
  }
}
