package io.livemux.mp4;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Small real files for properties and fuzzing, made once per test JVM: an ffmpeg progressive file
 * (H.264 with B-frames + AAC, 1 s, 64x64), our finalized and fragmented recordings of it, and an
 * ffmpeg QuickTime file of raw PCM (one 2-byte sample per frame).
 */
final class SmallRecordings {
  private SmallRecordings() {}

  static final Path DIR;
  static final Path FFMPEG;
  static final Path FINALIZED;
  static final Path FRAGMENTED;
  static final Path PCM;
  static final List<SourceMedia.SourceTrack> SOURCE;

  static {
    try {
      DIR = Files.createTempDirectory("livemux-small-");
      DIR.toFile().deleteOnExit();
      FFMPEG = DIR.resolve("ffmpeg.mp4");
      Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64:rate=15",
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000", "-t", "1.2",
          "-c:v", "libx264", "-bf", "2", "-g", "3", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-ac", "1", "-b:a", "16k", FFMPEG.toString());
      SOURCE = SourceMedia.read(FFMPEG);
      FINALIZED = DIR.resolve("finalized.mp4");
      Mp4RecorderTest.record(SOURCE, FINALIZED, Mp4Options.defaults().withFragmentDurationUs(150_000));
      FRAGMENTED = DIR.resolve("fragmented.mp4");
      Mp4RecorderTest.record(SOURCE, FRAGMENTED,
          Mp4Options.defaults().withEnding(Mp4Options.Ending.FRAGMENTED).withFragmentDurationUs(150_000));
      PCM = DIR.resolve("pcm.mov");
      Peers.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "1",
          "-c:a", "pcm_s16le", PCM.toString());
      for (Path p : List.of(FFMPEG, FINALIZED, FRAGMENTED, PCM)) {
        p.toFile().deleteOnExit();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> all() {
    return List.of(FFMPEG, FINALIZED, FRAGMENTED, PCM);
  }
}
