package io.livemux.mp4;

import io.livemux.sample.Sample;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One track's samples of the fragment being built: their trun fields and payloads, copied into one
 * contiguous buffer that becomes the track's part of the mdat. Reused fragment after fragment, so
 * memory stays at one fragment per track. Not thread-safe (the writer's thread only).
 */
final class FragmentRun {
  int count;
  long[] decodeTimes = new long[64];
  int[] durations = new int[64];
  int[] sizes = new int[64];
  int[] flags = new int[64];
  int[] compositionOffsets = new int[64];
  /**
   * Direct, so the file channel writes it without a hidden copy into a temporary direct buffer;
   * sized up front for a typical fragment and kept, so steady-state recording allocates none.
   */
  private ByteBuffer data;

  FragmentRun(int initialDataCapacity) {
    data = ByteBuffer.allocateDirect(initialDataCapacity);
  }

  /** Adds a sample; its duration is filled in later by {@link #setLastDuration}. */
  void add(long decodeTimeTicks, int compositionOffsetTicks, int sampleFlags, Sample sample) {
    if (count == sizes.length) {
      int n = count * 2;
      decodeTimes = Arrays.copyOf(decodeTimes, n);
      durations = Arrays.copyOf(durations, n);
      sizes = Arrays.copyOf(sizes, n);
      flags = Arrays.copyOf(flags, n);
      compositionOffsets = Arrays.copyOf(compositionOffsets, n);
    }
    int size = sample.size();
    if (data.remaining() < size) {
      ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(data.capacity() * 2, data.position() + size));
      ((Buffer) data).flip();
      bigger.put(data);
      data = bigger;
    }
    sample.copyPayloadTo(data);
    decodeTimes[count] = decodeTimeTicks;
    durations[count] = 0;
    sizes[count] = size;
    flags[count] = sampleFlags;
    compositionOffsets[count] = compositionOffsetTicks;
    count++;
  }

  /**
   * After the first {@code written} samples went out in a fragment, keeps the rest (the unresolved
   * tail) as the start of the next fragment, payload bytes moved to the front.
   */
  void retainAfter(int written, int writtenBytes) {
    int keep = count - written;
    System.arraycopy(decodeTimes, written, decodeTimes, 0, keep);
    System.arraycopy(durations, written, durations, 0, keep);
    System.arraycopy(sizes, written, sizes, 0, keep);
    System.arraycopy(flags, written, flags, 0, keep);
    System.arraycopy(compositionOffsets, written, compositionOffsets, 0, keep);
    count = keep;
    ByteBuffer rest = data.duplicate();
    ((Buffer) rest).position(writtenBytes).limit(data.position());
    ((Buffer) data).clear();
    data.put(rest); // overlapping move toward the front: put copies forward, which is safe here
  }

  void setLastDuration(int durationTicks) {
    durations[count - 1] = durationTicks;
  }

  long firstDecodeTime() {
    return decodeTimes[0];
  }

  int dataSize() {
    return data.position();
  }

  /** The first {@code bytes} payload bytes, as a view to write (valid until the buffer changes). */
  ByteBuffer data(int bytes) {
    ByteBuffer view = data.duplicate();
    ((Buffer) view).position(0).limit(bytes);
    return view;
  }
}
