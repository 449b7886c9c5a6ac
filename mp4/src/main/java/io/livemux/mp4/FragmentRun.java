package io.livemux.mp4;

import io.livemux.sample.Sample;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One track's samples of the fragment being built: their trun fields and payloads, copied into one
 * contiguous buffer that becomes the track's part of the mdat, or (without copy, {@link
 * Mp4Options#withPayloadCopy}) kept as the samples' own read-only views and written from there.
 * Reused fragment after fragment, so memory stays at one fragment per track. Not thread-safe (the
 * writer's thread only).
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
  /** With alternating buffers: the one the previous fragment was written from (else null). */
  private ByteBuffer spare;
  /** Without copy: each sample's payload view, position 0 (null when payloads are copied). */
  private ByteBuffer[] payloads;
  /** Without copy: the payload bytes held, as {@code data.position()} counts them with copy. */
  private int payloadBytes;

  /** A run that copies payloads into a buffer of {@code initialDataCapacity} bytes to start with. */
  FragmentRun(int initialDataCapacity) {
    this(initialDataCapacity, true);
  }

  /** A run that copies payloads ({@code copy}), or keeps their views. */
  FragmentRun(int initialDataCapacity, boolean copy) {
    this(initialDataCapacity, copy, false);
  }

  /**
   * {@code alternate}: copied payloads go to two buffers in turn, one per fragment, because a
   * write-behind output is still writing the previous fragment's buffer while this one fills.
   */
  FragmentRun(int initialDataCapacity, boolean copy, boolean alternate) {
    if (copy) {
      data = ByteBuffer.allocateDirect(initialDataCapacity);
      if (alternate) {
        spare = ByteBuffer.allocateDirect(initialDataCapacity);
      }
    } else {
      payloads = new ByteBuffer[64];
    }
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
      if (payloads != null) {
        payloads = Arrays.copyOf(payloads, n);
      }
    }
    int size = sample.size();
    if (payloads != null) {
      payloads[count] = sample.payload();
      payloadBytes += size;
    } else if (data.remaining() < size) {
      ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(data.capacity() * 2, data.position() + size));
      ((Buffer) data).flip();
      bigger.put(data);
      data = bigger;
      sample.copyPayloadTo(data);
    } else {
      sample.copyPayloadTo(data);
    }
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
    if (payloads != null) {
      System.arraycopy(payloads, written, payloads, 0, keep);
      Arrays.fill(payloads, keep, written + keep, null); // written views go, and their mappings with them
      payloadBytes -= writtenBytes;
      return;
    }
    ByteBuffer rest = data.duplicate();
    ((Buffer) rest).position(writtenBytes).limit(data.position());
    if (spare != null) {
      // The written bytes are still being written from data: the tail moves to the other buffer.
      ByteBuffer next = spare;
      if (next.capacity() < rest.remaining()) {
        next = ByteBuffer.allocateDirect(Math.max(rest.remaining(), data.capacity()));
      }
      ((Buffer) next).clear();
      next.put(rest);
      spare = data;
      data = next;
      return;
    }
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
    return payloads != null ? payloadBytes : data.position();
  }

  /** How many buffers {@link #putData} puts for the first {@code samples} samples. */
  int partCount(int samples) {
    return payloads != null ? samples : 1;
  }

  /**
   * Puts the first {@code samples} samples' payloads ({@code bytes} bytes) into {@code parts} from
   * index {@code at}, {@link #partCount} buffers: views to write, valid until the run changes.
   */
  void putData(ByteBuffer[] parts, int at, int samples, int bytes) {
    if (payloads != null) {
      System.arraycopy(payloads, 0, parts, at, samples);
    } else {
      ByteBuffer view = data.duplicate();
      ((Buffer) view).position(0).limit(bytes);
      parts[at] = view;
    }
  }
}
