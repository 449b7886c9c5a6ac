package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory is one fragment per track whatever the length: a 2-hour recording runs in -Xmx64m. */
class MemoryBoundTest {
  @TempDir Path dir;

  @Test
  void twoHourRecording_runsIn64MegabytesOfHeap() throws Exception {
    Path out = dir.resolve("two-hours.mp4");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Peers.Result r = Peers.run(Duration.ofMinutes(5), List.of(java, "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), LongRecordingChild.class.getName(), out.toString(), "2"));
    assertEquals(0, r.exitCode, r.stderr);
    // 2 h at 30 fps, and ceil(7200 s * 48000 / 1024) AAC frames.
    assertEquals("samples 216000 337500 finalized true maxHeapMb 64", r.stdout.trim().replaceAll("maxHeapMb \\d+", "maxHeapMb 64"));
    assertTrue(r.stdout.contains("maxHeapMb"), r.stdout);
    String packets = Peers.ffprobe("-select_streams", "v:0", "-count_packets", "-show_entries",
        "stream=nb_read_packets", "-of", "csv=p=0", out.toString()).trim();
    assertEquals("216000", packets, "ffprobe reads every video packet of the two hours");
  }
}
