package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link WriteBehindOutput} against writing inline: random sequences of gathering and single
 * writes, a disk that takes random time (so the two threads interleave differently each try), and
 * a caller that scribbles over a gathering write's buffers the moment the contract lets it (after
 * its next gathering write returns). The bytes must be exactly those written inline.
 */
class WriteBehindOutputProperties {
  private static final int FILE_BYTES = 1 << 16;

  /** One write the caller asks for: {@code parts} sizes (gathering) or one size, at a position. */
  static final class Op {
    final boolean gather;
    final int[] sizes;
    final int position;

    Op(boolean gather, int[] sizes, int position) {
      this.gather = gather;
      this.sizes = sizes;
      this.position = position;
    }

    @Override
    public String toString() {
      return (gather ? "gather" : "single") + Arrays.toString(sizes) + "@" + position;
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<int[]> sizes = Arbitraries.integers().between(0, 700).array(int[].class).ofMinSize(1).ofMaxSize(6);
    Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
        Arbitraries.of(true, true, false), sizes, Arbitraries.integers().between(0, FILE_BYTES - 4200))
        .as((gather, s, position) -> new Op(gather, gather ? s : new int[] {s[0]}, position));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void writesLandAsIfWrittenInline_whateverTheTiming(
      @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 2000) int maxDiskSpins,
      @ForAll long seed) throws IOException {
    byte[] expected = new byte[FILE_BYTES];
    MemoryFile disk = new MemoryFile(maxDiskSpins, seed, -1);
    WriteBehindOutput out = new WriteBehindOutput(disk, "test-write-behind");
    Random random = new Random(seed);
    ByteBuffer[] previousGather = null;
    try {
      for (Op op : ops) {
        ByteBuffer[] parts = new ByteBuffer[op.sizes.length];
        int at = op.position;
        for (int i = 0; i < parts.length; i++) {
          byte[] bytes = new byte[op.sizes[i]];
          random.nextBytes(bytes);
          System.arraycopy(bytes, 0, expected, at, bytes.length);
          at += bytes.length;
          parts[i] = random.nextBoolean() ? ByteBuffer.wrap(bytes) : direct(bytes);
        }
        if (op.gather) {
          out.write(parts, parts.length, op.position);
          // The contract frees the previous gathering write's buffers now: reuse them at once.
          if (previousGather != null) {
            scribble(previousGather);
          }
          previousGather = parts;
        } else {
          out.write(parts[0], op.position);
          assertEquals(0, parts[0].remaining(), "a single write consumes its buffer");
          scribble(parts); // copied: free at once
        }
      }
      out.drain();
    } finally {
      out.close();
    }
    assertArrayEquals(expected, disk.bytes, ops.toString());
  }

