package io.livemux.rtmp.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.DropReason;
import io.livemux.pipeline.SinkStats;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.pipeline.SinkOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our publisher against a real nginx-rtmp: what nginx records is what we sent, frame for frame. */
class RtmpPublisherNginxTest {
  @TempDir static Path dir;
  static SourceStream source;

  @BeforeAll
  static void ffmpegMakesTheSource() throws Exception {
    source = SourceStream.make(dir, "source", 4);
  }

  @Test
  void publish_toNginx_recordsTheSameFrames_videoAndAudio() throws Exception {
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-identical"))) {
      RtmpStreamer streamer = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.url("cam1")));
      WriterInput video = streamer.addTrack(source.video);
      WriterInput audio = streamer.addTrack(source.audio);
      streamer.start();
      streamer.published().get(20, TimeUnit.SECONDS); // connected: the finish bound is for sending
      int[] counts = source.appendAll(video, audio);
      PublishResult result = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(source.samples.size(), counts[AppendResult.ACCEPTED.ordinal()], "every sample queued");
      SinkStats lane = result.lane();
      assertEquals(source.samples.size(), lane.written(), lane.toString());
      assertEquals(0, lane.dropped(), lane.toString());
      assertTrue(result.publish().bytesSent() > 0, result.toString());
      assertEquals(source.samples.stream().filter(s -> s.format() instanceof io.livemux.format.VideoFormat).count(),
          result.publish().videoFramesSent(), result.toString());
      assertTrue(result.publish().roundTripMs() >= 0, "nginx answered our ping: " + result);
      nginx.close(); // nginx closes its recording
      Path recording = nginx.recording("cam1");
      assertEquals(SourceStream.frames(source.file, "0:v"), SourceStream.frames(recording, "0:v"), nginx.log());
      assertEquals(SourceStream.frames(source.file, "0:a"), SourceStream.frames(recording, "0:a"));
    }
  }

  @Test
  void secondPublisher_onALiveName_isRefusedWithBadName() throws Exception {
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-busy"))) {
      RtmpStreamer first = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.url("busy")));
      first.addTrack(source.video);
      first.start();
      first.published().get(10, TimeUnit.SECONDS); // nginx holds the name from publish on

      RtmpStreamer second = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.url("busy")));
      second.addTrack(source.video);
      second.start();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> second.published().get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("NetStream.Publish.BadName"), e.getCause().getMessage());
      ExecutionException finished =
          assertThrows(ExecutionException.class, () -> second.finish().get(10, TimeUnit.SECONDS));
      assertTrue(finished.getCause().getMessage().contains("NetStream.Publish.BadName"));
      first.finish().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void nginxThatStopsReading_makesThePublisherDropByPolicy_neverBlockingTheCaller() throws Exception {
    // 20 MB of video, far more than the loopback socket buffers hold
    SourceStream big = SourceStream.make(dir, "big", 40, "4M");
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-stalled"))) {
      RtmpStreamer streamer =
          RtmpStreamer.create(
              RtmpPublisherOptions.forUrl(nginx.url("stalled")),
              SinkOptions.realTime().withMaxQueuedSamples(64),
              Duration.ofSeconds(2));
      WriterInput video = streamer.addTrack(big.video);
      WriterInput audio = streamer.addTrack(big.audio);
      streamer.start();
      streamer.published().get(10, TimeUnit.SECONDS);
      nginx.signal("STOP"); // nginx stops reading, as a congested link would
      long before = System.nanoTime();
      int[] counts = big.appendAll(video, audio);
      long appendMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      assertEquals(0, counts[AppendResult.NOT_READY.ordinal()], "a real-time input never says wait");
      assertTrue(counts[AppendResult.DROPPED.ordinal()] + counts[AppendResult.ACCEPTED_WITH_DROPS.ordinal()] > 0,
          "congestion dropped samples");
      long finishStart = System.nanoTime();
      try {
        streamer.finish().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // the finish bound cancels the stalled connection: the lane still counts every sample
      }
      long finishMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - finishStart);
      assertTrue(finishMs < 4000, "finish took " + finishMs + " ms, its bound is 2 s");
      SinkStats lane = streamer.laneStats();
      assertEquals(big.samples.size(), lane.offered(), lane.toString());
      assertEquals(lane.offered(), lane.written() + lane.dropped(),
          "every sample written or counted as dropped: " + lane);
      assertTrue(lane.dropped(DropReason.DISPOSABLE) + lane.dropped(DropReason.UNTIL_KEYFRAME) > 0,
          lane.toString());
      assertTrue(lane.written() < lane.offered(), lane.toString());
      assertTrue(appendMs < 5000, "appending " + lane.offered() + " samples took " + appendMs + " ms");
      nginx.signal("CONT");
    }
  }

  @Test
  void mp4SourceWithNegativeDecodeTimes_isShiftedToStartAtZero_andNginxRecordsItsFrames()
      throws Exception {
    Path mp4 = dir.resolve("bframes.mp4");
    io.livemux.testing.Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=25", "-t", "2", "-c:v", "libx264", "-bf", "2", "-g", "25",
        "-pix_fmt", "yuv420p", mp4.toString());
    java.util.List<io.livemux.sample.Sample> samples = new java.util.ArrayList<>();
    io.livemux.format.MediaFormat format;
    try (io.livemux.mp4.Mp4Reader reader = io.livemux.mp4.Mp4Reader.open(mp4)) {
      format = reader.format(0);
      while (reader.advance()) {
        samples.add(reader.sample());
      }
    }
    assertTrue(samples.get(0).decodeTimeTicks() < 0, "B-frames and an edit list: " + samples.get(0));
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-negative"))) {
      RtmpStreamer streamer = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.url("neg")));
      WriterInput video = streamer.addTrack(format);
      streamer.start();
      streamer.published().get(20, TimeUnit.SECONDS); // connected: the finish bound is for sending
      for (io.livemux.sample.Sample s : samples) {
        assertEquals(AppendResult.ACCEPTED, video.append(s));
      }
      video.markAsFinished();
      PublishResult result = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(samples.size(), result.publish().videoFramesSent(), result.toString());
      nginx.close();
      assertEquals(sizesAndHashes(mp4), sizesAndHashes(nginx.recording("neg")));
    }
  }

  private static java.util.List<String> sizesAndHashes(Path file) throws Exception {
    return io.livemux.testing.Peers.decodedFrames(file, "0:v", false);
  }
}
