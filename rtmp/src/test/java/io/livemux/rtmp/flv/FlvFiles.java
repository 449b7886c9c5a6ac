package io.livemux.rtmp.flv;

import io.livemux.LivemuxException;
import io.livemux.codec.RealParameterSets;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.pipeline.TestTracks;
import io.livemux.sample.Sample;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: real formats, writing samples to FLV bytes with an FlvWriter, reading them back. */
final class FlvFiles {
  static final H264Format H264 = format(() -> H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC)));
  static final H265Format H265 = format(() -> H265Format.fromHvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_HVCC)));
  static final AacFormat AAC = AacFormat.of(48_000, 2);

  private interface FormatMaker<T> {
    T make() throws LivemuxException;
  }

  private static <T> T format(FormatMaker<T> maker) {
    try {
      return maker.make();
    } catch (LivemuxException e) {
      throw new AssertionError(e);
    }
  }

  /** One sample and the track it goes to. */
  static final class Written {
    final int track;
    final Sample sample;

    Written(int track, Sample sample) {
      this.track = track;
      this.sample = sample;
    }
  }

  private FlvFiles() {}

  /** The FLV an FlvWriter makes of these tracks and samples (written in list order). */
  static byte[] write(List<MediaFormat> tracks, List<Written> samples, FlvWriterOptions options)
      throws IOException {
    Path file = Files.createTempFile("livemux", ".flv");
    try {
      FlvWriter writer = new FlvWriter(file, options);
      writer.start(TestTracks.of(tracks.toArray(new MediaFormat[0])));
      for (Written w : samples) {
        writer.write(w.track, w.sample);
      }
      writer.finish();
      return Files.readAllBytes(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Every sample an FlvReader yields from {@code flv}. */
  static List<Sample> read(byte[] flv) throws IOException {
    List<Sample> out = new ArrayList<>();
    try (FlvReader reader =
        new FlvReader(Channels.newChannel(new ByteArrayInputStream(flv)), FlvLimits.defaults())) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        out.add(s);
      }
    }
    return out;
  }

  static byte[] payload(Sample s) {
    return bytes(s.payload());
  }

  /** The remaining bytes of {@code b}, its position unmoved. */
  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static void unchecked(IOException e) {
    throw new UncheckedIOException(e);
  }
}
