package io.livemux.encode;

import io.livemux.LivemuxException;
import io.livemux.sample.Sample;
import java.util.List;

/**
 * What {@link EncoderEngine} drives: one codec instance per encoder thread, called only from that
 * thread. The engine cuts the input into <i>segments</i> that can be encoded independently (an
 * H.264 GOP that starts with an IDR picture; for a codec without such points the whole stream is
 * one segment) and hands each segment, in order, to one thread.
 *
 * @param <T> the input item: a raw picture, a block of PCM
 */
interface SegmentCodec<T> {
  /**
   * Encodes {@code item}, adding the encoded samples it completes (zero or more, in decode order) to
   * {@code out}. {@code segmentStart}: the first item of a segment; the codec must start an
   * independent segment here (an IDR) and forget every reference before it.
   */
  void encode(T item, boolean segmentStart, List<Sample> out) throws LivemuxException;

  /** The current segment has ended: adds whatever the codec still holds (a delay line) to {@code out}. */
  void endSegment(List<Sample> out) throws LivemuxException;
}
