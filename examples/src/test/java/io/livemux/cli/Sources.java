package io.livemux.cli;

import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Source files made by ffmpeg: x264 with B-frames and AAC, as an FLV and as an MP4. The MP4 is
 * made via MKV and {@code -c copy}, so that it has no AAC priming edit list (as in the mp4 tests).
 * Made once per JVM, in a directory deleted at exit.
 */
final class Sources {
  private static Path dir;

  private Sources() {}

  static synchronized Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory("livemux-cli-sources");
      dir.toFile().deleteOnExit();
    }
    return dir;
  }

  /** An FLV of {@code seconds} of 320x240 25 fps H.264 (2 B-frames, GOP 12) and 44.1 kHz AAC. */
  static synchronized Path flv(int seconds) throws IOException {
    Path out = dir().resolve("source-" + seconds + "s.flv");
    if (!Files.exists(out)) {
      List<String> args = encode(seconds);
      args.addAll(List.of("-f", "flv", out.toString()));
      Peers.ffmpeg(args.toArray(new String[0]));
      out.toFile().deleteOnExit();
    }
    return out;
  }

  /** The same media in an MP4 (made through MKV, then {@code -c copy}). */
  static synchronized Path mp4(int seconds) throws IOException {
    Path out = dir().resolve("source-" + seconds + "s.mp4");
    if (!Files.exists(out)) {
      Path mkv = dir().resolve("source-" + seconds + "s.mkv");
      List<String> args = encode(seconds);
      args.add(mkv.toString());
      Peers.ffmpeg(args.toArray(new String[0]));
      Peers.ffmpeg("-loglevel", "error", "-i", mkv.toString(), "-c", "copy", out.toString());
      Files.delete(mkv);
      out.toFile().deleteOnExit();
    }
    return out;
  }

  /**
   * The same media in an MP4 written by ffmpeg directly: its AAC track's edit list hides the
   * encoder's 1024 priming samples (media_time 1024), as every MP4 from ffmpeg, Apple or Android's
   * encoders does.
   */
  static synchronized Path mp4WithPriming(int seconds) throws IOException {
    Path out = dir().resolve("source-" + seconds + "s-priming.mp4");
    if (!Files.exists(out)) {
      List<String> args = encode(seconds);
      args.add(out.toString());
      Peers.ffmpeg(args.toArray(new String[0]));
      out.toFile().deleteOnExit();
    }
    return out;
  }

  private static List<String> encode(int seconds) {
    return new ArrayList<>(List.of(
        "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=44100", "-t", String.valueOf(seconds), "-c:v", "libx264",
        "-bf", "2", "-g", "12", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k"));
  }

  /** Deletes {@code dir} and the files in it (no subdirectories). */
  static void deleteDirectory(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** (size, md5) of each decoded frame of {@code map}: what the decoder produced, times aside. */
  static List<String> frames(Path file, String map) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Peers.framemd5(file, map)) {
      String[] f = line.split(",");
      out.add(f[4].trim() + " " + f[5].trim());
    }
    return out;
  }

  /** ffprobe's packet count of the first stream of {@code selector} ("v", "a"). */
  static int packets(Path file, String selector) throws IOException {
    String n = Peers.ffprobe("-select_streams", selector + ":0", "-count_packets", "-show_entries",
        "stream=nb_read_packets", "-of", "csv=p=0", file.toString()).trim();
    return Integer.parseInt(n);
  }
}
