package io.livemux.mp4;

import java.util.Arrays;

/**
 * Everything the final moov's sample table needs about one track (14496-12 8.5-8.7), kept compact:
 * sizes one int each, durations and composition offsets run-length coded, chunks one per fragment.
 * Grows with the recording (a few bytes a sample), unlike media, which is never kept. Not
 * thread-safe.
 */
final class SampleTable {
  private int sampleCount;
  private final IntBlocks sizes = new IntBlocks();
  private final RunLengths durations = new RunLengths();
  private final RunLengths compositionOffsets = new RunLengths();
  private boolean anyCompositionOffset;
  private boolean anyNegativeCompositionOffset;
  private final IntBlocks syncSamples = new IntBlocks();
  private long[] chunkOffsets = new long[64];
  private long[] chunkBytes = new long[64];
  private int chunkCount;
  private final RunLengths samplesPerChunk = new RunLengths();
  private long totalDurationTicks;

  /** Records one sample of a chunk: see {@link #addChunk}. */
  void addSample(int size, int durationTicks, int compositionOffsetTicks, boolean sync) {
    sizes.add(size);
    sampleCount++;
    durations.add(durationTicks);
    totalDurationTicks += durationTicks;
    compositionOffsets.add(compositionOffsetTicks);
    if (compositionOffsetTicks != 0) {
      anyCompositionOffset = true;
      anyNegativeCompositionOffset |= compositionOffsetTicks < 0;
    }
    if (sync) {
      syncSamples.add(sampleCount); // 1-based
    }
  }

  /**
   * Records a chunk of {@code samples} consecutive samples, {@code bytes} long, starting at file
   * offset {@code offset}.
   */
  void addChunk(long offset, int samples, long bytes) {
    if (chunkCount == chunkOffsets.length) {
      chunkOffsets = Arrays.copyOf(chunkOffsets, chunkCount * 2);
      chunkBytes = Arrays.copyOf(chunkBytes, chunkCount * 2);
    }
    chunkOffsets[chunkCount] = offset;
    chunkBytes[chunkCount++] = bytes;
    samplesPerChunk.add(samples);
  }

  int chunkCount() {
    return chunkCount;
  }

  long chunkOffset(int i) {
    return chunkOffsets[i];
  }

  long chunkBytes(int i) {
    return chunkBytes[i];
  }

  int sampleCount() {
    return sampleCount;
  }

  long totalDurationTicks() {
    return totalDurationTicks;
  }

  /** Writes stts, ctts (if any offset), stss (unless every sample is sync), stsc, stsz, stco/co64. */
  void writeTables(BoxBuffer b) {
    writeTables(b, null, chunkCount > 0 && chunkOffsets[chunkCount - 1] > 0xFFFF_FFFFL);
  }

  /**
   * The same, with chunk {@code i} at {@code newOffsets[i]} (null: where it is) and co64 when
   * {@code large}.
   */
  void writeTables(BoxBuffer b, long[] newOffsets, boolean large) {
    stts(b);
    if (anyCompositionOffset) {
      ctts(b);
    }
    if (syncSamples.size() < sampleCount) {
      stss(b);
    }
    stsc(b);
    stsz(b);
    chunkOffsets(b, newOffsets == null ? chunkOffsets : newOffsets, large);
  }

  /** 8.6.1.2 TimeToSampleBox. */
  private void stts(BoxBuffer b) {
    int box = b.startFull("stts", 0, 0);
    b.u32(durations.runs); // entry_count
    for (int i = 0; i < durations.runs; i++) {
      b.u32(durations.counts.get(i)); // sample_count
      b.u32(durations.values.get(i)); // sample_delta
    }
    b.end(box);
  }

  /** 8.6.1.3 CompositionOffsetBox; version 1 (signed) only when an offset is negative. */
  private void ctts(BoxBuffer b) {
    int box = b.startFull("ctts", anyNegativeCompositionOffset ? 1 : 0, 0);
    b.u32(compositionOffsets.runs); // entry_count
    for (int i = 0; i < compositionOffsets.runs; i++) {
      b.u32(compositionOffsets.counts.get(i)); // sample_count
      b.u32(compositionOffsets.values.get(i)); // sample_offset
    }
    b.end(box);
  }

  /** 8.6.2 SyncSampleBox. */
  private void stss(BoxBuffer b) {
    int box = b.startFull("stss", 0, 0);
    b.u32(syncSamples.size()); // entry_count
    for (int i = 0; i < syncSamples.size(); i++) {
      b.u32(syncSamples.get(i)); // sample_number
    }
    b.end(box);
  }

  /** 8.7.4 SampleToChunkBox: a run of chunks with the same sample count is one entry. */
  private void stsc(BoxBuffer b) {
    int box = b.startFull("stsc", 0, 0);
    b.u32(samplesPerChunk.runs); // entry_count
    int firstChunk = 1;
    for (int i = 0; i < samplesPerChunk.runs; i++) {
      b.u32(firstChunk); // first_chunk
      b.u32(samplesPerChunk.values.get(i)); // samples_per_chunk
      b.u32(1); // sample_description_index
      firstChunk += samplesPerChunk.counts.get(i);
    }
    b.end(box);
  }

  /** 8.7.3.2 SampleSizeBox. */
  private void stsz(BoxBuffer b) {
    int box = b.startFull("stsz", 0, 0);
    b.u32(0); // sample_size: sizes follow
    b.u32(sampleCount); // sample_count
    sizes.writeU32s(b); // entry_size, one per sample
    b.end(box);
  }

  /** 8.7.5 ChunkOffsetBox, or ChunkLargeOffsetBox (co64) when an offset passes 4 GiB. */
  private void chunkOffsets(BoxBuffer b, long[] offsets, boolean large) {
    int box = b.startFull(large ? "co64" : "stco", 0, 0);
    b.u32(chunkCount); // entry_count
    for (int i = 0; i < chunkCount; i++) {
      if (large) {
        b.u64(offsets[i]); // chunk_offset
      } else {
        b.u32(offsets[i]);
      }
    }
    b.end(box);
  }

  /** (count, value) runs. */
  private static final class RunLengths {
    int runs;
    final IntBlocks counts = new IntBlocks();
    final IntBlocks values = new IntBlocks();

    void add(int value) {
      if (runs > 0 && values.get(runs - 1) == value) {
        counts.set(runs - 1, counts.get(runs - 1) + 1);
        return;
      }
      counts.add(1);
      values.add(value);
      runs++;
    }
  }
}
