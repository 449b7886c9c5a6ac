package io.livemux.rtmp.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.VideoFormat;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.testing.Listening;
import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.rtmp.testing.Pacer;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our publisher against ffmpeg as the server, against nginx behind TLS (rtmps://), and across a
 * server crash with reconnection.
 */
class RtmpPublisherPeersTest {
  @TempDir static Path dir;
  static SourceStream source;

  @BeforeAll
  static void ffmpegMakesTheSource() throws Exception {
    source = SourceStream.make(dir, "source", 4);
  }

  @Test
  void publish_toFfmpegListening_givesTheSameFrames() throws Exception {
    int port = NginxRtmp.freePort();
    Path out = dir.resolve("ffmpeg-server.flv");
    Process ffmpeg =
        new ProcessBuilder(Peers.ffmpeg().toString(), "-loglevel", "error", "-listen", "1",
                "-i", "rtmp://127.0.0.1:" + port + "/app/key", "-c", "copy", "-f", "flv",
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ffmpeg-server.log").toFile())
            .start();
    try {
      Listening.await(port, ffmpeg, "ffmpeg -listen 1");
      RtmpStreamer streamer =
          RtmpStreamer.create(RtmpPublisherOptions.forUrl("rtmp://127.0.0.1:" + port + "/app/key"));
      WriterInput video = streamer.addTrack(source.video);
      WriterInput audio = streamer.addTrack(source.audio);
      streamer.start();
      streamer.published().get(20, TimeUnit.SECONDS); // connected: the finish bound is for sending
      source.appendAll(video, audio);
      PublishResult result = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(0, result.lane().dropped(), result.toString());
      assertTrue(ffmpeg.waitFor(20, TimeUnit.SECONDS), "ffmpeg ends when we unpublish");
      assertEquals(0, ffmpeg.exitValue(),
          new String(java.nio.file.Files.readAllBytes(dir.resolve("ffmpeg-server.log"))));
      assertEquals(SourceStream.frames(source.file, "0:v"), SourceStream.frames(out, "0:v"));
      assertEquals(SourceStream.frames(source.file, "0:a"), SourceStream.frames(out, "0:a"));
    } finally {
      ffmpeg.destroyForcibly();
    }
  }

  @Test
  void rtmps_throughNginxTls_recordsTheSameFrames_andAnUntrustedCertificateIsRefused()
      throws Exception {
    NginxRtmp.TlsFiles tls = NginxRtmp.TlsFiles.make(dir.resolve("tls"));
    try (NginxRtmp nginx =
        NginxRtmp.start(dir.resolve("nginx-tls"), "", NginxRtmp.freePort(), tls)) {
      RtmpStreamer streamer =
          RtmpStreamer.create(
              RtmpPublisherOptions.forUrl(nginx.tlsUrl("secure"))
                  .withSslSocketFactory(tls.trustingFactory()));
      WriterInput video = streamer.addTrack(source.video);
      WriterInput audio = streamer.addTrack(source.audio);
      streamer.start();
      streamer.published().get(20, TimeUnit.SECONDS); // connected: the finish bound is for sending
      source.appendAll(video, audio);
      PublishResult result = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(0, result.lane().dropped(), result.toString());

      // the JDK's default trust does not know our self-signed certificate
      RtmpStreamer untrusted = RtmpStreamer.create(RtmpPublisherOptions.forUrl(nginx.tlsUrl("other")));
      untrusted.addTrack(source.video);
      untrusted.start();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> untrusted.published().get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().contains("the TLS handshake with 127.0.0.1:"), e.getCause().getMessage());
      assertThrows(ExecutionException.class, () -> untrusted.finish().get(10, TimeUnit.SECONDS));

      nginx.close();
      Path recording = nginx.recording("secure");
      assertEquals(SourceStream.frames(source.file, "0:v"), SourceStream.frames(recording, "0:v"), nginx.log());
      assertEquals(SourceStream.frames(source.file, "0:a"), SourceStream.frames(recording, "0:a"));
    }
  }

  @Test
  void serverKilledMidStream_publisherReconnects_andResumesAtAKeyframeWithSequenceHeaders()
      throws Exception {
    int port = NginxRtmp.freePort();
    NginxRtmp first = NginxRtmp.start(dir.resolve("nginx-first"), "", port, null);
    NginxRtmp second = null;
    try {
      RtmpStreamer streamer =
          RtmpStreamer.create(
              RtmpPublisherOptions.forUrl(first.url("phoenix")).withReconnect(20, 50, 400));
      WriterInput video = streamer.addTrack(source.video);
      WriterInput audio = streamer.addTrack(source.audio);
      streamer.start();
      streamer.published().get(10, TimeUnit.SECONDS);
      Pacer pacer = new Pacer(0);
      List<Sample> samples = source.samples;
      int killAt = samples.size() / 3;
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        pacer.await(s.decodeTimeTicks() * 1_000_000 / s.timescale());
        if (i == killAt) {
          first.kill(); // a crash: no FIN from an unpublish, the connection is reset
          second = NginxRtmp.start(dir.resolve("nginx-second"), "", port, null);
        }
        (s.format() instanceof VideoFormat ? video : audio).append(s);
      }
      video.markAsFinished();
      audio.markAsFinished();
      PublishResult result = streamer.finish().get(10, TimeUnit.SECONDS);
      assertEquals(1, result.publish().reconnects(), result.toString());
      second.close();

      // the second server's recording starts at a keyframe, with sequence headers: it decodes
      // cleanly, to the source's last frames (nginx's recordings start their clock at 0, so
      // compare sizes and hashes, not times)
      Path recording = second.recording("phoenix");
      Peers.Result check = Peers.ffmpeg("-v", "error", "-i", recording.toString(), "-f", "null", "-");
      assertEquals("", check.stderr.trim(), "decoding errors in the resumed stream");
      List<String> resumed = Peers.decodedFrames(recording, "0:v", false);
      List<String> all = Peers.decodedFrames(source.file, "0:v", false);
      assertTrue(resumed.size() > all.size() / 3, "resumed " + resumed.size() + " of " + all.size());
      assertEquals(all.subList(all.size() - resumed.size(), all.size()), resumed);
      String firstKey = Peers.ffprobe("-select_streams", "v", "-show_entries", "frame=key_frame",
          "-read_intervals", "%+#1", "-of", "csv=p=0", recording.toString()).trim();
      assertEquals("1", firstKey);
      List<String> resumedAudio = SourceStream.frames(recording, "0:a");
      assertTrue(!resumedAudio.isEmpty(), "audio resumed too");
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }
}
