package io.livemux.mp4;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link FileOutput} whose writes a thread of its own carries out, in the order they were asked
 * for, while the caller goes on ({@link Mp4Options#withWriteBehind}).
 *
 * <p><b>Buffers.</b> A gathering write is written from its buffers where they are: the caller
 * leaves their bytes unchanged until its <em>next</em> gathering write returns, which first waits
 * until this one is done (so at most one is queued or running, and a writer that alternates two
 * fragment buffers never waits on its own bytes). A single-buffer write is copied, so its buffer is
 * free at once. Order is kept: a fragment's type is changed to {@code moof} only after its bytes
 * were written, as without this class.
 *
 * <p><b>Failures.</b> A failed write is kept and thrown, naming it, by the caller's next call;
 * queued writes after it are not attempted. {@link #drain()} and {@link #force()} wait until
 * everything asked for is written (or failed).
 *
 * <p><b>Threads.</b> {@code write}, {@code drain} and {@code force} come from the writer's one
 * thread; {@link #close()} from any thread, at any time: it closes the file at once (unblocking a
 * write in progress, as the writer's cancel needs) and ends the thread.
 */
final class WriteBehindOutput implements FileOutput {
  /** Single-buffer writes queued between gathering writes: a header, a type change, a moov. */
  private static final int MAX_QUEUED = 16;

  private final FileOutput out;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  /** Jobs asked for, and jobs done (written or skipped after a failure): sequence numbers. */
  private long submitted;
  private long completed;
  /** The sequence number of the last gathering write asked for (0: none). */
  private long lastGather;
  private IOException failure;
  private boolean closed;

  /**
   * A write the thread carried out earlier failed; thrown by a later call, whose own context (the
   * fragment it was writing) is not the one that failed: this message names the failed write.
   */
  static final class EarlierWriteFailed extends IOException {
    private static final long serialVersionUID = 1L;

    EarlierWriteFailed(long bytes, long position, String cause, Throwable e) {
      super("writing " + bytes + " bytes at offset " + position + " failed: " + cause, e);
    }
  }

  /** One write: {@code parts[0..count)} or a copied single buffer, at {@code position}. */
  private static final class Job {
    final ByteBuffer[] parts;
    final int count;
    final long position;

    Job(ByteBuffer[] parts, int count, long position) {
      this.parts = parts;
      this.count = count;
      this.position = position;
    }

    long bytes() {
      long n = 0;
      for (int i = 0; i < count; i++) {
        n += parts[i].remaining();
      }
      return n;
    }
  }

  WriteBehindOutput(FileOutput out, String threadName) {
    if (out == null) {
      throw new NullPointerException("out");
    }
    this.out = out;
    Thread thread = new Thread(this::run, threadName);
    thread.setDaemon(true); // close() ends it; it never holds the JVM open
    thread.start();
  }

  @Override
  public void write(ByteBuffer[] parts, int count, long position) throws IOException {
    lock.lock();
    try {
      // The previous gathering write's buffers may be the ones the caller fills next.
      awaitCompleted(lastGather);
      lastGather = enqueue(new Job(Arrays.copyOf(parts, count), count, position));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void write(ByteBuffer data, long position) throws IOException {
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data.duplicate());
    ((Buffer) copy).flip();
    lock.lock();
    try {
      enqueue(new Job(new ByteBuffer[] {copy}, 1, position));
    } finally {
      lock.unlock();
    }
    ((Buffer) data).position(data.limit()); // consumed, as a direct write would leave it
  }

  @Override
  public void drain() throws IOException {
    lock.lock();
    try {
      awaitCompleted(submitted);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void force() throws IOException {
    drain();
    out.force();
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    out.close();
  }

  /** Adds a job once there is room; returns its sequence number. Holds the lock. */
  private long enqueue(Job job) throws IOException {
    while (queue.size() >= MAX_QUEUED) {
      awaitChange();
    }
    throwIfFailed();
    queue.add(job);
    submitted++;
    changed.signalAll();
    return submitted;
  }

  /** Waits until job {@code seq} is done, then throws a failure if there was one. Holds the lock. */
  private void awaitCompleted(long seq) throws IOException {
    while (completed < seq) {
      awaitChange();
    }
    throwIfFailed();
  }

  private void awaitChange() throws IOException {
    throwIfFailed();
    try {
      changed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the output's write-behind thread");
    }
  }

  private void throwIfFailed() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("the output was closed");
    }
  }

  private void run() {
    while (true) {
      Job job;
      boolean skip;
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          changed.awaitUninterruptibly(); // only close() ends this thread
        }
        if (closed) {
          queue.clear();
          completed = submitted;
          changed.signalAll();
          return;
        }
        job = queue.peek();
        skip = failure != null;
      } finally {
        lock.unlock();
      }
      IOException error = null;
      long bytes = job.bytes();
      try {
        if (!skip) {
          if (job.count == 1) {
            out.write(job.parts[0], job.position);
          } else {
            out.write(job.parts, job.count, job.position);
          }
        }
      } catch (IOException | RuntimeException e) {
        error = new EarlierWriteFailed(bytes, job.position, e.getMessage() != null ? e.getMessage() : e.toString(), e);
      } catch (Error e) {
        // Out of (direct) memory, say: the caller must hear of it rather than wait for ever. The
        // thread goes on only to complete (skip) the jobs still queued.
        error = new EarlierWriteFailed(bytes, job.position, e.toString(), e);
      } finally {
        lock.lock();
        try {
          queue.poll();
          completed++;
          if (error != null && failure == null) {
            failure = error;
          }
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
