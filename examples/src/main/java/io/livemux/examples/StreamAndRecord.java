package io.livemux.examples;

import io.livemux.format.VideoFormat;
import io.livemux.live.LiveResult;
import io.livemux.live.LiveSession;
import io.livemux.mp4.Mp4Options;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import io.livemux.sample.Sample;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams to an RTMP server and records the same broadcast to MP4 at once, encoding nothing:
 * already-encoded H.264 + AAC samples (here read from an FLV file, at real-time pace, as a camera
 * app would hand them over) go to one {@link LiveSession}. A network failure never costs the
 * recording a sample, and the file plays even if the process is killed.
 *
 * <pre>java io.livemux.examples.StreamAndRecord input.flv rtmp://host/app/key broadcast.mp4</pre>
 */
public final class StreamAndRecord {
  private StreamAndRecord() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: StreamAndRecord INPUT.flv rtmp://HOST/APP/KEY OUTPUT.mp4");
      System.exit(2);
    }
    try (FlvReader source = FlvReader.open(Path.of(args[0]), FlvLimits.defaults())) {
      Sample first = source.next(); // reading the first sample reads the sequence headers too
      LiveSession session = LiveSession.builder()
          .publishTo(RtmpPublisherOptions.forUrl(args[1]).withReconnect(5, 500, 4000))
          .recordTo(Path.of(args[2]), Mp4Options.defaults())
          .build();
      WriterInput video = source.videoFormat() == null ? null : session.addTrack(source.videoFormat());
      WriterInput audio = source.audioFormat() == null ? null : session.addTrack(source.audioFormat());
      session.start();

      long startNanos = System.nanoTime();
      for (Sample s = first; s != null; s = source.next()) {
        // a live source delivers each frame at its time
        long due = startNanos + TimeUnit.MICROSECONDS.toNanos(
            (s.decodeTimeTicks() - first.decodeTimeTicks()) * 1_000_000 / s.timescale());
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
          LockSupport.parkNanos(left);
        }
        WriterInput input = s.format() instanceof VideoFormat ? video : audio;
        while (input.append(s) == AppendResult.NOT_READY) {
          input.awaitReady(1, TimeUnit.SECONDS); // only the recording (the disk) can make us wait
        }
      }
      for (WriterInput input : new WriterInput[] {video, audio}) {
        if (input != null) {
          input.markAsFinished();
        }
      }
      LiveResult result = session.finish().get(); // both outputs, within the finish bound
      System.out.println("recorded " + result.recording().sampleCount() + " samples, "
          + result.recording().durationUs() / 1000 + " ms, to " + result.recording().path());
      System.out.println("streamed " + result.stream().videoFramesSent() + " video and "
          + result.stream().audioFramesSent() + " audio frames; dropped "
          + result.streamLane().dropped() + (result.isStreamComplete() ? "" : "; the stream failed: "
          + result.streamLane().failure()));
    }
  }
}
