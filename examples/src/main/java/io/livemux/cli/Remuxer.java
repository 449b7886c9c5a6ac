package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.format.MediaFormat;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Writer;
import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.TrackInfo;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies every sample of a {@link MediaSource} into an MP4 through an {@link Mp4Writer} driven on
 * the calling thread, without decoding: there is nothing live to keep up with, so no pipeline or
 * queue is needed, and the writer's own write-behind thread writes each fragment while the next is
 * read (reading and the operating system's copy into the output overlap on two cores). Payloads the
 * source keeps stable ({@link MediaSource#payloadsStable()}: views of a mapped FLV) are written
 * from where they are, without a copy. Memory stays at two fragments per track.
 *
 * <p>The output is written beside it ({@link #partialPath}) and renamed to its name once complete
 * (with {@code fsync}, after it and then its directory reached the disk): a failure or an interrupt
 * deletes the partial file and leaves whatever had the output's name as it was, since a
 * half-written file under the name the user asked for would be mistaken for the result. One thread
 * per call.
 */
final class Remuxer {
  /** The output's layout. */
  enum Layout {
    /** Hybrid: fragments, then a full moov appended and the placeholder made an mdat header. */
    FINALIZED,
    /** Fragments and an mfra index, for players that stream fMP4. */
    FRAGMENTED,
    /** ftyp, moov, then one mdat: progressive download starts before the whole file is there. */
    FASTSTART
  }

  /** How often (in samples) the progress bar is offered an update. */
  private static final int PROGRESS_EVERY = 256;

  private Remuxer() {}

  /** Remuxes {@code source} into {@code output} (created or replaced), forced to the device at the end. */
  static Mp4Result remux(MediaSource source, Path input, Path output, Layout layout, Progress progress)
      throws IOException {
    return remux(source, input, output, layout, true, progress);
  }

  /**
   * Remuxes {@code source} into {@code output} (created or replaced). {@code fsync}: the output is
   * forced to the storage device before this returns ({@link Mp4Options#withFsyncAtFinish}); without
   * it the output is left in the operating system's cache, as cp and ffmpeg leave theirs.
   */
  static Mp4Result remux(
      MediaSource source, Path input, Path output, Layout layout, boolean fsync, Progress progress)
      throws IOException {
    checkDistinct(input, output);
    List<MediaFormat> formats = source.formats();
    List<TrackInfo> tracks = new ArrayList<>();
    for (int t = 0; t < formats.size(); t++) {
      try {
        Mp4Writer.checkSupported(formats.get(t));
      } catch (IOException e) {
        throw MediaSource.unsupported(input, formats.get(t));
      }
      tracks.add(TrackInfo.of(t, formats.get(t), /* realTime= */ false));
    }
    // Written beside the output and renamed over it once complete: a failure or an interrupt
    // (Ctrl-C) leaves whatever was at the output's name as it was.
    Path partial = partialPath(output);
    Path faststart = layout == Layout.FASTSTART ? partialPath(output, "faststart") : null;
    Mp4Options options = Mp4Options.defaults()
        .withFsyncAtFinish(fsync)
        .withWriteBehind(true)
        .withPayloadCopy(!source.payloadsStable());
    if (layout == Layout.FRAGMENTED) {
      options = options.withEnding(Mp4Options.Ending.FRAGMENTED);
    }
    Mp4Writer writer = new Mp4Writer(partial, options);
    Copier copier = new Copier(input, writer, formats);
    Thread onInterrupt = new Thread(() -> {
      deleteIfExists(partial);
      deleteIfExists(faststart);
      System.err.println(System.lineSeparator() + "livemux: interrupted: " + output + " was not written"
          + " (a file already there is kept)");
    }, "livemux-remux-interrupted");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    boolean done = false;
    try {
      writer.start(tracks);
      long n = 0;
      while (source.advance()) {
        // One call per sample: the JIT compiles a method called thousands of times at once, while
        // this loop, one long call, would run interpreted until an on-stack replacement.
        copier.copy(source.track(), source.sample());
        if (++n % PROGRESS_EVERY == 0) {
          progress.update(source.progress());
        }
      }
      writer.finish();
      if (faststart != null) {
        writer.writeFaststartCopy(faststart);
      }
      Files.move(faststart != null ? faststart : partial, output, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      if (fsync) {
        forceDirectory(output);
      }
      progress.update(1);
      done = true;
      return writer.result();
    } finally {
      progress.done();
      if (!done) {
        writer.cancel();
      }
      Files.deleteIfExists(partial);
      if (faststart != null) {
        Files.deleteIfExists(faststart);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting (Ctrl-C during the remux): the hook runs and reports it
      }
    }
  }

  private static void deleteIfExists(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      System.err.println("livemux: could not delete " + file + ": " + e.getMessage());
    }
  }

  /** The rename itself reaches the disk: the directory that holds the output is forced too. */
  private static void forceDirectory(Path output) throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (Files.isDirectory(dir) && !System.getProperty("os.name", "").startsWith("Windows")) {
        throw e;
      }
      // Windows cannot open a directory: the file itself was forced before the rename
    }
  }

  /** Hands samples to the writer, checking what the pipeline's door would have checked. */
  private static final class Copier {
    private final Path input;
    private final Mp4Writer writer;
    private final MediaFormat[] current;
    private final long[] lastDecodeTicks;
    private final boolean[] any;

    Copier(Path input, Mp4Writer writer, List<MediaFormat> formats) {
      this.input = input;
      this.writer = writer;
      this.current = formats.toArray(new MediaFormat[0]);
      this.lastDecodeTicks = new long[current.length];
      this.any = new boolean[current.length];
    }

    void copy(int t, Sample sample) throws IOException {
      if (any[t] && sample.decodeTimeTicks() < lastDecodeTicks[t]) {
        throw new LivemuxException(input + ": cannot remux: track " + t + " ("
            + current[t].mimeType() + "): decode time went backwards: " + sample.decodeTimeTicks()
            + "/" + sample.timescale() + " after " + lastDecodeTicks[t] + "/" + sample.timescale()
            + " (`livemux inspect " + input + "` lists the timestamp problems)");
      }
      any[t] = true;
      lastDecodeTicks[t] = sample.decodeTimeTicks(); // one source: one timescale per track
      if (sample.format() != current[t] && !sample.format().equals(current[t])) {
        writer.formatChanged(t, sample.format());
        current[t] = sample.format();
      }
      writer.write(t, sample);
    }
  }

  /** Where the output is written first, beside it, before it is renamed to its name. */
  static Path partialPath(Path output) {
    return partialPath(output, "part");
  }

  static Path partialPath(Path output, String what) {
    Path name = output.getFileName();
    return output.resolveSibling("." + name + ".livemux-" + what);
  }

  /** Replacing the input while reading it would destroy it: refuse. */
  static void checkDistinct(Path input, Path output) throws IOException {
    if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())
        || (Files.exists(output) && Files.isSameFile(input, output))) {
      throw new LivemuxException("the output " + output + " is the input file; choose another name");
    }
    if (Files.isDirectory(output)) {
      throw new LivemuxException("the output " + output + " is a directory");
    }
  }
}
