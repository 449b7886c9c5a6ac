package io.livemux.encode;

import io.livemux.format.PcmFormat;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;

/**
 * For an audio encoder: the whole stream is one segment; blocks must be PCM of the encoder's rate
 * and channels, with increasing presentation times. Called under the engine's lock.
 */
final class PcmSegmenter implements Segmenter<Sample> {
  private final PcmFormat expected;
  private boolean started;
  private long lastTicks;
  private int lastTimescale;

  PcmSegmenter(PcmFormat expected) {
    this.expected = expected;
  }

  @Override
  public void check(Sample block) {
    if (!expected.equals(block.format())) {
      throw new IllegalArgumentException(
          "the AAC encoder takes " + expected + ", not " + block.format());
    }
    if (started
        && MediaTime.compare(block.presentationTimeTicks(), block.timescale(), lastTicks, lastTimescale) <= 0) {
      throw new IllegalArgumentException("presentation time must increase: "
          + block.presentationTimeTicks() + "/" + block.timescale() + " after " + lastTicks + "/" + lastTimescale);
    }
  }

  @Override
  public boolean startsSegment(Sample block) {
    boolean first = !started;
    started = true;
    lastTicks = block.presentationTimeTicks();
    lastTimescale = block.timescale();
    return first;
  }
}
