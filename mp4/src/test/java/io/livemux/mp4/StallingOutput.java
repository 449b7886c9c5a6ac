package io.livemux.mp4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** A real file behind a disk that turns slow, then stalls for good after N writes (until closed). */
final class StallingOutput implements FileOutput {
  private final FileOutput file;
  private final int stallAfterWrites;
  private final long slowNanos;
  private final CountDownLatch closed = new CountDownLatch(1);
  private int writes;

  StallingOutput(FileOutput file, int stallAfterWrites, long slowNanos) {
    this.file = file;
    this.stallAfterWrites = stallAfterWrites;
    this.slowNanos = slowNanos;
  }

  static FileOutput.Opener opener(int stallAfterWrites, long slowNanos) {
    return (Path path) -> new StallingOutput(FileOutput.openFile(path), stallAfterWrites, slowNanos);
  }

  private void beforeWrite() throws IOException {
    if (stallAfterWrites >= 0 && writes++ >= stallAfterWrites) {
      try {
        closed.await(); // the disk hangs; only close() releases the writer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("write interrupted on a stalled disk");
      }
    }
    if (closed.getCount() == 0) {
      throw new ClosedChannelException();
    }
    long end = System.nanoTime() + slowNanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Override
  public synchronized void write(ByteBuffer[] parts, int count, long position) throws IOException {
    beforeWrite();
    file.write(parts, count, position);
  }

  @Override
  public synchronized void write(ByteBuffer data, long position) throws IOException {
    beforeWrite();
    file.write(data, position);
  }

  @Override
  public void force() throws IOException {
    file.force();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    file.close();
  }
}
