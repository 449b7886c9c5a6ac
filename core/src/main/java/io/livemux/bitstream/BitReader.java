package io.livemux.bitstream;

import io.livemux.LivemuxException;
import java.nio.ByteBuffer;

/**
 * Reads bits, most significant first, from a byte range, with the Exp-Golomb codes of ITU-T H.264
 * 9.1 and H.265 9.2.
 *
 * <p>In {@linkplain #rbsp RBSP mode} the emulation-prevention bytes of H.264 7.4.1 / H.265 7.4.2 (a
 * 0x03 after two zero bytes) are skipped while reading, so parameter sets are parsed without a copy.
 * Reading past the end throws {@link LivemuxException} naming what was being read; a reader never
 * loops or allocates in proportion to a length read from the data.
 *
 * <p>Not thread-safe: one reader belongs to one parse. The source buffer is not modified and its
 * position is not moved.
 */
public final class BitReader {
  private final ByteBuffer data;
  private final int end;
  private final boolean rbsp;
  /** Index of the next byte to load into {@link #current}. */
  private int nextByte;
  private int current;
  /** Bits of {@link #current} not yet read, 0..8. */
  private int bitsLeft;
  private int zeroRun;
  private long bitsRead;

  private BitReader(ByteBuffer data, int offset, int length, boolean rbsp) {
    if (offset < 0 || length < 0 || offset > data.limit() - length) {
      throw new IllegalArgumentException(
          "range out of bounds: offset=" + offset + " length=" + length + " limit=" + data.limit());
    }
    this.data = data;
    this.nextByte = offset;
    this.end = offset + length;
    this.rbsp = rbsp;
  }

  /** A reader of the remaining bytes of {@code data}, taken literally. */
  public static BitReader of(ByteBuffer data) {
    return new BitReader(data, data.position(), data.remaining(), false);
  }

  /** A reader of {@code data[offset, offset + length)}, taken literally. */
  public static BitReader of(ByteBuffer data, int offset, int length) {
    return new BitReader(data, offset, length, false);
  }

  /** A reader of the remaining bytes of a NAL unit that drops emulation-prevention bytes. */
  public static BitReader rbsp(ByteBuffer nal) {
    return new BitReader(nal, nal.position(), nal.remaining(), true);
  }

  /** A reader of {@code nal[offset, offset + length)} that drops emulation-prevention bytes. */
  public static BitReader rbsp(ByteBuffer nal, int offset, int length) {
    return new BitReader(nal, offset, length, true);
  }

  private boolean loadByte() {
    while (nextByte < end) {
      int b = data.get(nextByte++) & 0xFF;
      if (rbsp && zeroRun >= 2 && b == 0x03) {
        zeroRun = 0; // emulation_prevention_three_byte: skipped
        continue;
      }
      zeroRun = b == 0 ? zeroRun + 1 : 0;
      current = b;
      bitsLeft = 8;
      return true;
    }
    return false;
  }

  /** Reads one bit. */
  public boolean readFlag(String field) throws LivemuxException {
    return readBits(1, field) != 0;
  }

  /** Reads {@code count} (0..32) bits as an unsigned value. */
  public long readBits(int count, String field) throws LivemuxException {
    if (count < 0 || count > 32) {
      throw new IllegalArgumentException("count out of range 0..32: " + count);
    }
    long value = 0;
    int remaining = count;
    while (remaining > 0) {
      if (bitsLeft == 0 && !loadByte()) {
        throw new LivemuxException(
            "truncated data: " + field + " needs " + count + " bits, only "
                + (count - remaining) + " left after bit " + bitsRead);
      }
      int take = Math.min(remaining, bitsLeft);
      int shift = bitsLeft - take;
      value = (value << take) | ((current >>> shift) & ((1 << take) - 1));
      bitsLeft -= take;
      remaining -= take;
      bitsRead += take;
    }
    return value;
  }

  /** Reads {@code count} (0..31) bits as an int. */
  public int readInt(int count, String field) throws LivemuxException {
    if (count > 31) {
      throw new IllegalArgumentException("count out of range 0..31: " + count);
    }
    return (int) readBits(count, field);
  }

  /** Skips {@code count} bits. */
  public void skipBits(long count, String field) throws LivemuxException {
    if (count < 0) {
      throw new IllegalArgumentException("count < 0: " + count);
    }
    long left = count;
    while (left > 0) {
      int step = (int) Math.min(32, left);
      readBits(step, field);
      left -= step;
    }
  }

  /** ue(v), H.264 9.1: unsigned Exp-Golomb, up to 2^32 - 2. */
  public long readUe(String field) throws LivemuxException {
    int leadingZeros = 0;
    while (readBits(1, field) == 0) {
      leadingZeros++;
      if (leadingZeros > 31) {
        throw new LivemuxException(
            "invalid Exp-Golomb code for " + field + ": more than 31 leading zero bits");
      }
    }
    if (leadingZeros == 0) {
      return 0;
    }
    return (1L << leadingZeros) - 1 + readBits(leadingZeros, field);
  }

  /** ue(v) that must lie in {@code [min, max]}. */
  public int readUe(String field, int min, int max) throws LivemuxException {
    long value = readUe(field);
    if (value < min || value > max) {
      throw new LivemuxException(field + " out of range " + min + ".." + max + ": " + value);
    }
    return (int) value;
  }

  /** se(v), H.264 9.1.1: signed Exp-Golomb. */
  public long readSe(String field) throws LivemuxException {
    long codeNum = readUe(field);
    return (codeNum & 1) == 1 ? (codeNum + 1) / 2 : -(codeNum / 2);
  }

  /** True if at least one more bit can be read (RBSP trailing bits included). */
  public boolean hasMoreBits() {
    if (bitsLeft > 0) {
      return true;
    }
    // Look ahead without consuming: emulation prevention can only hide bytes, never add them.
    int savedNext = nextByte;
    int savedZeroRun = zeroRun;
    boolean more = loadByte();
    if (more) {
      nextByte = savedNext;
      zeroRun = savedZeroRun;
      bitsLeft = 0;
    }
    return more;
  }

  /** Bits read so far, emulation-prevention bytes not counted. */
  public long bitsRead() {
    return bitsRead;
  }

  /** True when the reader stands on a byte boundary. */
  public boolean isByteAligned() {
    return bitsLeft == 0;
  }
}
