package io.livemux.encode;

/**
 * The door of {@link EncoderEngine}: checks each item and says where independent segments start.
 * Called under the engine's lock, in append order, so it may keep state (the last keyframe time).
 */
interface Segmenter<T> {
  /** Throws {@link IllegalArgumentException} naming the values if {@code item} may not follow the last accepted one. */
  void check(T item);

  /** {@code item} is accepted: true if it starts a new segment (always true for the first). */
  boolean startsSegment(T item);
}
