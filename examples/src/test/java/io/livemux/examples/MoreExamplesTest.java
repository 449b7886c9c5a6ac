package io.livemux.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.server.Recording;
import io.livemux.rtmp.server.RtmpServer;
import io.livemux.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder and ingest-server examples run, and ffmpeg reads what they wrote. */
class MoreExamplesTest {
  @TempDir Path dir;

  @Test
  void encodeFramesToMp4_writesEveryFrame_closeToWhatWasDrawn() throws Exception {
    Path out = dir.resolve("drawn.mp4");
    EncodeFramesToMp4.main(new String[] {out.toString()});
    List<String> frames = Peers.decodedFrames(out, "0:v", true);
    assertEquals(75, frames.size());
    assertEquals("0 115200", frames.get(0).substring(0, frames.get(0).lastIndexOf(' ')));
    // PSNR against the drawn frames, as ffmpeg's psnr filter measures it
    Path raw = dir.resolve("drawn.yuv");
    try (java.io.OutputStream o = Files.newOutputStream(raw)) {
      for (int f = 0; f < 75; f++) {
        o.write(EncodeFramesToMp4.draw(320, 240, f).array());
      }
    }
    Peers.Result psnr = Peers.ffmpeg("-i", out.toString(), "-f", "rawvideo", "-pix_fmt", "yuv420p",
        "-s", "320x240", "-r", "25", "-i", raw.toString(), "-lavfi", "psnr", "-f", "null", "-");
    String line = psnr.stderr.substring(psnr.stderr.lastIndexOf("PSNR"));
    double average = Double.parseDouble(line.replaceAll("(?s).*average:([0-9.]+|inf).*", "$1").replace("inf", "99"));
    assertTrue(average > 30, line);
  }

  @Test
  void ingestServer_recordsWhatFfmpegPublishes() throws Exception {
    Path source = dir.resolve("source.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-t", "2", "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", "-f", "flv", source.toString());
    CompletableFuture<Recording> recorded = new CompletableFuture<>();
    RtmpServer server = IngestServer.start(dir.resolve("rec"), 0, recorded::complete);
    try {
      Peers.ffmpeg("-loglevel", "error", "-i", source.toString(), "-c", "copy", "-f", "flv",
          "rtmp://127.0.0.1:" + server.port() + "/live/ex");
      Recording recording = recorded.get(30, TimeUnit.SECONDS); // the publisher left; the file is final
      assertEquals(dir.resolve("rec/live/ex.mp4"), recording.mp4());
      assertEquals(Peers.decodedFrames(source, "0:v", true), Peers.decodedFrames(recording.mp4(), "0:v", true));
    } finally {
      server.stop();
    }
  }
}
