package io.livemux.cli;

import io.livemux.LivemuxException;
import io.livemux.format.VideoFormat;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Reader;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.pipeline.SinkStats;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import io.livemux.rtmp.server.Recording;
import io.livemux.rtmp.server.RtmpServer;
import io.livemux.rtmp.server.RtmpServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code livemux serve}: the RTMP ingest server, recording each published stream to {@code
 * DIR/APP/STREAM.mp4}. Ctrl-C (SIGINT) or SIGTERM finishes every recording within the server's
 * bound, even while publishers are still sending, then exits 0.
 *
 * <p>Made and called by picocli on the thread running {@link Livemux#main}, which waits for the
 * signal; the signal handler only releases it.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run an RTMP ingest server that records every published stream to DIR/APP/STREAM.mp4"
          + " (STREAM-1.mp4, ... when the name exists), optionally relaying it upstream.",
      "Ctrl-C or SIGTERM finishes every recording within 2 s, then exits."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "1935", description = "Port to listen on, 0 for any (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--dir", defaultValue = "recordings", description = "Recording directory (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--relay", paramLabel = "URL",
      description = "Also publish every stream to URL/STREAM, e.g. rtmp://live.example.com/app.")
  String relay;

  @Option(names = "--fragment-ms", defaultValue = "1000",
      description = "MP4 fragment duration: what a crash can lose at most (default ${DEFAULT-VALUE}).")
  int fragmentMs;

  @Option(names = "--keys", paramLabel = "FILE",
      description = "Only the app/key pairs listed in FILE (one per line) may publish.")
  Path keys;

  @Spec CommandSpec spec;

  /** Released by SIGINT or SIGTERM. */
  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw Livemux.usage(spec, "--port out of range 0..65535: " + port);
    }
    if (fragmentMs < 100 || fragmentMs > 600_000) {
      throw Livemux.usage(spec, "--fragment-ms out of range 100..600000: " + fragmentMs);
    }
    Livemux.checkNotEmpty(spec, "--dir", dir);
    if (relay != null) {
      try {
        // what each stream's relay will be given: the prefix, "/", the stream name
        RtmpPublisherOptions.forUrl((relay.endsWith("/") ? relay : relay + "/") + "STREAM");
      } catch (IllegalArgumentException e) {
        throw Livemux.usage(spec, "--relay " + relay + " is not an rtmp:// or rtmps:// URL prefix such as"
            + " rtmp://live.example.com/app (" + e.getMessage() + ")");
      }
    }
    if (keys != null && !Files.isReadable(keys)) {
      throw new LivemuxException("--keys file is not readable: " + keys);
    }
    InetSocketAddress address = new InetSocketAddress(bind, port);
    if (address.isUnresolved()) {
      throw new LivemuxException("cannot listen on --bind " + bind + ": no such host or address");
    }
    PrintWriter out = spec.commandLine().getOut();
    Files.createDirectories(dir);
    RtmpServerOptions options = RtmpServerOptions.recordingTo(dir)
        .withBindAddress(address)
        .withMp4Options(Mp4Options.defaults().withFragmentDurationUs(fragmentMs * 1000L))
        .withAllowList(keys)
        .withListener(recording -> {
          out.println(finished(recording));
          out.flush();
        });
    if (relay != null) {
      options = options.withRelay(relay);
    }
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    RtmpServer server = RtmpServer.start(options);
    out.println("livemux serve: listening on rtmp://" + bind + ":" + server.port()
        + "/APP/STREAM, recording into " + dir + (relay == null ? "" : ", relaying to " + relay)
        + "; Ctrl-C stops");
    out.flush();
    stop.await();
    long start = System.nanoTime();
    server.stop(); // finishes every recording within its bound
    out.println("livemux serve: stopped in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    return 0;
  }

  /**
   * One line for a finished recording: its file, frames and size, and anything dropped or failed.
   * A publisher that sent no media leaves an empty file, which is deleted (it would only be
   * mistaken for a broken recording). Called on a server thread: reads only the file's index.
   */
  static String finished(Recording recording) {
    Path mp4 = recording.mp4(); // the stream key is in its name: the path is printed, not the key again
    if (mp4 == null) {
      return "finished a stream of " + recording.app();
    }
    StringBuilder s = new StringBuilder();
    try {
      long video = 0;
      long audio = 0;
      if (Files.size(mp4) > 0) {
        try (Mp4Reader reader = Mp4Reader.open(mp4)) {
          for (int t = 0; t < reader.trackCount(); t++) {
            if (reader.format(t) instanceof VideoFormat) {
              video += reader.sampleCount(t);
            } else {
              audio += reader.sampleCount(t);
            }
          }
        }
      }
      if (video + audio == 0) {
        Files.deleteIfExists(mp4);
        return "nothing recorded in " + mp4 + ": the publisher sent no media; the empty file was deleted";
      }
      s.append(String.format(Locale.ROOT, "recorded %s: %d video and %d audio frames, %,d bytes",
          mp4, video, audio, Files.size(mp4)));
    } catch (IOException e) {
      s.append("recorded ").append(mp4).append(" (cannot read it back: ")
          .append(Livemux.reason(e)).append(')');
    }
    if (recording.result() != null) {
      for (SinkStats sink : recording.result().sinks()) {
        if (sink.failure() != null) {
          s.append("; ").append(sink.name()).append(" failed: ").append(Livemux.reason(sink.failure()));
        } else if (sink.outcome() != SinkOutcome.COMPLETED) {
          s.append("; ").append(sink.name()).append(": ").append(sink.outcome().name().toLowerCase(Locale.ROOT));
        }
        if (sink.dropped() > 0) {
          s.append("; ").append(sink.name()).append(" dropped ").append(sink.dropped()).append(" samples");
        }
      }
    }
    return s.toString();
  }

  /** For tests in this JVM: stops the server as a signal would. */
  void requestStop() {
    stop.countDown();
  }
}
