package io.livemux.cli;

import io.livemux.format.MediaFormat;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Remuxes args[0] to args[1] ({@link Remuxer}, finalized layout), but after {@code args[2]}
 * samples prints {@code writing} and waits for ever: the parent then interrupts it (SIGINT) in the
 * middle of a remux, whatever the machine's speed.
 */
public final class InterruptedRemuxChild {
  private InterruptedRemuxChild() {}

  public static void main(String[] args) throws Exception {
    Path input = Path.of(args[0]);
    int before = Integer.parseInt(args[2]);
    try (MediaSource source = MediaSource.open(input)) {
      Remuxer.remux(new Stalling(source, before), input, Path.of(args[1]), Remuxer.Layout.FINALIZED,
          false, new Progress(new PrintWriter(System.err, true), false, "remux"));
    }
  }

  /** A source that stops after {@code before} samples until the process ends. */
  private static final class Stalling extends MediaSource {
    private final MediaSource source;
    private int left;

    Stalling(MediaSource source, int before) {
      this.source = source;
      this.left = before;
    }

    @Override
    Container container() {
      return source.container();
    }

    @Override
    List<MediaFormat> formats() {
      return source.formats();
    }

    @Override
    boolean advance() throws IOException {
      if (left-- == 0) {
        System.out.println("writing");
        System.out.flush();
        try {
          new CountDownLatch(1).await(); // only the end of the process ends this
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
      }
      return source.advance();
    }

    @Override
    int track() {
      return source.track();
    }

    @Override
    Sample sample() {
      return source.sample();
    }

    @Override
    double progress() {
      return source.progress();
    }

    @Override
    boolean payloadsStable() {
      return source.payloadsStable();
    }

    @Override
    public void close() throws IOException {
      source.close();
    }
  }
}
