package io.livemux.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example program runs, and what it writes has the source's frames (ffmpeg decodes both). */
class ExamplesTest {
  @TempDir static Path dir;
  static Path source;

  @BeforeAll
  static void ffmpegMakesAnEncodedSource() throws Exception {
    source = dir.resolve("camera.flv");
    Peers.ffmpeg("-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac",
        "-f", "flv", source.toString());
  }

  /** (pts, size, md5) per video frame; (size, md5) per audio frame (FLV audio times are whole ms). */
  static List<String> frames(Path file, String map) throws Exception {
    return Peers.decodedFrames(file, map, !map.endsWith("a"));
  }

  @Test
  void recordEncodedSamples_writesAnMp4WithTheSourceFrames() throws Exception {
    Path out = dir.resolve("recorded.mp4");
    RecordEncodedSamples.main(new String[] {source.toString(), out.toString()});
    assertEquals(frames(source, "0:v"), frames(out, "0:v"));
    assertEquals(frames(source, "0:a"), frames(out, "0:a"));
  }

  @Test
  void streamAndRecord_nginxAndTheFileBothGetTheSourceFrames() throws Exception {
    Path out = dir.resolve("broadcast.mp4");
    try (NginxRtmp nginx = NginxRtmp.start(dir.resolve("nginx"))) {
      StreamAndRecord.main(new String[] {source.toString(), nginx.url("show"), out.toString()});
      nginx.close();
      for (String map : new String[] {"0:v", "0:a"}) {
        List<String> expected = frames(source, map);
        assertTrue(!expected.isEmpty());
        assertEquals(expected, frames(out, map), "the local recording, " + map);
        assertEquals(expected, frames(nginx.recording("show"), map), "nginx's recording, " + map);
      }
    }
  }
}
