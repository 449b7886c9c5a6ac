package io.livemux.mp4;

import io.livemux.format.MediaFormat;
import io.livemux.pipeline.DropReason;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.SinkStats;
import io.livemux.pipeline.WriterInput;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Records tracks to an MP4 file that is playable at every moment and finalized in place:
 * a {@link Pipeline} whose one lossless sink is an {@link Mp4Writer}.
 *
 * <pre>{@code
 * Mp4Recorder recorder = Mp4Recorder.create(Path.of("out.mp4"), Mp4Options.defaults());
 * WriterInput video = recorder.addTrack(h264Format, false);
 * WriterInput audio = recorder.addTrack(aacFormat, false);
 * recorder.start();
 * ... video.append(sample) ...
 * Mp4Result result = recorder.finish().get();   // within Mp4Options.finishTimeout()
 * }</pre>
 *
 * <p>{@link #finish()} always completes within {@link Mp4Options#finishTimeout()} of its call,
 * whatever producers or the disk do: if the writer cannot finish in time it is cancelled and the
 * file keeps every fragment completed so far. A sink failure (disk full) completes the future
 * exceptionally with an {@link Mp4Exception} naming the cause; what was written stays playable.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; see {@link WriterInput} for
 * appending.
 */
public final class Mp4Recorder {
  private final Mp4Writer writer;
  private final Pipeline pipeline;
  private final Mp4Options options;
  private final CompletableFuture<java.nio.file.Path> faststart = new CompletableFuture<>();

  private Mp4Recorder(Path path, Mp4Options options, FileOutput.Opener opener) {
    this.writer = new Mp4Writer(path, options, opener);
    this.options = options;
    this.pipeline =
        Pipeline.builder()
            .addSink(writer, SinkOptions.lossless().withName("mp4 " + path.getFileName()))
            .finishTimeout(options.finishTimeout())
            .build();
  }

  /** A recorder of {@code path}; the file is created (or truncated) by {@link #start()}. */
  public static Mp4Recorder create(Path path, Mp4Options options) {
    if (path == null || options == null) {
      throw new NullPointerException(path == null ? "path" : "options");
    }
    return new Mp4Recorder(path, options, FileOutput::openFile);
  }

  /** For tests: the file's bytes go through {@code opener}'s output (a stalling disk, say). */
  static Mp4Recorder create(Path path, Mp4Options options, FileOutput.Opener opener) {
    return new Mp4Recorder(path, options, opener);
  }

  /**
   * Adds a track (H.264, H.265, AAC or PCM s16le) before {@link #start()}. {@code realTime}: the producer
   * cannot wait; if the disk falls behind, samples are dropped by policy and counted.
   */
  public WriterInput addTrack(MediaFormat format, boolean realTime) throws Mp4Exception {
    Mp4Writer.checkSupported(format);
    return pipeline.addInput(format, realTime);
  }

  /** Starts recording. */
  public void start() {
    pipeline.start();
  }

  /** Finishes the file; see the class comment for the bound and the failure rule. */
  public CompletableFuture<Mp4Result> finish() {
    CompletableFuture<Mp4Result> out = new CompletableFuture<>();
    pipeline.finish().whenComplete((pipelineResult, error) -> {
      if (error != null) {
        out.completeExceptionally(error);
        return;
      }
      SinkStats stats = pipelineResult.sink(0);
      if (stats.outcome() == SinkOutcome.FAILED) {
        Throwable cause = stats.failure();
        out.completeExceptionally(
            cause instanceof Mp4Exception ? cause : new Mp4Exception("recording failed: " + cause, cause));
        return;
      }
      Mp4Result result = combine(pipelineResult);
      out.complete(result);
      startFaststartCopy(result);
    });
    return out;
  }

  private void startFaststartCopy(Mp4Result result) {
    java.nio.file.Path target = options.faststartCopy();
    if (target == null) {
      faststart.completeExceptionally(new Mp4Exception("no faststart copy was asked for"));
      return;
    }
    if (!result.isFinalized()) {
      faststart.completeExceptionally(
          new Mp4Exception("no faststart copy: " + result.path() + " was not finalized"));
      return;
    }
    Thread copier = new Thread(() -> {
      try {
        writer.writeFaststartCopy(target);
        faststart.complete(target);
      } catch (java.io.IOException | RuntimeException e) {
        faststart.completeExceptionally(e);
      }
    }, "livemux-faststart");
    copier.setDaemon(true);
    copier.start();
  }

  /**
   * Completes with the faststart copy's path once it is written (after {@link #finish()} has
   * finalized the recording), or exceptionally if none was asked for or it failed.
   */
  public CompletableFuture<java.nio.file.Path> faststartCopy() {
    return faststart;
  }

  /** Stops at once; the file keeps every completed fragment. */
  public Mp4Result cancel() {
    return combine(pipeline.cancel());
  }

  /** Figures as of the last written fragment, from any thread; empty before the first. */
  public Mp4Result progress() {
    return writer.result();
  }

  /**
   * Every sample offered to the writer ends in exactly one place: in the file, rejected after
   * finish began, timed before the start, or dropped (by policy, a timeout, or in a fragment that
   * was never completed): {@code offered = inFile + rejected + beforeStart + dropped}.
   */
  private Mp4Result combine(PipelineResult pipelineResult) {
    SinkStats stats = pipelineResult.sink(0);
    Mp4Result written = writer.result();
    long inputRejected = 0;
    for (int i = 0; i < pipeline.inputs().size(); i++) {
      inputRejected += pipelineResult.rejected(i);
    }
    long refusedAtFinish = stats.dropped(DropReason.FINISHED);
    long beforeStart = written.samplesBeforeStart();
    long inFile = written.sampleCount();
    long dropped = stats.offered() - refusedAtFinish - beforeStart - inFile;
    return written.withCounts(inputRejected + refusedAtFinish, dropped);
  }
}
