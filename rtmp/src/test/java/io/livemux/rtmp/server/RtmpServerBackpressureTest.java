package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.SinkOutcome;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording lane too small for the frames (64 KiB against 720p keyframes at 8 Mbit/s) fills at
 * every large frame: the server stops reading that publisher until the lane has room (TCP slows
 * ffmpeg down) and still records every frame, none dropped.
 */
class RtmpServerBackpressureTest {
  @TempDir Path dir;

  @Test
  void fullRecordingLane_pausesReadingThePublisher_andLosesNothing() throws Exception {
    Path source = dir.resolve("big.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "4",
        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-bf", "2", "-g", "25",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "flv", source.toString());
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec"))
        .withFlv(true)
        .withMaxQueuedBytesPerRecording(64 << 10));
    try {
      Recordings.publish(source, Recordings.url(server, "live/big"));
      Recording r = recordings.next(30);
      assertTrue(server.pauseCount() > 0, "the publisher was paused: " + server.pauseCount());
      System.out.println("reads paused " + server.pauseCount() + " times for a full recording lane");
      for (int i = 0; i < 2; i++) {
        assertEquals(SinkOutcome.COMPLETED, r.result().sink(i).outcome(), r.toString());
        assertEquals(0, r.result().sink(i).dropped(), r.toString());
      }
      RtmpServerPeerTest.assertSameMedia(source, r.mp4(), 25, 48000);
      RtmpServerPeerTest.assertSameMedia(source, r.flv(), 25, 48000);
    } finally {
      server.stop();
    }
  }
}
