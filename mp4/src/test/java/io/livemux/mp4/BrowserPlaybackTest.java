package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.H264Format;
import io.livemux.format.AacFormat;
import io.livemux.testing.Browser;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chromium plays what we write: {@code <video>} for finished files, MSE for fragmented ones. */
class BrowserPlaybackTest {
  @TempDir Path dir;

  @Test
  void chromium_playsFinalizedFiles_andFragmentedFilesThroughMse() throws Exception {
    Path source = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3",
        "-c:v", "libx264", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2",
        source.toString());
    List<SourceMedia.SourceTrack> tracks = SourceMedia.read(source);
    Path finalized = dir.resolve("finalized.mp4");
    Mp4RecorderTest.record(tracks, finalized, Mp4Options.defaults());
    Path fragmented = dir.resolve("fragmented.mp4");
    Mp4RecorderTest.record(tracks, fragmented,
        Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(500_000));

    String element = Browser.playElement(finalized).get(0);
    assertTrue(element.contains("\"ok\":true") && element.contains("\"width\":320"), element);

    String mime = "video/mp4; codecs=\"" + ((H264Format) tracks.get(0).format).codecString() + ", "
        + ((AacFormat) tracks.get(1).format).codecString() + "\"";
    String mse = Browser.playMse(mime, fragmented).get(0);
    assertTrue(mse.contains("\"ok\":true"), mse);
    // The whole recording is buffered as one range from (about) zero.
    assertTrue(mse.matches(".*\"ranges\":\\[\\[0(\\.0\\d*)?,(2\\.9|3)[0-9.]*\\]\\].*"), mse);
  }
}
