package io.livemux.encode;

import io.livemux.format.H264Format;
import io.livemux.format.MediaFormat;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.TrackInfo;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A real sink for the encoder tests: keeps every H.264 sample and can write them as an Annex B
 * elementary stream (parameter sets before each sync sample) for ffmpeg; can stall on a gate.
 */
final class AnnexBSink implements SampleSink {
  final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  volatile CountDownLatch gate;
  volatile List<TrackInfo> tracks;
  volatile boolean finished;

  @Override
  public void start(List<TrackInfo> tracks) {
    this.tracks = tracks;
  }

  @Override
  public void formatChanged(int track, MediaFormat newFormat) {
    throw new AssertionError("the encoder changed its format mid-stream: " + newFormat);
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
    samples.add(sample);
  }

  @Override
  public void finish() {
    finished = true;
  }

  List<Sample> snapshot() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  /** Writes the samples as Annex B: SPS and PPS before every sync sample, 4-byte start codes. */
  static void writeAnnexB(List<Sample> samples, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (Sample s : samples) {
        H264Format f = (H264Format) s.format();
        if (s.isSync()) {
          for (ByteBuffer nal : f.sps()) {
            writeNal(out, nal);
          }
          for (ByteBuffer nal : f.pps()) {
            writeNal(out, nal);
          }
        }
        ByteBuffer p = s.payload();
        while (p.hasRemaining()) {
          int len = p.getInt();
          ByteBuffer nal = p.slice();
          ((java.nio.Buffer) nal).limit(len);
          writeNal(out, nal);
          ((java.nio.Buffer) p).position(p.position() + len);
        }
      }
    }
  }

  private static void writeNal(OutputStream out, ByteBuffer nal) throws IOException {
    out.write(new byte[] {0, 0, 0, 1});
    byte[] b = new byte[nal.remaining()];
    nal.duplicate().get(b);
    out.write(b);
  }
}
