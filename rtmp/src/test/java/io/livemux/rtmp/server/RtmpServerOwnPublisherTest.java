package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.format.AacFormat;
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

  /**
   * An AAC track whose format carries its encoder's priming (as an MP4's edit list or livemux's
   * encoder give it) is stamped that much earlier, since RTMP has no edit list: its first real
   * sample plays with the picture it played with in the source. This holds whichever track's first
   * sample comes first (here the video's, at the same time as the audio's).
   */
  @Test
  void aacWithEncoderDelay_isStampedThatMuchEarlier_soAudioAndVideoStayInSync() throws Exception {
    Path source = dir.resolve("source.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "2",
        "-c:v", "libx264", "-bf", "0", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-f", "flv", source.toString());
    List<Sample> samples = new ArrayList<>();
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec")));
    try {
      RtmpStreamer streamer;
      WriterInput video;
      WriterInput audio;
      try (FlvReader reader = FlvReader.open(source, FlvLimits.defaults())) {
        List<Sample> read = new ArrayList<>();
        for (Sample s = reader.next(); s != null; s = reader.next()) {
          read.add(s);
        }
        AacFormat delayed = ((AacFormat) reader.audioFormat()).withEncoderDelaySamples(1024);
        for (Sample s : read) {
          if (s.format() instanceof VideoFormat) {
            samples.add(s);
            continue;
          }
          Sample.Builder b = Sample.builder(delayed).timescale(s.timescale())
              .decodeTimeTicks(s.decodeTimeTicks()).presentationTimeTicks(s.presentationTimeTicks())
              .flags(s.flags()).payload(s.payload());
          samples.add((s.hasDuration() ? b.durationTicks(s.durationTicks()) : b).build());
        }
        // the video's first sample first, at the audio's time
        samples.sort(java.util.Comparator.comparingLong((Sample s) -> s.decodeTimeTicks() * 1000 / s.timescale())
            .thenComparing(s -> s.format() instanceof VideoFormat ? 0 : 1));
        assertEquals(0, samples.get(0).decodeTimeTicks());
        streamer = RtmpStreamer.create(RtmpPublisherOptions.forUrl(Recordings.url(server, "live/primed")));
        video = streamer.addTrack(reader.videoFormat());
        audio = streamer.addTrack(delayed);
      }
      streamer.start();
      for (Sample s : samples) {
        assertEquals(AppendResult.ACCEPTED, (s.format() instanceof VideoFormat ? video : audio).append(s));
      }
      PublishResult published = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(samples.size(), published.lane().written(), published.toString());
      Recording r = recordings.next(20);
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
      double sourceLead = startSeconds(source, "v") - startSeconds(source, "a");
      double recordedLead = startSeconds(r.mp4(), "v") - startSeconds(r.mp4(), "a");
      assertEquals(sourceLead + 1024 / 48000.0, recordedLead, 0.0015,
          "the priming frame starts 1024 samples before the audio's time, the rest keeps its place");
    } finally {
      server.stop();
    }
  }

  private static double startSeconds(Path file, String stream) throws java.io.IOException {
    return Double.parseDouble(Peers.ffprobeStream(file, stream).get("start_time"));
  }

  /**
   * H.265 travels in enhanced RTMP (FourCC hvc1), as OBS 30 sends it; ffmpeg 5 cannot. The MP4's
   * B-frame delay gives negative decode times, which RTMP cannot carry: the samples are moved 1 s
   * later.
   */
  @Test
  void ownPublisher_hevcInEnhancedRtmp_recordsFrameIdenticalMp4() throws Exception {
    Path source = dir.resolve("hevc.mp4");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "2",
        "-c:v", "libx265", "-x265-params", "log-level=error:keyint=25", "-tag:v", "hvc1",
        "-pix_fmt", "yuv420p", "-c:a", "aac", source.toString());
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec")));
    try (io.livemux.mp4.Mp4Reader reader = io.livemux.mp4.Mp4Reader.open(source)) {
      RtmpStreamer streamer =
          RtmpStreamer.create(RtmpPublisherOptions.forUrl(Recordings.url(server, "live/hevc")));
      WriterInput[] inputs = new WriterInput[reader.trackCount()];
      for (int t = 0; t < inputs.length; t++) {
        inputs[t] = streamer.addTrack(reader.format(t));
      }
      streamer.start();
      int count = 0;
      while (reader.advance()) {
        assertEquals(AppendResult.ACCEPTED, inputs[reader.track()].append(oneSecondLater(reader.sample())));
        count++;
      }
      PublishResult published = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(count, published.lane().written(), published.toString());
      Recording r = recordings.next(20);
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
      assertEquals("hevc", Peers.ffprobeStream(r.mp4(), "v:0").get("codec_name"));
      RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 0);
      // RTMP has no edit list: the AAC priming frame the source's edit list hides is kept.
      assertEquals(framesIgnoringEditList(source, "0:a"), Recordings.decodedFrames(r.mp4(), "0:a"));
    } finally {
      server.stop();
    }
  }

  private static List<String> framesIgnoringEditList(Path file, String map) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Peers.ffmpeg("-ignore_editlist", "1", "-i", file.toString(), "-map", map,
        "-f", "framemd5", "-").stdout.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        String[] f = line.split(",");
        out.add(f[4].trim() + " " + f[5].trim());
      }
    }
    return out;
  }

  private static Sample oneSecondLater(Sample s) {
    return s.shiftedBy(s.timescale());
  }
}
