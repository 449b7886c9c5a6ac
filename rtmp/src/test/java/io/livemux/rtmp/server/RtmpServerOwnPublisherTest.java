package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.format.VideoFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.rtmp.publish.PublishResult;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import io.livemux.rtmp.publish.RtmpStreamer;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** livemux's own publisher (RtmpStreamer) publishes to livemux's server: frame-identical MP4. */
class RtmpServerOwnPublisherTest {
  @TempDir Path dir;

  @Test
  void ownPublisher_toOwnServer_recordsFrameIdenticalMp4() throws Exception {
    Path source = dir.resolve("source.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-f", "flv", source.toString());
    List<Sample> samples = new ArrayList<>();
    RtmpStreamer streamer;
    WriterInput video;
    WriterInput audio;
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec")));
    try (FlvReader reader = FlvReader.open(source, FlvLimits.defaults())) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        samples.add(s);
      }
      streamer = RtmpStreamer.create(RtmpPublisherOptions.forUrl(Recordings.url(server, "live/own")));
      video = streamer.addTrack(reader.videoFormat());
      audio = streamer.addTrack(reader.audioFormat());
    }
    try {
      streamer.start();
      for (Sample s : samples) {
        AppendResult r = (s.format() instanceof VideoFormat ? video : audio).append(s);
        assertEquals(AppendResult.ACCEPTED, r, "3 s fit the real-time lane's 5 s");
      }
      PublishResult published = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(samples.size(), published.lane().written(), published.toString());
      Recording r = recordings.next(20);
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
      assertEquals(samples.size(), r.result().sink(0).written(), r.toString());
      RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 48000);
    } finally {
      server.stop();
    }
  }
}
