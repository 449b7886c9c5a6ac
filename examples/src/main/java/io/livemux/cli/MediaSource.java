package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.format.MediaFormat;
import io.livemux.sample.Sample;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An input file read as tracks and samples, whatever its container: every track is known before
 * the first sample, and samples come in file order (decode order per track).
 *
 * <p>Owns its file until {@link #close()}; samples belong to the caller. One thread.
 */
abstract class MediaSource implements Closeable {
  /** Opens {@code path} by its content ({@link Container#of}). */
  static MediaSource open(Path path) throws IOException {
    switch (Container.of(path)) {
      case FLV:
        return FlvSource.open(path);
      case MP4:
      default:
        return Mp4Source.open(path);
    }
  }

  abstract Container container();

  /** The tracks' (first) formats, in track order. */
  abstract List<MediaFormat> formats();

  /** Moves to the next sample; false at the end (or at the last whole unit of a cut file). */
  abstract boolean advance() throws IOException;

  /** The current sample's track. */
  abstract int track();

  /** The current sample. */
  abstract Sample sample();

  /** How far through the input the reading is, 0 to 1. */
  abstract double progress();

  /**
   * True when every sample's payload bytes stay unchanged for as long as the sample is referenced
   * (views of a read-only mapped file): a writer may then keep and write them without a copy.
   */
  boolean payloadsStable() {
    return false;
  }

  /** Bytes at the end of a cut file that were not a whole unit (an FLV tag), known at the end. */
  long truncatedBytes() {
    return 0;
  }

  /**
   * Where a cut-off input ends inside a unit it could not read whole, known once {@link #advance()}
   * returned false: "the FLV tag at offset 1234", "the 'mdat' box at offset 5678"; null when the
   * input ends cleanly.
   */
  String cutOff() throws IOException {
    return null;
  }

  /** A clear error when a sample's track cannot be written. */
  static LivemuxException unsupported(Path path, MediaFormat format) {
    return new LivemuxException(path + ": cannot remux a track of " + format.mimeType()
        + " (livemux remuxes H.264, H.265 and AAC)");
  }

  @Override
  public abstract void close() throws IOException;
}
