package io.livemux.benchmarks;

import io.livemux.format.MediaFormat;
import io.livemux.mp4.Mp4Reader;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.mp4parser.boxes.sampleentry.SampleEntry;
import org.mp4parser.muxer.Movie;
import org.mp4parser.muxer.Track;
import org.mp4parser.muxer.container.mp4.MovieCreator;

/**
 * Real encoded media for the MP4 benchmarks: an H.264 + AAC clip that ffmpeg makes once (cached in
 * {@code java.io.tmpdir/livemux-bench}), read with mp4parser into livemux {@link Sample}s held in
 * memory, so every muxer is fed the same bytes with the same times and no benchmark reads a file.
 * Immutable once loaded. Public for the benchmarks that live in the library's packages (to reach
 * their package-private engines); not an API.
 */
public final class BenchmarkMedia {
  /** One track of the clip: its format, the source's timescale and sample entry, its samples. */
  static final class SourceTrack {
    final MediaFormat format;
    final int timescale;
    /** {@code vide} or {@code soun}. */
    final String handler;
    /** The source file's sample entry (avc1 with avcC, mp4a with esds), for mp4parser's writer. */
    final SampleEntry sampleEntry;
    /** In decode order, times in {@link #timescale} ticks, payloads zero-copy views of byte arrays. */
    final List<Sample> samples;
    /** Decode end of the last sample, in ticks. */
    final long endTicks;

    SourceTrack(
        MediaFormat format, int timescale, String handler, SampleEntry sampleEntry,
        List<Sample> samples, long endTicks) {
      this.format = format;
      this.timescale = timescale;
      this.handler = handler;
      this.sampleEntry = sampleEntry;
      this.samples = samples;
      this.endTicks = endTicks;
    }
  }

  final List<SourceTrack> tracks;
  /** Every sample of every track, interleaved in decode-time order: track index of each. */
  public final int[] orderTrack;
  /** Every sample of every track, interleaved in decode-time order. */
  public final Sample[] orderSample;
  public final long payloadBytes;
  /**
   * From the earliest first decode time to the latest track end, in microseconds: the period at
   * which every track restarts when the clip is looped, so that A/V stay together.
   */
  final long loopUs;

  private BenchmarkMedia(List<SourceTrack> tracks) {
    this.tracks = tracks;
    int total = 0;
    long bytes = 0;
    for (SourceTrack t : tracks) {
      total += t.samples.size();
      for (Sample s : t.samples) {
        bytes += s.size();
      }
    }
    payloadBytes = bytes;
    long startUs = Long.MAX_VALUE;
    long endUs = Long.MIN_VALUE;
    for (SourceTrack t : tracks) {
      startUs = Math.min(startUs, Math.floorDiv(t.samples.get(0).decodeTimeTicks() * 1_000_000, t.timescale));
      endUs = Math.max(endUs, Math.floorDiv(t.endTicks * 1_000_000 + t.timescale - 1, t.timescale));
    }
    loopUs = endUs - startUs;
    orderTrack = new int[total];
    orderSample = new Sample[total];
    int[] next = new int[tracks.size()];
    for (int n = 0; n < total; n++) {
      int best = -1;
      for (int t = 0; t < tracks.size(); t++) {
        if (next[t] == tracks.get(t).samples.size()) {
          continue;
        }
        Sample candidate = tracks.get(t).samples.get(next[t]);
        if (best < 0) {
          best = t;
          continue;
        }
        Sample current = tracks.get(best).samples.get(next[best]);
        if (MediaTime.compare(
                candidate.decodeTimeTicks(), candidate.timescale(),
                current.decodeTimeTicks(), current.timescale())
            < 0) {
          best = t;
        }
      }
      orderTrack[n] = best;
      orderSample[n] = tracks.get(best).samples.get(next[best]++);
    }
  }

  /** A track's loop period ({@link #loopUs}) in its ticks, rounded up. */
  static long loopTicks(long loopUs, int timescale) {
    return (loopUs * timescale + 999_999) / 1_000_000;
  }

  /** This clip played {@code loops} times back to back, as one recording (samples built now). */
  public BenchmarkMedia looped(int loops) {
    if (loops < 1) {
      throw new IllegalArgumentException("loops < 1: " + loops);
    }
    List<SourceTrack> out = new ArrayList<>();
    for (SourceTrack t : tracks) {
      long period = loopTicks(loopUs, t.timescale);
      List<Sample> samples = new ArrayList<>(t.samples.size() * loops);
      for (int loop = 0; loop < loops; loop++) {
        for (Sample s : t.samples) {
          samples.add(s.shiftedBy(loop * period));
        }
      }
      out.add(
          new SourceTrack(
              t.format, t.timescale, t.handler, t.sampleEntry, samples,
              t.endTicks + (loops - 1) * period));
    }
    return new BenchmarkMedia(out);
  }

