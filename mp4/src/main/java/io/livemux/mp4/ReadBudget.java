package io.livemux.mp4;

/**
 * What a file of a given length can hold, so that a malformed file cannot make the reader allocate
 * or loop beyond it: samples (at most one per {@link #MIN_FILE_BYTES_PER_SAMPLE} bytes of file,
 * and at most {@link #MAX_SAMPLES}) and sample payload bytes (the samples of a file do not overlap,
 * so together they fit in it). The index costs about 30 bytes a sample, so a file cannot make the
 * reader hold more than about 4 times its own length (and the parse, briefly, about twice that).
 * Not thread-safe.
 */
final class ReadBudget {
  /** 2^24 samples: some 60 hours of 30 fps video with 48 kHz AAC; about 0.5 GB of index. */
  static final int MAX_SAMPLES = 1 << 24;
  /**
   * What each sample takes of a real file at least, its data and its entries in the sample tables
   * together: a 4-byte stsz entry and a few bytes of the smallest AAC frame (digital silence) or
   * H.264 skipped picture. Raw PCM, whose frames are a few bytes each, is read a chunk to a sample
   * and does not come near it.
   */
  static final int MIN_FILE_BYTES_PER_SAMPLE = 8;

  final long fileBytes;
  private final long maxSamples;
  private long samplesLeft;
  private long payloadBytesLeft;

  ReadBudget(long fileBytes) {
    this.fileBytes = fileBytes;
    this.maxSamples = Math.min(fileBytes / MIN_FILE_BYTES_PER_SAMPLE, MAX_SAMPLES);
    this.samplesLeft = maxSamples;
    this.payloadBytesLeft = fileBytes;
  }

  /** Takes one sample of {@code sizeBytes} from the budget, or throws naming what overflowed. */
  void take(long sizeBytes, String where) throws Mp4Exception {
    if (samplesLeft <= 0) {
      throw new Mp4Exception(
          "malformed MP4: " + where + " declares more samples than a " + fileBytes
              + "-byte file can hold (limit " + maxSamples + ", one per " + MIN_FILE_BYTES_PER_SAMPLE
              + " bytes)");
    }
    if (sizeBytes > payloadBytesLeft) {
      throw new Mp4Exception(
          "malformed MP4: " + where + ": sample data add up to more than the file's " + fileBytes + " bytes");
    }
    samplesLeft--;
    payloadBytesLeft -= sizeBytes;
  }

  /** Checks that {@code count} more samples could fit, before arrays for them are allocated. */
  void checkCount(long count, String where) throws Mp4Exception {
    if (count > samplesLeft) {
      throw new Mp4Exception(
          "malformed MP4: " + where + " declares " + count + " samples, more than a " + fileBytes
              + "-byte file can hold (" + samplesLeft + " left of " + maxSamples + ", one per "
              + MIN_FILE_BYTES_PER_SAMPLE + " bytes)");
    }
  }

  long[] snapshot() {
    return new long[] {samplesLeft, payloadBytesLeft};
  }

  void restore(long[] snapshot) {
    samplesLeft = snapshot[0];
    payloadBytesLeft = snapshot[1];
  }
}
