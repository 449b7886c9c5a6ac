package io.livemux.mp4;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A growable big-endian byte buffer for writing boxes: a box's size is patched in when the box is
 * closed, so nested boxes need no size pre-computation. Not thread-safe; reused across fragments.
 */
final class BoxBuffer {
  private ByteBuffer buffer;

  BoxBuffer(int initialCapacity) {
    buffer = ByteBuffer.allocate(initialCapacity);
  }

  void clear() {
    ((Buffer) buffer).clear();
  }

  int position() {
    return buffer.position();
  }

  private void ensure(int more) {
    if (buffer.remaining() < more) {
      int needed = buffer.position() + more;
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
      ((Buffer) buffer).flip();
      bigger.put(buffer);
      buffer = bigger;
    }
  }

  /** Opens a box: writes a size placeholder and the type; returns the box's start for {@link #end}. */
  int start(String type) {
    int start = buffer.position();
    u32(0);
    fourcc(type);
    return start;
  }

  /** Opens a full box (ISO/IEC 14496-12 4.2): version and 24-bit flags after the type. */
  int startFull(String type, int version, int flags) {
    int start = start(type);
    u8(version);
    u24(flags);
    return start;
  }

  /** Overwrites the 32-bit value at {@code position} (a field written earlier). */
  void patchU32(int position, long v) {
    buffer.putInt(position, (int) v);
  }

  /** Overwrites the four-character code at {@code position}. */
  void patchFourcc(int position, String type) {
    for (int i = 0; i < 4; i++) {
      buffer.put(position + i, (byte) type.charAt(i));
    }
  }

  /** Closes the box opened at {@code start}, patching its 32-bit size. */
  void end(int start) {
    buffer.putInt(start, buffer.position() - start);
  }

  BoxBuffer u8(int v) {
    ensure(1);
    buffer.put((byte) v);
    return this;
  }

  BoxBuffer u16(int v) {
    ensure(2);
    buffer.putShort((short) v);
    return this;
  }

  BoxBuffer u24(int v) {
    ensure(3);
    buffer.put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    return this;
  }

  /** {@code values[from..from+count)} as big-endian 32-bit words, in one bulk copy. */
  BoxBuffer u32s(int[] values, int from, int count) {
    ensure(4 * count);
    IntBuffer words = buffer.asIntBuffer(); // big-endian, as the buffer is
    words.put(values, from, count);
    ((Buffer) buffer).position(buffer.position() + 4 * count);
    return this;
  }

  BoxBuffer u32(long v) {
    ensure(4);
    buffer.putInt((int) v);
    return this;
  }

  BoxBuffer u64(long v) {
    ensure(8);
    buffer.putLong(v);
    return this;
  }

  BoxBuffer zeros(int count) {
    ensure(count);
    for (int i = 0; i < count; i++) {
      buffer.put((byte) 0);
    }
    return this;
  }

  BoxBuffer fourcc(String type) {
    if (type.length() != 4) {
      throw new IllegalArgumentException("box type must be 4 characters: '" + type + "'");
    }
    ensure(4);
    buffer.put(type.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  BoxBuffer bytes(ByteBuffer src) {
    ByteBuffer view = src.duplicate();
    ensure(view.remaining());
    buffer.put(view);
    return this;
  }

  BoxBuffer bytes(byte[] src) {
    ensure(src.length);
    buffer.put(src);
    return this;
  }

  /**
   * The bytes written so far, as a read-only view whose capacity is their size. It shares the
   * buffer: use it before the next write or {@link #clear}.
   */
  ByteBuffer toByteBuffer() {
    ByteBuffer copy = buffer.duplicate();
    ((Buffer) copy).flip();
    return copy.slice().asReadOnlyBuffer();
  }

  /** A copy of the bytes written so far. */
  byte[] toByteArray() {
    byte[] out = new byte[buffer.position()];
    ByteBuffer copy = buffer.duplicate();
    ((Buffer) copy).flip();
    copy.get(out);
    return out;
  }
}
