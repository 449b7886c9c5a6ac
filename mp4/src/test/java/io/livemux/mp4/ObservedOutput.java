package io.livemux.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real file behind a disk the test watches: it counts forces and closes, and may fail every write
 * after the first few with a given message (a full disk).
 */
final class ObservedOutput implements FileOutput {
  private final FileOutput file;
  private final AtomicInteger forces;
  private final AtomicInteger closes;
  private final AtomicInteger writesLeft;
  private final String failure;

  private ObservedOutput(
      FileOutput file, AtomicInteger forces, AtomicInteger closes, int writesBeforeFailure, String failure) {
    this.file = file;
    this.forces = forces;
    this.closes = closes;
    this.writesLeft = new AtomicInteger(writesBeforeFailure);
    this.failure = failure;
  }

  /** Opens files that never fail, counting their forces and closes. */
  static FileOutput.Opener counting(AtomicInteger forces, AtomicInteger closes) {
    return path -> new ObservedOutput(FileOutput.openFile(path), forces, closes, Integer.MAX_VALUE, null);
  }

  /** Opens files whose writes fail after the first {@code writes}, with {@code failure} as the message. */
  static FileOutput.Opener failingAfter(int writes, String failure) {
    return path -> new ObservedOutput(
        FileOutput.openFile(path), new AtomicInteger(), new AtomicInteger(), writes, failure);
  }

  private void beforeWrite() throws IOException {
    if (writesLeft.getAndDecrement() <= 0) {
      throw new IOException(failure);
    }
  }

  @Override
  public void write(ByteBuffer[] parts, int count, long position) throws IOException {
    beforeWrite();
    file.write(parts, count, position);
  }

  @Override
  public void write(ByteBuffer data, long position) throws IOException {
    beforeWrite();
    file.write(data, position);
  }

  @Override
  public void force() throws IOException {
    forces.incrementAndGet();
    file.force();
  }

  @Override
  public void close() throws IOException {
    closes.incrementAndGet();
    file.close();
  }
}
