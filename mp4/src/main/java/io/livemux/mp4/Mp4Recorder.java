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

  private Mp4Recorder(Path path, Mp4Options options) {
    this.writer = new Mp4Writer(path, options);
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
    return new Mp4Recorder(path, options);
  }

  /**
   * Adds a track (H.264, H.265 or AAC) before {@link #start()}. {@code realTime}: the producer
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
      out.complete(combine(pipelineResult));
    });
    return out;
  }

  /** Stops at once; the file keeps every completed fragment. */
  public Mp4Result cancel() {
    return combine(pipeline.cancel());
  }

  /** Figures as of the last written fragment, from any thread; null before start. */
  public Mp4Result progress() {
    return writer.result();
  }

  private Mp4Result combine(PipelineResult pipelineResult) {
    SinkStats stats = pipelineResult.sink(0);
    long rejected = stats.dropped(DropReason.FINISHED);
    for (int i = 0; i < pipeline.inputs().size(); i++) {
      rejected += pipelineResult.rejected(i);
    }
    long dropped = stats.dropped() - stats.dropped(DropReason.FINISHED);
    Mp4Result written = writer.result();
    if (written == null) {
      written = writer.unstartedResult(); // cancelled before the sink's worker started it
    }
    return written.withPipelineCounts(rejected, dropped);
  }
}