  int sampleCount() {
    return orderSample.length;
  }

  public List<MediaFormat> formats() {
    List<MediaFormat> formats = new ArrayList<>();
    for (SourceTrack t : tracks) {
      formats.add(t.format);
    }
    return formats;
  }

  /**
   * A 1280x720 30 fps H.264 clip (2 B-frames, a keyframe every 2 s) with 48 kHz stereo AAC, {@code
   * seconds} long, made by ffmpeg on first use.
   */
  public static BenchmarkMedia load(int seconds) throws IOException, InterruptedException {
    return read(clip(seconds));
  }

  /** The clip's file, made by ffmpeg on first use (as {@link #load}). */
  public static Path clip(int seconds) throws IOException, InterruptedException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "livemux-bench");
    Files.createDirectories(dir);
    Path clip = dir.resolve("testsrc2-720p30-h264-aac-" + seconds + "s.mp4");
    if (!Files.exists(clip)) {
      Path partial = Files.createTempFile(dir, "clip", ".mp4");
      ffmpeg(
          "ffmpeg", "-y", "-v", "error",
          "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
          "-t", Integer.toString(seconds),
          "-c:v", "libx264", "-bf", "2", "-g", "60", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-ac", "2", "-b:a", "128k",
          "-f", "mp4", partial.toString());
      Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    return clip;
  }

  private static void ffmpeg(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          "the MP4 benchmarks make their test media with ffmpeg, which did not start (apt-get install -y ffmpeg): "
              + e.getMessage(), e);
    }
    String output = new String(process.getInputStream().readAllBytes());
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IOException("ffmpeg exited with " + exit + ": " + String.join(" ", command) + "\n" + output);
    }
  }

  /**
   * The clip's formats and samples as livemux's own {@link Mp4Reader} reads them (times as ffmpeg
   * presents them, edit list applied); mp4parser only supplies each track's sample entry and
   * handler, which its writer needs.
   */
  private static BenchmarkMedia read(Path mp4) throws IOException {
    Movie movie = MovieCreator.build(mp4.toString());
    List<SourceTrack> out = new ArrayList<>();
    try (Mp4Reader reader = Mp4Reader.open(mp4)) {
      if (reader.trackCount() != movie.getTracks().size()) {
        throw new IOException("mp4parser and Mp4Reader disagree on the track count of " + mp4);
      }
      List<List<Sample>> samples = new ArrayList<>();
      for (int t = 0; t < reader.trackCount(); t++) {
        samples.add(new ArrayList<>());
      }
      while (reader.advance()) {
        samples.get(reader.track()).add(reader.sample());
      }
      for (int t = 0; t < reader.trackCount(); t++) {
        Track track = movie.getTracks().get(t);
        List<Sample> trackSamples = samples.get(t);
        Sample last = trackSamples.get(trackSamples.size() - 1);
        out.add(new SourceTrack(
            reader.format(t), reader.timescale(t), track.getHandler(), track.getSampleEntries().get(0),
            trackSamples, last.decodeTimeTicks() + last.durationTicks()));
      }
    }
    return new BenchmarkMedia(out);
  }

  /**
   * Where benchmark output goes: {@code shm} is {@code /dev/shm} (tmpfs: the muxers' own cost, not
   * the disk's) when it exists, else {@code java.io.tmpdir}; {@code tmp} is {@code java.io.tmpdir}.
   */
  static Path outputDirectory(String storage) throws IOException {
    Path base;
    switch (storage) {
      case "shm":
        base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        break;
      case "tmp":
        base = Path.of(System.getProperty("java.io.tmpdir"));
        break;
      default:
        throw new IllegalArgumentException("storage must be shm or tmp: " + storage);
    }
    return Files.createTempDirectory(base, "livemux-bench-out");
  }

  /** Deletes a directory made by {@link #outputDirectory} and the files in it. */
  static void deleteDirectory(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  /** ffprobe's packet count per stream of {@code mp4} (codec:count,...), to check a muxer's output. */
  static String probePackets(Path mp4) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                "ffprobe", "-v", "error", "-count_packets",
                "-show_entries", "stream=codec_name,nb_read_packets", "-of", "csv=p=0", mp4.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes()).trim().replace('\n', ' ');
    if (process.waitFor() != 0) {
      throw new IOException("ffprobe failed on " + mp4 + ": " + output);
    }
    return output;
  }
}
