package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.format.MediaFormat;
import io.livemux.live.LiveResult;
import io.livemux.live.LiveSession;
import io.livemux.mp4.Mp4Options;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import io.livemux.sample.Sample;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code livemux publish INPUT URL [--record FILE] [--loop]}: reads an FLV or MP4 file and
 * publishes it at real-time pace, as a live source would, while recording the same samples to
 * FILE. Ctrl-C or SIGTERM ends both within the finish bound and exits 0.
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}; the signal handler
 * only raises a flag that thread reads.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish an FLV or MP4 file to an RTMP or RTMPS URL at real-time pace, without re-encoding,"
          + " optionally recording the same samples to an MP4."
    })
final class PublishCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "INPUT", description = "An FLV or MP4 file (H.264/H.265 + AAC).")
  Path input;

  @Parameters(index = "1", paramLabel = "URL", description = "rtmp://HOST[:PORT]/APP/KEY or rtmps://...")
  String url;

  @Option(names = "--record", paramLabel = "FILE", description = "Also record what is published to this MP4.")
  Path record;

  @Option(names = "--loop", description = "Start the input again at its end, until Ctrl-C.")
  boolean loop;

  @Spec CommandSpec spec;

  private final CountDownLatch stop = new CountDownLatch(1);

  /** How long the server may take to accept the stream. */
  private static final int PUBLISH_TIMEOUT_S = 30;

  @Override
  public Integer call() throws Exception {
    RtmpPublisherOptions rtmp;
    try {
      rtmp = RtmpPublisherOptions.forUrl(url);
    } catch (IllegalArgumentException e) {
      throw Livemux.usage(spec, e.getMessage()); // a malformed URL is a usage error, named
    }
    Livemux.checkNotEmpty(spec, "INPUT", input);
    Livemux.checkNotEmpty(spec, "--record", record);
    Container.of(input); // names a missing or unreadable input before anything starts
    if (record != null) {
      Livemux.checkOutput(input, record); // before the session creates (or truncates) it
    }
    PrintWriter out = spec.commandLine().getOut();
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    LiveSession.Builder builder = LiveSession.builder().publishTo(rtmp);
    if (record != null) {
      builder.recordTo(record, Mp4Options.defaults());
    }
    LiveSession session = builder.build();
    List<WriterInput> inputs = new ArrayList<>();
    try (MediaSource first = MediaSource.open(input)) {
      for (MediaFormat format : first.formats()) {
        inputs.add(session.addTrack(format));
      }
    }
    session.start();
    awaitPublished(session, rtmp);
    out.println("publishing " + input + " to " + rtmp.url() + (record == null ? "" : ", recording to " + record));
    out.flush();

    long startNanos = System.nanoTime();
    LoopTimeline timeline = new LoopTimeline(inputs.size()); // where each pass goes with --loop
    long firstUs = Long.MIN_VALUE;
    boolean stopped = false;
    do {
      long shiftUs = timeline.shiftUs();
      try (MediaSource source = MediaSource.open(input)) {
        while (!stopped && source.advance()) {
          Sample s = source.sample();
          long dtsUs = s.decodeTimeTicks() * 1_000_000 / s.timescale();
          if (firstUs == Long.MIN_VALUE) {
            firstUs = dtsUs;
          }
          long durationUs = s.hasDuration() ? s.durationTicks() * 1_000_000 / s.timescale() : 0;
          timeline.sample(source.track(), dtsUs, durationUs);
          // real-time pace: wait for the sample's time, or for a stop signal
          long dueNanos = startNanos + (shiftUs + dtsUs - firstUs) * 1000;
          long leftNanos = dueNanos - System.nanoTime();
          if (leftNanos > 0 && stop.await(leftNanos, TimeUnit.NANOSECONDS)) {
            stopped = true;
            break;
          }
          Sample shifted = shiftUs == 0 ? s : shift(s, shiftUs);
          WriterInput in = inputs.get(source.track());
          while (in.append(shifted) == AppendResult.NOT_READY) {
            in.awaitReady(1, TimeUnit.SECONDS); // only the recording (the disk) makes us wait
          }
        }
      }
      timeline.endPass();
      stopped |= stop.getCount() == 0;
    } while (loop && !stopped);
    for (WriterInput in : inputs) {
      in.markAsFinished();
    }
    LiveResult result = session.finish().get(30, TimeUnit.SECONDS);
    out.println("published " + result.stream().videoFramesSent() + " video and "
        + result.stream().audioFramesSent() + " audio frames, " + result.streamLane().dropped()
        + " dropped" + (result.isStreamComplete() ? "" : "; the stream failed: "
        + Livemux.reason(result.streamLane().failure())));
    if (record != null) {
      out.println("recorded " + FileSummary.of(record));
    }
    return result.isStreamComplete() ? 0 : Livemux.EXIT_FAILURE;
  }

  /**
   * Waits until the server accepts the stream. If it refuses or cannot be reached, nothing has
   * been recorded yet: the session is cancelled and the empty recording it created is deleted.
   */
  private void awaitPublished(LiveSession session, RtmpPublisherOptions rtmp) throws Exception {
    try {
      session.published().get(PUBLISH_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      session.cancel();
      if (record != null) {
        Files.deleteIfExists(record);
      }
      if (e instanceof TimeoutException) {
        throw new LivemuxException("cannot publish to " + rtmp.url() + ": the server did not accept the stream within "
            + PUBLISH_TIMEOUT_S + " s");
      }
      throw e; // the cause (refused, unreachable) is what the user reads
    }
  }

  private static Sample shift(Sample s, long shiftUs) {
    return s.shiftedBy((shiftUs * s.timescale() + 999_999) / 1_000_000); // rounded up: no overlap
  }
}
