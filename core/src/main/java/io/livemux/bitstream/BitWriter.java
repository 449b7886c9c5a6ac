package io.livemux.bitstream;

import java.util.Arrays;

/**
 * Writes bits, most significant first, into a growing byte array: for headers and configuration
 * records (ADTS, AudioSpecificConfig, hvcC), never for payloads.
 *
 * <p>Not thread-safe.
 */
public final class BitWriter {
  private byte[] bytes;
  private long bitPosition;

  public BitWriter() {
    this(16);
  }

  public BitWriter(int initialCapacityBytes) {
    if (initialCapacityBytes < 1) {
      throw new IllegalArgumentException("initialCapacityBytes < 1: " + initialCapacityBytes);
    }
    bytes = new byte[initialCapacityBytes];
  }

  /** Writes the low {@code count} (0..64) bits of {@code value}. */
  public BitWriter writeBits(long value, int count) {
    if (count < 0 || count > 64) {
      throw new IllegalArgumentException("count out of range 0..64: " + count);
    }
    if (count < 64 && (value >>> count) != 0 && (value >> count) != -1) {
      throw new IllegalArgumentException("value " + value + " does not fit in " + count + " bits");
    }
    for (int i = count - 1; i >= 0; i--) {
      writeBit(((value >>> i) & 1) != 0);
    }
    return this;
  }

  public BitWriter writeFlag(boolean flag) {
    writeBit(flag);
    return this;
  }

  /** ue(v), H.264 9.1. */
  public BitWriter writeUe(long value) {
    if (value < 0 || value > 0xFFFF_FFFEL) {
      throw new IllegalArgumentException("ue(v) out of range 0..2^32-2: " + value);
    }
    long codeNum = value + 1;
    int bits = 64 - Long.numberOfLeadingZeros(codeNum);
    writeBits(0, bits - 1);
    writeBits(codeNum, bits);
    return this;
  }

  /** se(v), H.264 9.1.1. */
  public BitWriter writeSe(long value) {
    return writeUe(value > 0 ? 2 * value - 1 : -2 * value);
  }

  private void writeBit(boolean bit) {
    int index = (int) (bitPosition >>> 3);
    if (index == bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    if (bit) {
      bytes[index] |= (byte) (0x80 >>> (bitPosition & 7));
    }
    bitPosition++;
  }

  /** Pads with zero bits to the next byte boundary. */
  public BitWriter alignWithZeros() {
    while ((bitPosition & 7) != 0) {
      writeBit(false);
    }
    return this;
  }

  public long bitsWritten() {
    return bitPosition;
  }

  /** The bytes written so far, the last one zero-padded. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, (int) ((bitPosition + 7) >>> 3));
  }
}
