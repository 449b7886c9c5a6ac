package io.livemux.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The least a JVM process can take to remux an FLV, run as a whole process by
 * {@code benchmarks/remux-vs-ffmpeg.sh} beside {@code livemux remux}, ffmpeg and cp. It writes no
 * MP4: it only does the parts no remux can skip, so its time is a floor for any JVM remuxer, ours
 * included.
 *
 * <ul>
 *   <li>{@code copy IN OUT}: one {@link FileChannel#transferTo} of the whole file, which Linux does
 *       in the kernel (sendfile) without a copy through user memory, as cp's {@code
 *       copy_file_range} does. What is left over cp is the JVM's start.
 *   <li>{@code index-copy IN OUT}: first reads every FLV tag header (type and size, E.1.4 of the
 *       FLV specification v10.1) through a mapping of the input, as a remuxer must to know where
 *       each sample is, then the same in-kernel copy.
 * </ul>
 *
 * <p>Prints the tag count and the time inside the process to standard error. One thread.
 */
public final class RemuxFloor {
  private RemuxFloor() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3 || !(args[0].equals("copy") || args[0].equals("index-copy"))) {
      System.err.println("usage: RemuxFloor copy|index-copy INPUT OUTPUT");
      System.exit(2);
    }
    long startNanos = System.nanoTime();
    try (FileChannel in = FileChannel.open(Path.of(args[1]));
        FileChannel out = FileChannel.open(Path.of(args[2]), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long size = in.size();
      int tags = args[0].equals("index-copy") ? countTags(in, args[1]) : 0;
      for (long position = 0; position < size; ) {
        position += in.transferTo(position, size - position, out);
      }
      System.err.println(args[0] + ": " + tags + " tags, " + size + " bytes, "
          + (System.nanoTime() - startNanos) / 1_000_000 + " ms in the process");
    }
  }

  /** Walks the tag headers of the FLV in {@code in}: header, then (previous size, tag)*. */
  static int countTags(FileChannel in, String name) throws IOException {
    long size = in.size();
    if (size > Integer.MAX_VALUE) {
      throw new IOException(name + ": " + size + " bytes: the floor maps one buffer of at most 2 GiB");
    }
    MappedByteBuffer flv = in.map(FileChannel.MapMode.READ_ONLY, 0, size);
    if (size < 9 || flv.get(0) != 'F' || flv.get(1) != 'L' || flv.get(2) != 'V') {
      throw new IOException(name + ": not an FLV file (no 'FLV' signature)");
    }
    long position = flv.getInt(5) & 0xFFFF_FFFFL; // DataOffset: the header's size
    int tags = 0;
    while (position + 4 + 11 <= size) {
      long tag = position + 4; // PreviousTagSize first
      int dataSize = (int) (u32(flv, (int) tag) & 0xFF_FFFF); // bytes 1..3 after the type byte
      position = tag + 11 + dataSize;
      tags++;
    }
    return tags;
  }

  private static long u32(ByteBuffer buffer, int at) {
    return buffer.getInt(at) & 0xFFFF_FFFFL;
  }
}
