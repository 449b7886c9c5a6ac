package io.livemux.mp4;

import java.util.Arrays;

/**
 * A growing list of ints kept in fixed blocks: adding never copies what is stored, so the sample
 * tables of a long recording grow without the garbage of array doubling. Not thread-safe.
 */
final class IntBlocks {
  private static final int SHIFT = 10;
  private static final int BLOCK = 1 << SHIFT;
  private static final int MASK = BLOCK - 1;

  private int[][] blocks = new int[8][];
  private int size;

  void add(int value) {
    int b = size >>> SHIFT;
    if (b == blocks.length) {
      blocks = Arrays.copyOf(blocks, b * 2);
    }
    if (blocks[b] == null) {
      blocks[b] = new int[BLOCK];
    }
    blocks[b][size & MASK] = value;
    size++;
  }

  int get(int index) {
    return blocks[index >>> SHIFT][index & MASK];
  }

  void set(int index, int value) {
    blocks[index >>> SHIFT][index & MASK] = value;
  }

  int size() {
    return size;
  }

  /** Writes every value, in order, as big-endian 32-bit words: a bulk copy per block. */
  void writeU32s(BoxBuffer b) {
    for (int i = 0; i < size; i += BLOCK) {
      b.u32s(blocks[i >>> SHIFT], 0, Math.min(BLOCK, size - i));
    }
  }
}
