package io.livemux.mp4;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the writer's bytes go: positional writes, a flush to the device, and a close that may come
 * from another thread to unblock a stalled write. The file implementation is the only one in
 * production; tests put a stalling one in its place.
 */
interface FileOutput extends Closeable {
  /** Opens the output; the writer calls it from its own thread. */
  interface Opener {
    FileOutput open(Path path) throws IOException;
  }

  /** Writes every remaining byte of {@code parts[0..count)} at {@code position}. */
  void write(ByteBuffer[] parts, int count, long position) throws IOException;

  /** Writes every remaining byte of {@code data} at {@code position}. */
  void write(ByteBuffer data, long position) throws IOException;

  /** Forces what was written to the storage device. */
  void force() throws IOException;

  /** Returns once every write asked for is in the file (at once here: writes are synchronous). */
  default void drain() throws IOException {}

  /** Opens {@code path} as a file, created or truncated. */
  static FileOutput openFile(Path path) throws IOException {
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    return new FileOutput() {
      @Override
      public void write(ByteBuffer[] parts, int count, long position) throws IOException {
        long left = 0;
        for (int i = 0; i < count; i++) {
          left += parts[i].remaining();
        }
        channel.position(position);
        while (left > 0) {
          left -= channel.write(parts, 0, count);
        }
      }

      @Override
      public void write(ByteBuffer data, long position) throws IOException {
        long at = position;
        while (data.hasRemaining()) {
          at += channel.write(data, at);
        }
      }

      @Override
      public void force() throws IOException {
        channel.force(false);
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
