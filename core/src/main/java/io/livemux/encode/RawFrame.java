package io.livemux.encode;

import io.livemux.sample.Sample;
import java.nio.ByteBuffer;

/**
 * One picture waiting in a video encoder's queue: an I420 sample, or packed RGB to be converted on
 * the encoder thread, with its presentation time. Immutable; the arrays are the caller's (see
 * {@link VideoEncoderInput#appendArgb}).
 */
final class RawFrame {
  /** An I420 picture (payload view), or null. */
  final ByteBuffer i420;
  /** 0xAARRGGBB pixels, row by row, or null. */
  final int[] argb;
  /** R, G, B bytes per pixel, row by row, or null. */
  final byte[] rgb24;
  final long presentationTimeTicks;
  final int timescale;
  /** The duration in ticks, or -1 when unknown. */
  final long durationTicks;

  private RawFrame(ByteBuffer i420, int[] argb, byte[] rgb24, long presentationTimeTicks,
      int timescale, long durationTicks) {
    this.i420 = i420;
    this.argb = argb;
    this.rgb24 = rgb24;
    this.presentationTimeTicks = presentationTimeTicks;
    this.timescale = timescale;
    this.durationTicks = durationTicks;
  }

  static RawFrame of(Sample i420) {
    return new RawFrame(i420.payload(), null, null, i420.presentationTimeTicks(), i420.timescale(),
        i420.hasDuration() ? i420.durationTicks() : -1);
  }

  static RawFrame argb(int[] argb, long presentationTimeTicks, int timescale) {
    return new RawFrame(null, argb, null, presentationTimeTicks, timescale, -1);
  }

  static RawFrame rgb24(byte[] rgb24, long presentationTimeTicks, int timescale) {
    return new RawFrame(null, null, rgb24, presentationTimeTicks, timescale, -1);
  }
}
