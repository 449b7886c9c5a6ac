package io.livemux.codec.aac;

import java.util.Arrays;

/**
 * A growable MSB-first bit writer for one raw AAC frame, reused frame after frame. Not thread-safe:
 * owned by one encoder.
 */
final class BitSink {
  private byte[] bytes = new byte[2048];
  private int bytePosition;
  private long accumulator;
  private int accumulatedBits;

  void reset() {
    bytePosition = 0;
    accumulator = 0;
    accumulatedBits = 0;
  }

  /** Writes the low {@code count} (0..32) bits of {@code value}, most significant first. */
  void write(int value, int count) {
    if (count == 0) {
      return;
    }
    accumulator = (accumulator << count) | (value & ((1L << count) - 1));
    accumulatedBits += count;
    while (accumulatedBits >= 8) {
      accumulatedBits -= 8;
      if (bytePosition == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[bytePosition++] = (byte) (accumulator >>> accumulatedBits);
    }
  }

  /** Writes a codebook entry ({@code length << 24 | codeword}). */
  void writeEntry(int entry) {
    write(entry & 0xFFFFFF, entry >>> 24);
  }

  int bitCount() {
    return bytePosition * 8 + accumulatedBits;
  }

  /** Pads with zero bits to the next byte boundary (byte_alignment()). */
  void alignWithZeros() {
    if (accumulatedBits > 0) {
      write(0, 8 - accumulatedBits);
    }
  }

  /** The bytes written so far; call after {@link #alignWithZeros()}. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, bytePosition);
  }
}
