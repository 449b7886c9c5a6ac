package io.livemux.mp4;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Recovers a recording cut at any byte (a crash, {@code kill -9}, power loss) into a clean,
 * finalized MP4 holding every fragment that was published before the cut, with no reference file.
 *
 * <p>The input is read with {@link Mp4Reader} (opened read-only, never changed) and every sample is
 * recorded again, in decode order, through an {@link Mp4Recorder} into {@code output}, which is
 * finalized in place. An already finalized file gives an equivalent finalized copy.
 *
 * <p><b>Threads.</b> {@link #recover} may be called from any thread and blocks until the output is
 * finished; it holds no state between calls. The output belongs to the caller once it returns.
 */
public final class Mp4Recovery {
  /** How long the final flush and finalization of the output may take. */
  private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(5);

  private Mp4Recovery() {}

  /**
   * Writes the recoverable part of {@code input} to {@code output} (created or replaced) as a
   * finalized MP4.
   *
   * @return the output's figures: tracks, samples, bytes
   * @throws Mp4Exception if the input has no complete header ('moov'), so there is nothing to
   *     recover; if it is malformed beyond a cut; or if the output cannot be written
   * @throws IllegalArgumentException if {@code input} and {@code output} are the same file
   */
  public static Mp4Result recover(Path input, Path output) throws Mp4Exception {
    if (input == null || output == null) {
      throw new NullPointerException(input == null ? "input" : "output");
    }
    checkDistinct(input, output);
    Mp4Reader reader;
    try {
      reader = Mp4Reader.open(input);
    } catch (MovieIndex.NoMovieException e) {
      throw new Mp4Exception("nothing to recover in " + input + ": " + e.getMessage(), e);
    }
    try {
      return rerecord(reader, input, output);
    } finally {
      reader.close();
    }
  }

  private static void checkDistinct(Path input, Path output) throws Mp4Exception {
    try {
      if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())
          || (Files.exists(output) && Files.isSameFile(input, output))) {
        throw new IllegalArgumentException("recovery must write another file than its input: " + input);
      }
    } catch (IOException e) {
      throw new Mp4Exception("cannot compare " + input + " with " + output + ": " + e.getMessage(), e);
    }
  }

  private static Mp4Result rerecord(Mp4Reader reader, Path input, Path output) throws Mp4Exception {
    Mp4Recorder recorder =
        Mp4Recorder.create(output, Mp4Options.defaults().withFinishTimeout(FINISH_TIMEOUT));
    List<WriterInput> inputs = new ArrayList<>();
    for (int t = 0; t < reader.trackCount(); t++) {
      inputs.add(recorder.addTrack(reader.format(t), /* realTime= */ false));
    }
    long[] lastDecodeTicks = new long[reader.trackCount()];
    boolean[] any = new boolean[reader.trackCount()];
    recorder.start();
    boolean done = false;
    boolean refused = false;
    try {
      while (reader.advance()) {
        int t = reader.track();
        Sample sample = reader.sample();
        if (any[t] && sample.decodeTimeTicks() < lastDecodeTicks[t]) {
          throw new Mp4Exception(
              "cannot recover " + input + ": track " + (t + 1) + " decode time goes backwards from "
                  + MediaTime.of(lastDecodeTicks[t], sample.timescale()) + " to " + sample.decodeTime());
        }
        any[t] = true;
        lastDecodeTicks[t] = sample.decodeTimeTicks();
        if (!append(inputs.get(t), sample)) {
          refused = true;
          break; // the writer failed: finish() below reports why
        }
      }
      Mp4Result result = recorder.finish().get(FINISH_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (refused) {
        throw new Mp4Exception("recovery of " + input + " stopped: the writer refused a sample: " + result);
      }
      if (!result.isFinalized()) {
        throw new Mp4Exception("recovery of " + input + " into " + output + " did not finalize: " + result);
      }
      done = true;
      return result;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Mp4Exception
          ? (Mp4Exception) cause
          : new Mp4Exception("recovery of " + input + " into " + output + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Mp4Exception("recovery of " + input + " was interrupted", e);
    } catch (TimeoutException e) {
      throw new Mp4Exception("recovery of " + input + " did not finish within " + FINISH_TIMEOUT, e);
    } finally {
      if (!done) {
        recorder.cancel();
      }
    }
  }

  /** Appends, waiting while the writer is busy; false if the writer refused the sample. */
  private static boolean append(WriterInput input, Sample sample) throws InterruptedException {
    AppendResult r;
    while ((r = input.append(sample)) == AppendResult.NOT_READY) {
      input.awaitReady(1, TimeUnit.SECONDS);
    }
    // A lossless, non-real-time sink drops nothing: anything else is its failure (e.g. a full disk).
    return r == AppendResult.ACCEPTED;
  }
}
