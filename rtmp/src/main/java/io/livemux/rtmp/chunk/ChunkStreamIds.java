package io.livemux.rtmp.chunk;

import java.util.HashMap;

/**
 * Per chunk stream state keyed by chunk stream id: the low ids every peer uses (2..63, the 1-byte
 * basic header) sit in an array so the common path neither boxes nor hashes.
 */
final class ChunkStreamIds<T> {
  private static final int DIRECT = 64;

  private final Object[] direct = new Object[DIRECT];
  private final HashMap<Integer, T> others = new HashMap<>();
  private int size;

  @SuppressWarnings("unchecked")
  T get(int csid) {
    return csid < DIRECT ? (T) direct[csid] : others.get(csid);
  }

  void put(int csid, T value) {
    if (csid < DIRECT) {
      if (direct[csid] == null) {
        size++;
      }
      direct[csid] = value;
    } else if (others.put(csid, value) == null) {
      size++;
    }
  }

  int size() {
    return size;
  }
}