  @Property(tries = 200)
  void aFailedWrite_isThrownByALaterCall_andNothingAfterItIsWritten(
      @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 39) int failAt, @ForAll long seed) {
    MemoryFile disk = new MemoryFile(50, seed, failAt);
    WriteBehindOutput out = new WriteBehindOutput(disk, "test-write-behind");
    IOException thrown = null;
    try {
      for (Op op : ops) {
        ByteBuffer[] parts = new ByteBuffer[op.sizes.length];
        for (int i = 0; i < parts.length; i++) {
          parts[i] = ByteBuffer.allocate(op.sizes[i]);
        }
        if (op.gather) {
          out.write(parts, parts.length, op.position);
        } else {
          out.write(parts[0], op.position);
        }
      }
      out.drain();
    } catch (IOException e) {
      thrown = e;
    } finally {
      try {
        out.close();
      } catch (IOException ignored) {
        // the memory file does not fail on close
      }
    }
    if (failAt < ops.size()) {
      assertTrue(thrown != null, "write " + failAt + " of " + ops.size() + " failed; the caller was not told");
      assertTrue(thrown.getMessage().contains("at offset " + ops.get(failAt).position), thrown.getMessage());
      assertTrue(thrown.getMessage().contains("injected failure"), thrown.getMessage());
      assertEquals(failAt, disk.writes, "writes after the failed one were not attempted");
    } else {
      assertEquals(null, thrown);
      assertEquals(ops.size(), disk.writes);
    }
  }

  @Example
  void close_fromAnotherThread_unblocksAStalledWrite_andLaterCallsFail() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    FileOutput stalled = new FileOutput() {
      @Override
      public void write(ByteBuffer[] parts, int count, long position) throws IOException {
        entered.countDown();
        try {
          closed.await(); // a disk that hangs until the file is closed
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException();
        }
        throw new java.nio.channels.AsynchronousCloseException();
      }

      @Override
      public void write(ByteBuffer data, long position) throws IOException {
        write(new ByteBuffer[] {data}, 1, position);
      }

      @Override
      public void force() {}

      @Override
      public void close() {
        closed.countDown();
      }
    };
    WriteBehindOutput out = new WriteBehindOutput(stalled, "test-write-behind");
    out.write(new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocate(5)}, 2, 0);
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    Thread closer = new Thread(() -> {
      try {
        out.close();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    closer.start();
    closer.join(10_000);
    assertEquals(false, closer.isAlive(), "close() returned while the disk hung");
    IOException e = assertThrows(IOException.class, out::drain);
    assertTrue(e.getMessage().contains("closed") || e.getMessage().contains("failed"), e.getMessage());
  }

  @Example
  void anErrorOnTheWriteThread_failsTheNextCall_ratherThanHangingIt() throws Exception {
    FileOutput throwing = new FileOutput() {
      @Override
      public void write(ByteBuffer[] parts, int count, long position) {
        throw new OutOfMemoryError("Cannot reserve 1048576 bytes of direct buffer memory (test)");
      }

      @Override
      public void write(ByteBuffer data, long position) {}

      @Override
      public void force() {}

      @Override
      public void close() {}
    };
    WriteBehindOutput out = new WriteBehindOutput(throwing, "test-write-behind");
    out.write(new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocate(5)}, 2, 100);
    try {
      out.write(ByteBuffer.allocate(4), 0); // queued behind it: skipped once the first failed
    } catch (IOException earlier) {
      // or, when the write thread has failed already, refused with that failure
      assertTrue(earlier.getMessage().contains("15 bytes at offset 100"), earlier.getMessage());
    }
    java.util.concurrent.FutureTask<IOException> drain = new java.util.concurrent.FutureTask<>(() -> {
      try {
        out.drain();
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    Thread t = new Thread(drain);
    t.start();
    IOException e = drain.get(10, TimeUnit.SECONDS); // a hang fails here
    assertTrue(e != null, "drain() returned without the failure");
    assertTrue(e.getMessage().contains("15 bytes at offset 100"), e.getMessage());
    assertTrue(e.getMessage().contains("direct buffer memory"), e.getMessage());
    out.close();
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
    b.put(bytes);
    ((java.nio.Buffer) b).flip();
    return b;
  }

  private static void scribble(ByteBuffer[] parts) {
    for (ByteBuffer p : parts) {
      ByteBuffer w = p.duplicate();
      ((java.nio.Buffer) w).clear();
      while (w.hasRemaining()) {
        w.put((byte) 0x5A);
      }
    }
  }

  /** A file in memory whose writes take a random while, and may fail at the {@code failAt}-th. */
  private static final class MemoryFile implements FileOutput {
    final byte[] bytes = new byte[FILE_BYTES];
    final Random random;
    final int maxSpins;
    final int failAt;
    int writes; // only the write-behind thread writes

    MemoryFile(int maxSpins, long seed, int failAt) {
      this.maxSpins = maxSpins;
      this.random = new Random(seed ^ 0x9E3779B97F4A7C15L);
      this.failAt = failAt;
    }

    private void slowly() throws IOException {
      if (writes == failAt) {
        throw new IOException("injected failure");
      }
      int spins = maxSpins == 0 ? 0 : random.nextInt(maxSpins + 1);
      for (int i = 0; i < spins; i++) {
        Thread.onSpinWait();
      }
    }

    @Override
    public void write(ByteBuffer[] parts, int count, long position) throws IOException {
      slowly();
      int at = (int) position;
      for (int i = 0; i < count; i++) {
        int n = parts[i].remaining();
        parts[i].get(bytes, at, n);
        at += n;
      }
      writes++;
    }

    @Override
    public void write(ByteBuffer data, long position) throws IOException {
      write(new ByteBuffer[] {data}, 1, position);
    }

    @Override
    public void force() {}

    @Override
    public void close() {}
  }
}
