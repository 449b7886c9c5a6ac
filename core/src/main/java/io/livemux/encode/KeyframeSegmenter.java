package io.livemux.encode;

import io.livemux.time.MediaTime;

/**
 * Cuts raw pictures into GOPs: a picture starts one (becomes an IDR) when at least the keyframe
 * interval of presentation time has passed since the last IDR, compared exactly in the pictures'
 * timescales. Presentation times must increase. Called under the engine's lock.
 */
final class KeyframeSegmenter implements Segmenter<RawFrame> {
  private final long keyframeIntervalUs;
  private boolean hasLast;
  private long lastTicks;
  private int lastTimescale;
  private long keyTicks;
  private int keyTimescale;

  KeyframeSegmenter(long keyframeIntervalUs) {
    this.keyframeIntervalUs = keyframeIntervalUs;
  }

  @Override
  public void check(RawFrame frame) {
    if (hasLast
        && MediaTime.compare(frame.presentationTimeTicks, frame.timescale, lastTicks, lastTimescale)
            <= 0) {
      throw new IllegalArgumentException(
          "presentation time must increase: " + frame.presentationTimeTicks + "/" + frame.timescale
              + " after " + lastTicks + "/" + lastTimescale);
    }
  }

  @Override
  public boolean startsSegment(RawFrame frame) {
    boolean starts = !hasLast || sinceKeyframeReachesInterval(frame);
    hasLast = true;
    lastTicks = frame.presentationTimeTicks;
    lastTimescale = frame.timescale;
    if (starts) {
      keyTicks = frame.presentationTimeTicks;
      keyTimescale = frame.timescale;
    }
    return starts;
  }

  private boolean sinceKeyframeReachesInterval(RawFrame frame) {
    if (frame.timescale == keyTimescale) {
      return MediaTime.compare(
              frame.presentationTimeTicks - keyTicks, keyTimescale, keyframeIntervalUs, 1_000_000)
          >= 0;
    }
    MediaTime since =
        MediaTime.of(frame.presentationTimeTicks, frame.timescale)
            .minus(MediaTime.of(keyTicks, keyTimescale));
    return MediaTime.compare(since.ticks(), since.timescale(), keyframeIntervalUs, 1_000_000) >= 0;
  }
}
