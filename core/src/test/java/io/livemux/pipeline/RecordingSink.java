package io.livemux.pipeline;

import io.livemux.format.MediaFormat;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A real sink for tests: records what it is given; can be slow, stall on a gate, or fail. */
final class RecordingSink implements SampleSink {
  /** One write: the track and the sample's presentation ticks (the tests' sequence numbers). */
  static final class Write {
    final int track;
    final long pts;
    final Sample sample;

    Write(int track, Sample sample) {
      this.track = track;
      this.pts = sample.presentationTimeTicks();
      this.sample = sample;
    }
  }

  final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  volatile long writeDelayNanos;
  volatile CountDownLatch gate;
  volatile int failAtWrite = -1;
  volatile boolean finished;
  volatile boolean cancelled;
  volatile List<TrackInfo> tracks;

  @Override
  public void start(List<TrackInfo> tracks) {
    this.tracks = tracks;
    events.add("start " + tracks.size());
  }

  @Override
  public void formatChanged(int track, MediaFormat newFormat) {
    events.add("formatChanged " + track + " " + newFormat);
  }

  @Override
  public void write(int track, Sample sample) throws IOException {
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("stalled sink interrupted");
      }
    }
    if (failAtWrite >= 0 && writes.size() == failAtWrite) {
      throw new IOException("No space left on device (simulated at write " + failAtWrite + ")");
    }
    long delay = writeDelayNanos;
    if (delay > 0) {
      // Simulated slowness by busy work, so no sleep stands in for synchronisation.
      long end = System.nanoTime() + delay;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
    }
    writes.add(new Write(track, sample));
    if (sample.format() != null && events.size() < 10_000) {
      events.add("write " + track + " " + sample.presentationTimeTicks());
    }
  }

  @Override
  public void finish() {
    finished = true;
    events.add("finish");
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  List<Long> ptsOfTrack(int track) {
    List<Long> out = new ArrayList<>();
    synchronized (writes) {
      for (Write w : writes) {
        if (w.track == track) {
          out.add(w.pts);
        }
      }
    }
    return out;
  }
}
