package io.livemux.bitstream;

import io.livemux.LivemuxException;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * NAL unit framing for H.264 and H.265: the Annex B byte stream (start codes, ITU-T H.264 B.1 /
 * H.265 B.2) and the length-prefixed form that MP4 and RTMP carry (each NAL unit preceded by a
 * big-endian {@code NALUnitLength} of 1, 2 or 4 bytes, ISO/IEC 14496-15 5.3.3.1 / 8.3.3.1 {@code
 * lengthSizeMinusOne}), converted both ways and iterated without copying.
 *
 * <h2>What is framing</h2>
 *
 * Only start codes ({@code 00 00 01}, with or without the leading {@code zero_byte}) are framing.
 * NAL unit bodies are copied untouched: emulation-prevention bytes ({@code 00 00 03}) stay in, and
 * bodies are not checked for emulation prevention. In an Annex B stream, zero bytes before the
 * first start code ({@code leading_zero_8bits}) and zero bytes at the end of a NAL unit ({@code
 * trailing_zero_8bits} and the {@code zero_byte} of a 4-byte start code) belong to no NAL unit, as
 * B.1 says (a NAL unit's last byte is never 0x00), so they are dropped.
 *
 * <p>Conversions to Annex B always write the 4-byte start code {@code 00 00 00 01}, which B.1
 * requires before parameter sets and the first NAL unit of an access unit and allows everywhere.
 * Annex B &rarr; length-prefixed &rarr; Annex B therefore returns the input with every start code
 * written as 4 bytes and the dropped zero bytes gone; length-prefixed &rarr; Annex B &rarr;
 * length-prefixed returns the input exactly.
 *
 * <h2>What is refused</h2>
 *
 * {@link LivemuxException}, naming the offset and the bad value, for: non-zero bytes before the
 * first start code of Annex B data; an empty NAL unit (a start code followed by another start code,
 * by zero bytes only, or by the end of the data; a length field of 0) since every NAL unit has at
 * least its header byte (H.264 7.3.1, H.265 7.3.1.1); a length field that runs past the end of the
 * data or is itself cut off; a NAL unit too long for the requested length field; and, for data that
 * is read as length-prefixed, a NAL length size other than 1, 2 or 4. A length size other than 1, 2
 * or 4 asked for as output is a caller mistake and throws {@link IllegalArgumentException}.
 *
 * <h2>Buffers and threads</h2>
 *
 * Every method reads the remaining bytes of its input, {@code [position, limit)}, and moves neither
 * its position nor its limit; offsets are absolute indexes into the input, as {@link
 * ByteBuffer#get(int)} takes them. Conversions into a caller's buffer write at its position and
 * advance it past what they wrote; if they throw, its position is unchanged (bytes after it may
 * have been overwritten). The static methods are thread-safe as long as no other thread writes the
 * buffers; a {@link Cursor} belongs to one thread.
 */
public final class NalUnits {
  /** The start code conversions to Annex B write: {@code zero_byte} + {@code 00 00 01}. */
  private static final int START_CODE_LENGTH = 4;

  private NalUnits() {}

  /**
   * The H.264 {@code nal_unit_type} (7.3.1) of a NAL unit whose first byte is {@code headerByte}.
   */
  public static int h264NalType(int headerByte) {
    return headerByte & 0x1F;
  }

  /**
   * The H.265 {@code nal_unit_type} (7.3.1.2) of a NAL unit whose first byte is {@code headerByte}.
   */
  public static int h265NalType(int headerByte) {
    return (headerByte >> 1) & 0x3F;
  }

  /** A cursor over the NAL units of Annex B data; {@link Cursor#reset} it onto each buffer. */
  public static Cursor annexBCursor() {
    return new Cursor(0);
  }

  /**
   * A cursor over the NAL units of length-prefixed data whose length fields are {@code
   * nalLengthSize} bytes.
   *
   * @throws LivemuxException if {@code nalLengthSize} is not 1, 2 or 4
   */
  public static Cursor lengthPrefixedCursor(int nalLengthSize) throws LivemuxException {
    checkInputLengthSize(nalLengthSize);
    return new Cursor(nalLengthSize);
  }

  /**
   * The exact number of bytes {@link #annexBToLengthPrefixed(ByteBuffer, int, ByteBuffer)} writes
   * for {@code annexB}: per NAL unit, {@code nalLengthSize} plus its length.
   */
  public static int sizeAsLengthPrefixed(ByteBuffer annexB, int nalLengthSize)
      throws LivemuxException {
    checkOutputLengthSize(nalLengthSize);
    Cursor cursor = annexBCursor().reset(annexB);
    long size = 0;
    while (cursor.next()) {
      checkFits(cursor, nalLengthSize);
      size = addChecked(size, nalLengthSize + (long) cursor.length());
    }
    return (int) size;
  }

  /**
   * Writes the NAL units of Annex B data {@code annexB} to {@code out}, each preceded by its length
   * in {@code nalLengthSize} (1, 2 or 4) big-endian bytes.
   *
   * @return the number of bytes written, which {@link #sizeAsLengthPrefixed} tells in advance
   * @throws IllegalArgumentException if {@code nalLengthSize} is not 1, 2 or 4, or {@code out} has
   *     fewer bytes remaining than the result needs (the message says how many)
   */
  public static int annexBToLengthPrefixed(ByteBuffer annexB, int nalLengthSize, ByteBuffer out)
      throws LivemuxException {
    checkOutputLengthSize(nalLengthSize);
    int start = out.position();
    int room = out.remaining();
    ByteBuffer source = annexB.duplicate();
    Cursor cursor = annexBCursor().reset(annexB);
    long size = 0;
    try {
      while (cursor.next()) {
        checkFits(cursor, nalLengthSize);
        size = addChecked(size, nalLengthSize + (long) cursor.length());
        if (size <= room) {
          writeLength(out, cursor.length(), nalLengthSize);
          copy(source, cursor.offset(), cursor.length(), out);
        }
      }
    } catch (LivemuxException e) {
      ((Buffer) out).position(start);
      throw e;
    }
    return finish(out, start, room, size);
  }

  /** Annex B data {@code annexB} as a new length-prefixed buffer (position 0, limit its size). */
  public static ByteBuffer annexBToLengthPrefixed(ByteBuffer annexB, int nalLengthSize)
      throws LivemuxException {
    ByteBuffer out = ByteBuffer.allocate(sizeAsLengthPrefixed(annexB, nalLengthSize));
    annexBToLengthPrefixed(annexB, nalLengthSize, out);
    ((Buffer) out).flip();
    return out;
  }

  /**
   * The exact number of bytes {@link #lengthPrefixedToAnnexB(ByteBuffer, int, ByteBuffer)} writes
   * for {@code lengthPrefixed}: per NAL unit, 4 plus its length. Validates every length field.
   */
  public static int sizeAsAnnexB(ByteBuffer lengthPrefixed, int nalLengthSize)
      throws LivemuxException {
    Cursor cursor = lengthPrefixedCursor(nalLengthSize).reset(lengthPrefixed);
    long size = 0;
    while (cursor.next()) {
      size = addChecked(size, START_CODE_LENGTH + (long) cursor.length());
    }
    return (int) size;
  }

  /**
   * Writes the NAL units of length-prefixed data {@code lengthPrefixed} (length fields of {@code
   * nalLengthSize} bytes) to {@code out}, each preceded by the start code {@code 00 00 00 01}.
   *
   * @return the number of bytes written, which {@link #sizeAsAnnexB} tells in advance
   * @throws IllegalArgumentException if {@code out} has fewer bytes remaining than the result needs
   */
  public static int lengthPrefixedToAnnexB(
      ByteBuffer lengthPrefixed, int nalLengthSize, ByteBuffer out) throws LivemuxException {
    Cursor cursor = lengthPrefixedCursor(nalLengthSize).reset(lengthPrefixed);
    int start = out.position();
    int room = out.remaining();
    ByteBuffer source = lengthPrefixed.duplicate();
    long size = 0;
    try {
      while (cursor.next()) {
        size = addChecked(size, START_CODE_LENGTH + (long) cursor.length());
        if (size <= room) {
          out.put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 1);
          copy(source, cursor.offset(), cursor.length(), out);
        }
      }
    } catch (LivemuxException e) {
      ((Buffer) out).position(start);
      throw e;
    }
    return finish(out, start, room, size);
  }

  /** Length-prefixed data as a new Annex B buffer (position 0, limit its size). */
  public static ByteBuffer lengthPrefixedToAnnexB(ByteBuffer lengthPrefixed, int nalLengthSize)
      throws LivemuxException {
    ByteBuffer out = ByteBuffer.allocate(sizeAsAnnexB(lengthPrefixed, nalLengthSize));
    lengthPrefixedToAnnexB(lengthPrefixed, nalLengthSize, out);
    ((Buffer) out).flip();
    return out;
  }

  /**
   * Walks the NAL units of one buffer, Annex B or length-prefixed, telling where each lies without
   * copying a byte. Reusable: {@link #reset} it onto the next buffer.
   *
   * <pre>{@code
   * NalUnits.Cursor nals = NalUnits.annexBCursor().reset(accessUnit);
   * while (nals.next()) {
   *   int type = NalUnits.h264NalType(accessUnit.get(nals.offset()));
   *   ...
   * }
   * }</pre>
   *
   * <p>The cursor reads the remaining bytes of the buffer as they were when it was reset, and never
   * moves the buffer's position or limit; the buffer must not change while the cursor walks it.
   * After {@link #next} has thrown, the cursor stays at the bad NAL unit: reset it before reuse.
   * Not thread-safe.
   */
  public static final class Cursor {
    /** 0 for Annex B, else the size in bytes of each length field. */
    private final int nalLengthSize;

    private ByteBuffer data;
    private int end;

    /**
     * Annex B: first byte after the last start code found, or -1 before the first. Else: next
     * length field.
     */
    private int position;

    private boolean done = true;
    private int nalOffset = -1;
    private int nalLength;

    private Cursor(int nalLengthSize) {
      this.nalLengthSize = nalLengthSize;
    }

    /** Points the cursor before the first NAL unit of {@code data}'s remaining bytes. */
    public Cursor reset(ByteBuffer data) {
      this.data = data;
      this.end = data.limit();
      this.position = nalLengthSize == 0 ? -1 : data.position();
      this.done = false;
      this.nalOffset = -1;
      this.nalLength = 0;
      return this;
    }

    /**
     * Moves to the next NAL unit.
     *
     * @return false when there are no more NAL units
     * @throws LivemuxException if the data is malformed at the current position
     * @throws IllegalStateException if the cursor was never reset onto a buffer
     */
    public boolean next() throws LivemuxException {
      if (data == null) {
        throw new IllegalStateException("reset the cursor onto a buffer first");
      }
      if (done) {
        nalOffset = -1;
        return false;
      }
      return nalLengthSize == 0 ? nextAnnexB() : nextLengthPrefixed();
    }

    private boolean nextAnnexB() throws LivemuxException {
      if (position < 0) {
        // leading_zero_8bits, then zero_byte? + start_code_prefix_one_3bytes (B.1).
        int begin = data.position();
        int startCode = findStartCode(data, begin, end);
        for (int i = begin; i < startCode; i++) {
          if (data.get(i) != 0) {
            throw new LivemuxException(
                "Annex B data must begin with a start code, found byte "
                    + hex(data.get(i))
                    + " at offset "
                    + i
                    + (startCode == end
                        ? " and no start code at all"
                        : " before the start code at offset " + startCode));
          }
        }
        if (startCode == end) {
          done = true; // empty or all zero: no NAL units
          nalOffset = -1;
          return false;
        }
        position = startCode + 3;
      }
      int nalStart = position;
      int nextStartCode = findStartCode(data, nalStart, end);
      int nalEnd = nextStartCode;
      while (nalEnd > nalStart && data.get(nalEnd - 1) == 0) {
        nalEnd--; // trailing_zero_8bits, or the zero_byte of the next start code (B.1)
      }
      if (nalEnd == nalStart) {
        throw new LivemuxException(
            "empty NAL unit: the start code ending at offset "
                + (nalStart - 1)
                + " is followed by "
                + (nextStartCode == end
                    ? (end - nalStart) + " zero bytes and the end of the data"
                    : "another start code at offset " + nextStartCode));
      }
      if (nextStartCode == end) {
        done = true;
      } else {
        position = nextStartCode + 3;
      }
      nalOffset = nalStart;
      nalLength = nalEnd - nalStart;
      return true;
    }

    private boolean nextLengthPrefixed() throws LivemuxException {
      if (position == end) {
        done = true;
        nalOffset = -1;
        return false;
      }
      int left = end - position;
      if (left < nalLengthSize) {
        throw new LivemuxException(
            "truncated NAL length field at offset "
                + position
                + ": "
                + left
                + " bytes left, the field is "
                + nalLengthSize);
      }
      long length = 0;
      for (int i = 0; i < nalLengthSize; i++) {
        length = (length << 8) | (data.get(position + i) & 0xFF);
      }
      if (length == 0) {
        throw new LivemuxException("zero-length NAL unit at offset " + position);
      }
      if (length > left - nalLengthSize) {
        throw new LivemuxException(
            "NAL unit length "
                + length
                + " at offset "
                + position
                + " runs past the end of the data: "
                + (left - nalLengthSize)
                + " bytes follow the length field");
      }
      nalOffset = position + nalLengthSize;
      nalLength = (int) length;
      position = nalOffset + nalLength;
      return true;
    }

    /** Absolute index in the buffer of the current NAL unit's first (header) byte. */
    public int offset() {
      checkCurrent();
      return nalOffset;
    }

    /** Length in bytes of the current NAL unit, header included, framing excluded; at least 1. */
    public int length() {
      checkCurrent();
      return nalLength;
    }

    /**
     * A view of the current NAL unit (position 0, limit its length) sharing the buffer's bytes: it
     * allocates the view, never copies. Read-only if the buffer is.
     */
    public ByteBuffer slice() {
      checkCurrent();
      ByteBuffer view = data.duplicate();
      ((Buffer) view).limit(nalOffset + nalLength);
      ((Buffer) view).position(nalOffset);
      return view.slice();
    }

    private void checkCurrent() {
      if (nalOffset < 0) {
        throw new IllegalStateException("no current NAL unit: next() has not returned true");
      }
    }
  }

  /**
   * Index of the first byte of the first {@code 00 00 01} in {@code [from, end)}, or {@code end}.
   * When byte {@code i + 2} is neither 0 nor 1, no start code begins at {@code i}, {@code i + 1} or
   * {@code i + 2}, so the scan skips three bytes at a time through non-zero data.
   */
  static int findStartCode(ByteBuffer data, int from, int end) {
    int i = from;
    while (i + 2 < end) {
      int third = data.get(i + 2);
      if (third == 1) {
        if (data.get(i) == 0 && data.get(i + 1) == 0) {
          return i;
        }
        i += 3;
      } else if (third != 0) {
        i += 3;
      } else {
        i++;
      }
    }
    return end;
  }

  private static void checkInputLengthSize(int nalLengthSize) throws LivemuxException {
    if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
      throw new LivemuxException(
          "unsupported NAL length size "
              + nalLengthSize
              + " (lengthSizeMinusOne "
              + (nalLengthSize - 1)
              + "): ISO/IEC 14496-15 allows 1, 2 or 4 bytes");
    }
  }

  private static void checkOutputLengthSize(int nalLengthSize) {
    if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
      throw new IllegalArgumentException("nalLengthSize not 1, 2 or 4: " + nalLengthSize);
    }
  }

  private static void checkFits(Cursor cursor, int nalLengthSize) throws LivemuxException {
    long max = nalLengthSize == 4 ? 0xFFFF_FFFFL : (1L << (8 * nalLengthSize)) - 1;
    if (cursor.length() > max) {
      throw new LivemuxException(
          "NAL unit at offset "
              + cursor.offset()
              + " is "
              + cursor.length()
              + " bytes, too long for a "
              + nalLengthSize
              + "-byte length field (at most "
              + max
              + ")");
    }
  }

  private static long addChecked(long size, long more) throws LivemuxException {
    long sum = size + more;
    if (sum > Integer.MAX_VALUE) {
      throw new LivemuxException(
          "converted data would exceed " + Integer.MAX_VALUE + " bytes: " + sum);
    }
    return sum;
  }

  private static int finish(ByteBuffer out, int start, int room, long size) {
    if (size > room) {
      ((Buffer) out).position(start);
      throw new IllegalArgumentException(
          "out has " + room + " bytes remaining, the converted data needs " + size);
    }
    ((Buffer) out).position(start + (int) size);
    return (int) size;
  }

  private static void writeLength(ByteBuffer out, int length, int nalLengthSize) {
    for (int shift = 8 * (nalLengthSize - 1); shift >= 0; shift -= 8) {
      out.put((byte) (length >>> shift));
    }
  }

  /** Copies {@code source[offset, offset + length)} to {@code out} through a reused duplicate. */
  private static void copy(ByteBuffer source, int offset, int length, ByteBuffer out) {
    ((Buffer) source).limit(offset + length);
    ((Buffer) source).position(offset);
    out.put(source);
  }

  private static String hex(byte b) {
    return String.format("0x%02X", b & 0xFF);
  }
}
