package io.livemux.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.format.VideoFormat;
import io.livemux.mp4.Mp4Options;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvReader;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.rtmp.testing.Pacer;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream and record at once, against nginx-rtmp: both outputs are frame-identical to the source,
 * and when the network dies or stalls the recording still gets every sample.
 */
class LiveSessionTest {
  @TempDir static Path dir;
  static Path source;
  static List<Sample> samples = new ArrayList<>();
  static MediaFormat video;
  static MediaFormat audio;

  @BeforeAll
  static void ffmpegMakesTheSource() throws Exception {
    source = dir.resolve("source.flv");
    Peers.ffmpeg(
        "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "4", "-c:v", "libx264",
        "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-f", "flv",
        source.toString());
    try (FlvReader reader = FlvReader.open(source, FlvLimits.defaults())) {
      for (Sample s = reader.next(); s != null; s = reader.next()) {
        samples.add(s);
      }
      video = reader.videoFormat();
      audio = reader.audioFormat();
    }
  }

  /** Appends in file order, paced to the media clock when {@code pacer} is given; returns NOT_READY waits. */
  private static void feed(WriterInput v, WriterInput a, Pacer pacer, Runnable atThird)
      throws InterruptedException {
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (pacer != null) {
        pacer.await(s.decodeTimeTicks() * 1_000_000 / s.timescale());
      }
      if (i == samples.size() / 3 && atThird != null) {
        atThird.run();
      }
      WriterInput input = s.format() instanceof VideoFormat ? v : a;
      while (input.append(s) == AppendResult.NOT_READY) {
        assertTrue(input.awaitReady(10, TimeUnit.SECONDS), "the recording stopped taking samples");
      }
    }
    v.markAsFinished();
    a.markAsFinished();
  }

  /**
   * (pts, size, md5) of each decoded video frame; (size, md5) of each audio frame: FLV gives audio
   * times in whole milliseconds, which ffmpeg turns into sample counts differently for FLV and MP4
   * inputs, so for audio the decoded samples themselves are what must be identical.
   */
  private static List<String> frames(Path file, String map) throws Exception {
    return Peers.decodedFrames(file, map, !map.endsWith("a"));
  }

  @Test
  void streamAndRecord_bothOutputsHaveTheSourceFrames() throws Exception {
    Path mp4 = dir.resolve("both.mp4");
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-both"))) {
      LiveSession session = LiveSession.builder()
          .publishTo(RtmpPublisherOptions.forUrl(nginx.url("both")))
          .recordTo(mp4, Mp4Options.defaults())
          .build();
      WriterInput v = session.addTrack(video);
      WriterInput a = session.addTrack(audio);
      session.start();
      session.published().get(20, TimeUnit.SECONDS); // connected: the finish bound is for sending
      feed(v, a, null, null);
      LiveResult result = session.finish().get(10, TimeUnit.SECONDS);
      assertTrue(result.isRecordingComplete(), result.toString());
      assertTrue(result.isStreamComplete(), result.toString());
      assertEquals(samples.size(), result.recording().sampleCount(), result.toString());
      assertEquals(0, result.streamLane().dropped(), result.toString());
      nginx.close();
      for (String map : new String[] {"0:v", "0:a"}) {
        List<String> expected = frames(source, map);
        assertEquals(expected, frames(mp4, map), "the MP4 recording, " + map);
        assertEquals(expected, frames(nginx.recording("both"), map), "nginx's recording, " + map);
      }
    }
  }

  @Test
  void serverKilledMidStream_theRecordingStillGetsEverySample() throws Exception {
    Path mp4 = dir.resolve("killed.mp4");
    NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-killed"));
    try {
      LiveSession session = LiveSession.builder()
          .publishTo(RtmpPublisherOptions.forUrl(nginx.url("killed")))
          .recordTo(mp4, Mp4Options.defaults())
          .build();
      WriterInput v = session.addTrack(video);
      WriterInput a = session.addTrack(audio);
      session.start();
      session.published().get(10, TimeUnit.SECONDS);
      feed(v, a, new Pacer(0), () -> {
        try {
          nginx.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      });
      LiveResult result = session.finish().get(10, TimeUnit.SECONDS);
      assertTrue(result.isRecordingComplete(), result.toString());
      assertFalse(result.isStreamComplete(), "the stream failed: " + result);
      assertTrue(result.streamLane().failure() instanceof RtmpException, result.toString());
      assertEquals(frames(source, "0:v"), frames(mp4, "0:v"));
      assertEquals(frames(source, "0:a"), frames(mp4, "0:a"));
    } finally {
      nginx.close();
    }
  }

  @Test
  void serverThatStopsReading_neverHoldsTheRecordingBack_andFinishIsBounded() throws Exception {
    Path mp4 = dir.resolve("stalled.mp4");
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx-stalled"))) {
      LiveSession session = LiveSession.builder()
          .publishTo(RtmpPublisherOptions.forUrl(nginx.url("stalled")),
              io.livemux.pipeline.SinkOptions.realTime().withMaxQueuedSamples(16))
          .recordTo(mp4, Mp4Options.defaults())
          .build();
      WriterInput v = session.addTrack(video);
      WriterInput a = session.addTrack(audio);
      session.start();
      session.published().get(10, TimeUnit.SECONDS);
      nginx.signal("STOP");
      feed(v, a, null, null);
      long start = System.nanoTime();
      LiveResult result = session.finish().get(10, TimeUnit.SECONDS);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms < 4000, "finish took " + ms + " ms; the bound is 2 s");
      assertTrue(result.isRecordingComplete(), result.toString());
      assertEquals(frames(source, "0:v"), frames(mp4, "0:v"));
      assertEquals(frames(source, "0:a"), frames(mp4, "0:a"));
      nginx.signal("CONT");
    }
  }

  @Test
  void pcmWhilePublishing_isRefused_butARecordingOnlySessionTakesIt() throws Exception {
    LiveSession both = LiveSession.builder()
        .publishTo(RtmpPublisherOptions.forUrl("rtmp://127.0.0.1/live/k"))
        .recordTo(dir.resolve("pcm-both.mp4"), Mp4Options.defaults())
        .build();
    RtmpException e = assertThrows(RtmpException.class, () -> both.addTrack(PcmFormat.s16le(48_000, 2)));
    assertTrue(e.getMessage().contains("RTMP carries AAC audio, not PCM"), e.getMessage());
    LiveSession recordOnly =
        LiveSession.builder().recordTo(dir.resolve("pcm.mp4"), Mp4Options.defaults()).build();
    recordOnly.addTrack(PcmFormat.s16le(48_000, 2));
    IllegalStateException none = assertThrows(IllegalStateException.class, () -> LiveSession.builder().build());
    assertTrue(none.getMessage().contains("publishTo, recordTo, or both"));
  }
}
