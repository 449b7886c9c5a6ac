package io.livemux.cli;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.rtmp.flv.FlvPacketEncoder;
import io.livemux.rtmp.flv.FlvSamples;
import io.livemux.rtmp.flv.FlvTag;
import io.livemux.rtmp.flv.FlvTagEncoder;
import io.livemux.sample.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Not a command: the {@code ./livemux} launcher runs this once after building the jar, under
 * {@code -XX:DumpLoadedClassList}, to learn which classes a command loads, and then dumps them
 * into a class-data-sharing archive (JDK AppCDS) that every later run maps instead of loading,
 * verifying and linking those classes again: about a quarter of a short run's CPU time.
 *
 * <p>It writes a two-second FLV (onMetaData, a real H.264 decoder configuration, placeholder frame bytes: a
 * remux never decodes) in a temporary directory, then runs {@code remux}, {@code remux
 * --fragmented}, {@code inspect} and {@code --help} on it in this JVM, output discarded, and
 * deletes the directory. Exit code 0 when every command succeeded. One thread.
 */
final class StartupTraining {
  /** avcC of a 64x64 x264 stream (Constrained Baseline, level 1.0), as ffmpeg wrote it. */
  private static final String AVCC_HEX =
      "0142c00affe100166742c00ada109b0110000003001000000301e0f1226a01000468ce0fc8";

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    System.exit(train() == 0 ? 0 : 1);
  }

  /** Runs the commands; returns how many failed. */
  private static int train() throws IOException {
    Path dir = Files.createTempDirectory("livemux-training-");
    try {
      Path flv = dir.resolve("in.flv");
      writeFlv(flv);
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, "UTF-8");
      int failed = 0;
      String[][] runs = {
        {"remux", flv.toString(), dir.resolve("out.mp4").toString()},
        {"remux", flv.toString(), dir.resolve("fragmented.mp4").toString(), "--fragmented"},
        {"inspect", dir.resolve("out.mp4").toString()},
        {"inspect", flv.toString(), "--json"},
        {"remux", "--help"},
      };
      for (String[] run : runs) {
        failed += Livemux.execute(quiet, quiet, run) == 0 ? 0 : 1;
      }
      return failed;
    } finally {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** 2 s: 30 fps video (a keyframe a second, length-prefixed placeholder NAL units), 48 kHz AAC. */
  private static void writeFlv(Path path) throws IOException {
    H264Format video = H264Format.fromAvcC(ByteBuffer.wrap(hex(AVCC_HEX)));
    AacFormat audio = AacFormat.of(48_000, 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    put(out, FlvTagEncoder.fileHeader(true, true));
    put(out, FlvTagEncoder.tag(FlvTag.of(FlvTag.SCRIPT_DATA, 0,
        FlvPacketEncoder.script("onMetaData", FlvSamples.onMetaData(video, audio)))));
    put(out, FlvTagEncoder.tag(FlvTag.of(FlvTag.VIDEO, 0,
        FlvPacketEncoder.video(FlvSamples.videoSequenceStart(video)))));
    put(out, FlvTagEncoder.tag(FlvTag.of(FlvTag.AUDIO, 0,
        FlvPacketEncoder.audio(FlvSamples.audioSequenceHeader(audio)))));
    int frames = 60;
    int audioFrames = 94; // 1024 samples each at 48 kHz: 21.33 ms
    int a = 0;
    for (int f = 0; f < frames; f++) {
      long ms = f * 1000L / 30;
      while (a < audioFrames && a * 1024L * 1000 / 48_000 <= ms) {
        Sample s = Sample.builder(audio).timescale(1000).presentationTimeTicks(a * 1024L * 1000 / 48_000)
            .payload(ByteBuffer.wrap(new byte[] {0x21, 0x10, 0x04, (byte) a})).build();
        put(out, FlvTagEncoder.tag(FlvTag.of(FlvTag.AUDIO, (int) s.presentationTimeTicks(),
            FlvPacketEncoder.audio(FlvSamples.audioFrame(s)))));
        a++;
      }
      boolean key = f % 30 == 0;
      byte[] nal = {0, 0, 0, 3, (byte) (key ? 0x65 : 0x41), (byte) 0x88, (byte) f};
      Sample s = Sample.builder(video).timescale(1000).decodeTimeTicks(ms).presentationTimeTicks(ms)
          .flags(key ? Sample.FLAG_SYNC : 0).payload(ByteBuffer.wrap(nal)).build();
      put(out, FlvTagEncoder.tag(FlvTag.of(FlvTag.VIDEO, (int) ms,
          FlvPacketEncoder.video(FlvSamples.videoFrame(s)))));
    }
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(out.toByteArray());
      while (bytes.hasRemaining()) {
        file.write(bytes);
      }
    }
  }

  private static void put(ByteArrayOutputStream out, ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.write(bytes, 0, bytes.length);
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
