package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.SinkOutcome;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg publishes real streams to our server; the MP4 the server records decodes (ffmpeg
 * framemd5, video and audio) to exactly the frames of the source, and lasts as long within a frame.
 */
class RtmpServerPeerTest {
  @TempDir Path dir;
  private final Recordings recordings = new Recordings();
  private RtmpServer server;

  @BeforeEach
  void startServer() throws Exception {
    Peers.require("ffmpeg", "ffmpeg");
    server = RtmpServer.start(recordings.options(dir.resolve("rec")).withFlv(true));
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.stop();
  }

  @Test
  void publish_x264WithBFramesAndAac48kStereo_recordsFrameIdenticalMp4() throws Exception {
    Path source = source("bframes.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "12", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k");
    Recording r = publishAndRecord(source, "live/bframes");
    assertSameMedia(source, r.mp4(), 25, 48000);
    assertSameMedia(source, r.flv(), 25, 48000);
    assertEquals("2", Peers.ffprobeStream(r.mp4(), "a:0").get("channels"));
    assertEquals("48000", Peers.ffprobeStream(r.mp4(), "a:0").get("sample_rate"));
  }

  @Test
  void publish_baselineAndAac441kMono_recordsFrameIdenticalMp4() throws Exception {
    Path source = source("baseline.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100", "-ac", "1", "-t", "3",
        "-c:v", "libx264", "-profile:v", "baseline", "-g", "30", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k");
    Recording r = publishAndRecord(source, "live/baseline");
    assertSameMedia(source, r.mp4(), 30, 44100);
    assertEquals("1", Peers.ffprobeStream(r.mp4(), "a:0").get("channels"));
    assertEquals("44100", Peers.ffprobeStream(r.mp4(), "a:0").get("sample_rate"));
    assertEquals("Constrained Baseline", Peers.ffprobeStream(r.mp4(), "v:0").get("profile"));
  }

  @Test
  void publish_videoOnly_recordsOneVideoTrack() throws Exception {
    Path source = source("video.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-t", "3", "-c:v", "libx264", "-bf", "3", "-g", "25", "-pix_fmt", "yuv420p");
    Recording r = publishAndRecord(source, "live/video");
    assertSameMedia(source, r.mp4(), 25, 0);
    assertEquals("", Peers.ffprobe("-select_streams", "a", "-show_entries", "stream=index",
        "-of", "csv=p=0", r.mp4().toString()).trim(), "no audio track");
  }

  @Test
  void publish_audioOnly_recordsOneAudioTrack() throws Exception {
    Path source = source("audio.flv", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-ac", "2", "-t", "3", "-c:a", "aac", "-b:a", "128k");
    Recording r = publishAndRecord(source, "live/audio");
    assertSameMedia(source, r.mp4(), 0, 48000);
    assertEquals("", Peers.ffprobe("-select_streams", "v", "-show_entries", "stream=index",
        "-of", "csv=p=0", r.mp4().toString()).trim(), "no video track");
  }

  @Test
  void publish_timestampsStartingAtOneHour_recordsFrameIdenticalMp4() throws Exception {
    Path source = source("hour.flv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "12", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k");
    Recording r = publishAndRecord(source, "live/hour", "-output_ts_offset", "3600");
    assertSameMedia(source, r.mp4(), 25, 48000);
  }

  @Test
  void publish_sameNameTwice_secondRecordingGetsNumberedName() throws Exception {
    Path source = source("twice.flv", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "1", "-c:a", "aac");
    Recording first = publishAndRecord(source, "live/twice");
    Recording second = publishAndRecord(source, "live/twice");
    assertEquals(dir.resolve("rec/live/twice.mp4"), first.mp4());
    assertEquals(dir.resolve("rec/live/twice-1.mp4"), second.mp4());
    assertEquals(dir.resolve("rec/live/twice-1.flv"), second.flv());
    assertEquals(Recordings.decodedFrames(first.mp4(), "0:a"), Recordings.decodedFrames(second.mp4(), "0:a"));
  }

  private Path source(String name, String... args) throws IOException {
    Path file = dir.resolve(name);
    String[] all = new String[args.length + 4];
    all[0] = "-loglevel";
    all[1] = "error";
    System.arraycopy(args, 0, all, 2, args.length);
    all[args.length + 2] = "-f";
    all[args.length + 3] = "flv";
    String[] withOut = new String[all.length + 1];
    System.arraycopy(all, 0, withOut, 0, all.length);
    withOut[all.length] = file.toString();
    Peers.ffmpeg(withOut);
    return file;
  }

  private Recording publishAndRecord(Path source, String appAndKey, String... extra) throws Exception {
    Recordings.publish(source, Recordings.url(server, appAndKey), extra);
    Recording r = recordings.next(20);
    for (int i = 0; i < r.result().sinks().size(); i++) {
      assertEquals(SinkOutcome.COMPLETED, r.result().sink(i).outcome(), r.toString());
    }
    assertTrue(Files.size(r.mp4()) > 0, "MP4 written");
    return r;
  }

  /**
   * Same decoded frames as the source, and a duration within one frame of what those frames last:
   * {@code frames / fps} for video, {@code frames * 1024 / sampleRate} for AAC (ffprobe's duration
   * of the source FLV itself counts the B-frame composition delay, so it is not the yardstick).
   */
  static void assertSameMedia(Path source, Path recorded, int fps, int sampleRate) throws IOException {
    double expectedSeconds = 0;
    double frameSeconds = 0;
    if (fps > 0) {
      List<String> expected = Recordings.decodedFrames(source, "0:v");
      assertTrue(expected.size() > 10, "source has video frames: " + expected.size());
      assertEquals(expected, Recordings.decodedFrames(recorded, "0:v"), "video frames of " + recorded);
      expectedSeconds = expected.size() / (double) fps;
      frameSeconds = 1.0 / fps;
    }
    if (sampleRate > 0) {
      List<String> expected = Recordings.decodedFrames(source, "0:a");
      assertTrue(expected.size() > 10, "source has audio frames: " + expected.size());
      assertEquals(expected, Recordings.decodedFrames(recorded, "0:a"), "audio frames of " + recorded);
      expectedSeconds = Math.max(expectedSeconds, expected.size() * 1024.0 / sampleRate);
      frameSeconds = Math.max(frameSeconds, 1024.0 / sampleRate);
    }
    double got = Recordings.duration(recorded);
    assertTrue(Math.abs(expectedSeconds - got) <= frameSeconds + 1e-3,
        "duration " + got + " s of " + recorded + " vs " + expectedSeconds
            + " s of the source's frames (one frame: " + frameSeconds + " s)");
  }
}
