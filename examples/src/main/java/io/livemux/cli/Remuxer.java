package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Recorder;
import io.livemux.mp4.Mp4Writer;
import io.livemux.mp4.Mp4Result;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Copies every sample of a {@link MediaSource} into an MP4 through an {@link Mp4Recorder}, without
 * decoding: the recorder's writer thread writes while this thread reads, and the lossless sink's
 * backpressure bounds the memory in between.
 *
 * <p>On failure the partial output is deleted: it is derived data, and a half-written file under
 * the name the user asked for would be mistaken for the result. One thread per call.
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

  /** Bound on the final flush and moov write: large files on slow disks, not a live stream. */
  private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(10);
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
   * it the output is left in the operating system's cache, as cp and ffmpeg leave theirs. Payloads
   * the source keeps stable ({@link MediaSource#payloadsStable()}) are written without a copy.
   */
  static Mp4Result remux(
      MediaSource source, Path input, Path output, Layout layout, boolean fsync, Progress progress)
      throws IOException {
    checkDistinct(input, output);
    for (int t = 0; t < source.formats().size(); t++) {
      try {
        Mp4Writer.checkSupported(source.formats().get(t));
      } catch (IOException e) {
        throw MediaSource.unsupported(input, source.formats().get(t));
      }
    }
    Path target = layout == Layout.FASTSTART ? partialPath(output) : output;
    Mp4Options options = Mp4Options.defaults()
        .withFinishTimeout(FINISH_TIMEOUT)
        .withFsyncAtFinish(fsync)
        .withPayloadCopy(!source.payloadsStable());
    if (layout == Layout.FRAGMENTED) {
      options = options.withEnding(Mp4Options.Ending.FRAGMENTED);
    } else if (layout == Layout.FASTSTART) {
      options = options.withFaststartCopy(output);
    }
    Mp4Recorder recorder = Mp4Recorder.create(target, options);
    List<WriterInput> inputs = new ArrayList<>();
    for (int t = 0; t < source.formats().size(); t++) {
      inputs.add(recorder.addTrack(source.formats().get(t), /* realTime= */ false));
    }
    boolean done = false;
    recorder.start();
    try {
      long n = 0;
      while (source.advance()) {
        if (!append(inputs.get(source.track()), source.sample())) {
          break; // the writer failed; finish() says why
        }
        if (++n % PROGRESS_EVERY == 0) {
          progress.update(source.progress());
        }
      }
      for (WriterInput in : inputs) {
        in.markAsFinished();
      }
      Mp4Result result = await(recorder.finish(), "finishing " + target);
      if (layout == Layout.FASTSTART) {
        await(recorder.faststartCopy(), "writing the faststart copy " + output);
      }
      progress.update(1);
      done = true;
      return result;
    } catch (IllegalArgumentException e) {
      // The pipeline's door check: the input's timestamps break a rule (decode time going back).
      throw new LivemuxException(input + ": cannot remux: " + e.getMessage()
          + " (`livemux inspect " + input + "` lists the timestamp problems)", e);
    } finally {
      progress.done();
      if (!done) {
        recorder.cancel();
        Files.deleteIfExists(output);
      }
      if (target != output) {
        Files.deleteIfExists(target);
      }
    }
  }

  private static boolean append(WriterInput input, Sample sample) throws IOException {
    try {
      AppendResult r;
      while ((r = input.append(sample)) == AppendResult.NOT_READY) {
        input.awaitReady(1, TimeUnit.SECONDS);
      }
      return r == AppendResult.ACCEPTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LivemuxException("interrupted", e);
    }
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> future, String what) throws IOException {
    try {
      return future.get(FINISH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new LivemuxException(what + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LivemuxException(what + " was interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new LivemuxException(what + " did not complete within " + FINISH_TIMEOUT, e);
    }
  }

  /** The faststart layout is copied from a finalized file written next to the output first. */
  static Path partialPath(Path output) {
    Path name = output.getFileName();
    return output.resolveSibling("." + name + ".livemux-part");
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
