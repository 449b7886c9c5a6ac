package io.livemux.cli;

import io.livemux.codec.aac.AacEncoder;
import io.livemux.encode.AudioEncoderInput;
import io.livemux.encode.EncoderStats;
import io.livemux.encode.VideoEncoderInput;
import io.livemux.encode.VideoEncoderSettings;
import io.livemux.format.RawVideoFormat;
import io.livemux.live.LiveResult;
import io.livemux.live.LiveSession;
import io.livemux.mp4.Mp4Options;
import io.livemux.pipeline.AppendResult;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import io.livemux.rtmp.server.Recording;
import io.livemux.rtmp.server.RtmpServer;
import io.livemux.rtmp.server.RtmpServerOptions;
import io.livemux.sample.Sample;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livemux demo}: the whole library in one run, with nothing to set up. A moving test
 * pattern (H.264, encoded once by JCodec) and a tone (AAC, encoded by livemux's own encoder; both
 * through encoder inputs) are
 * published to an RTMP ingest server running in this process on loopback, which records what it
 * receives, while the same samples are recorded locally by a {@link LiveSession}. Then the files
 * are listed with their duration, frame count and size.
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}; one call per instance.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a generated test pattern and tone to an in-process RTMP server on loopback while"
          + " recording them locally, then list the files written."
    })
final class DemoCommand implements Callable<Integer> {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  static final int FPS = 30;
  static final int SAMPLE_RATE = 48_000;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of the stream (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--dir", defaultValue = "livemux-demo", description = "Where the files go (default ${DEFAULT-VALUE}).")
  Path dir;

  @ParentCommand Livemux parent;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || seconds > 3600) {
      throw Livemux.usage(spec, "--seconds out of range 1..3600: " + seconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path serverDir = dir.resolve("server");
    Path local = dir.resolve("local.mp4");
    Files.createDirectories(serverDir);
    CompletableFuture<Recording> received = new CompletableFuture<>();
    RtmpServer server = RtmpServer.start(RtmpServerOptions.recordingTo(serverDir)
        .withBindAddress(new InetSocketAddress("127.0.0.1", 0))
        .withListener(received::complete));
    try {
      String url = "rtmp://127.0.0.1:" + server.port() + "/live/demo";
      out.println("RTMP server on 127.0.0.1:" + server.port() + ", recording into " + serverDir);
      out.println("publishing " + seconds + " s of " + WIDTH + "x" + HEIGHT + " " + FPS
          + " fps H.264 + AAC to " + url + " and recording it to " + local);
      LiveSession session = LiveSession.builder()
          .publishTo(RtmpPublisherOptions.forUrl(url))
          .recordTo(local, Mp4Options.defaults())
          .build();
      // Not live: every picture is encoded, however long the machine takes (no finish bound to meet).
      VideoEncoderSettings settings = VideoEncoderSettings.builder(WIDTH, HEIGHT)
          .keyframeIntervalUs(1_000_000).finishTimeout(Duration.ofMinutes(5)).build();
      VideoEncoderInput video =
          VideoEncoderInput.create(session.addTrack(VideoEncoderInput.formatFor(settings)), settings);
      AacEncoder.Config aac = AacEncoder.Config.builder()
          .sampleRateHz(SAMPLE_RATE).channelCount(2).bitrateBps(128_000).build();
      AudioEncoderInput audio = AudioEncoderInput.create(
          session.addTrack(AudioEncoderInput.formatFor(aac)), aac, Duration.ofMinutes(5));
      session.start();
      session.published().get(10, TimeUnit.SECONDS);

      Progress progress = new Progress(spec.commandLine().getErr(), parent.terminal, "demo");
      TestPattern pattern = new TestPattern(WIDTH, HEIGHT);
      RawVideoFormat raw = RawVideoFormat.yuv420p(WIDTH, HEIGHT);
      int frames = seconds * FPS;
      for (int f = 0; f < frames; f++) {
        append(video, Sample.rawPicture(raw, pattern.frame(f), f, FPS));
        // the sound of this frame's span: 1600 samples at 48 kHz
        long from = (long) f * SAMPLE_RATE / FPS;
        long to = (long) (f + 1) * SAMPLE_RATE / FPS;
        Sample block = Sample.pcm(audio.pcmFormat(), tone(from, (int) (to - from)), from);
        while (audio.append(block) == AppendResult.NOT_READY) {
          audio.awaitReady(1, TimeUnit.SECONDS);
        }
        progress.update((double) (f + 1) / frames);
      }
      EncoderStats encoded = video.finish().get(6, TimeUnit.MINUTES); // the last pictures encoded and handed on
      audio.finish().get(6, TimeUnit.MINUTES);
      LiveResult result = session.finish().get(30, TimeUnit.SECONDS);
      progress.done();
      Recording recording = received.get(10, TimeUnit.SECONDS);
      out.println("encoded " + encoded.deliveredCount() + " of " + frames + " pictures"
          + (encoded.discardedCount() > 0 ? ", " + encoded.discardedCount() + " discarded" : ""));
      out.println("stream: " + result.stream().videoFramesSent() + " video and "
          + result.stream().audioFramesSent() + " audio frames sent, "
          + result.streamLane().dropped() + " dropped");
      out.println("files written:");
      out.println("  " + FileSummary.of(local));
      if (recording.mp4() != null) {
        out.println("  " + FileSummary.of(recording.mp4()));
      }
      return 0;
    } finally {
      server.stop();
    }
  }

  private static void append(VideoEncoderInput video, Sample picture) throws InterruptedException {
    while (video.append(picture) == AppendResult.NOT_READY) {
      video.awaitReady(1, TimeUnit.SECONDS); // the encoder is behind
    }
  }

  /** {@code count} stereo samples from sample {@code from} of a 440 Hz / 660 Hz tone at -12 dBFS, s16le. */
  private static ByteBuffer tone(long from, int count) {
    ByteBuffer pcm = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      double t = (double) (from + i) / SAMPLE_RATE;
      pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * t)));
      pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 660 * t)));
    }
    pcm.flip();
    return pcm;
  }
}
