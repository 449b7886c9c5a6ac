package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.PcmFormat;
import io.livemux.sample.Sample;
import io.livemux.testing.Browser;
import io.livemux.testing.Peers;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PCM s16le tracks, written as 'sowt': ffmpeg decodes them bit-exactly and Chromium plays them. */
class PcmTrackTest {
  @TempDir Path dir;

  /** Raw s16le frames of a 440 Hz tone made by ffmpeg. */
  private byte[] tone(int rate, int channels, double seconds) throws Exception {
    Path raw = dir.resolve("tone-" + rate + "-" + channels + ".raw");
    Peers.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + rate, "-t", Double.toString(seconds),
        "-ac", Integer.toString(channels), "-f", "s16le", "-c:a", "pcm_s16le", raw.toString());
    return Files.readAllBytes(raw);
  }

  private static SourceMedia.SourceTrack blocks(PcmFormat format, byte[] pcm, int framesPerBlock) {
    List<Sample> samples = new ArrayList<>();
    int blockBytes = framesPerBlock * format.bytesPerFrame();
    for (int offset = 0; offset < pcm.length; offset += blockBytes) {
      int length = Math.min(blockBytes, pcm.length - offset);
      samples.add(Sample.pcm(format, ByteBuffer.wrap(pcm, offset, length), offset / format.bytesPerFrame()));
    }
    return new SourceMedia.SourceTrack(format, samples);
  }

  @Test
  void pcmTrack_decodesToTheSameSamples_andPlaysInChromium() throws Exception {
    PcmFormat format = PcmFormat.s16le(48_000, 2);
    byte[] pcm = tone(48_000, 2, 2.5);
    Path out = dir.resolve("pcm.mp4");
    Mp4Result result = Mp4RecorderTest.record(List.of(blocks(format, pcm, 1000)), out, Mp4Options.defaults());
    assertEquals(2_500_000, result.durationUs());
    Mp4RecorderTest.assertDecodesWithoutError(out);
    byte[] decoded = Peers.ffmpeg("-i", out.toString(), "-f", "s16le", "-c:a", "pcm_s16le", "-").stdoutBytes;
    assertArrayEquals(pcm, decoded, "ffmpeg gives back exactly the PCM we recorded");
    String played = Browser.playElement(out).get(0);
    assertTrue(played.contains("\"ok\":true"), played);
    // Our reader gives back the same blocks, so a cut PCM recording can be recovered too.
    try (Mp4Reader reader = Mp4Reader.open(out)) {
      assertEquals(format, reader.format(0));
      java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
      while (reader.advance()) {
        ByteBuffer payload = reader.sample().payload();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        back.write(bytes);
      }
      assertArrayEquals(pcm, back.toByteArray());
    }
  }

  @Test
  void h264WithPcm_fragmentedThenFinalized_keepsBothTracks() throws Exception {
    Path video = dir.resolve("video.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "2",
        "-c:v", "libx264", "-bf", "2", "-g", "15", "-pix_fmt", "yuv420p", video.toString());
    List<SourceMedia.SourceTrack> tracks = new ArrayList<>(SourceMedia.read(video));
    PcmFormat format = PcmFormat.s16le(44_100, 1);
    byte[] pcm = tone(44_100, 1, 2.0);
    tracks.add(blocks(format, pcm, 441));
    Path out = dir.resolve("av.mp4");
    Mp4RecorderTest.record(tracks, out, Mp4Options.defaults().withFragmentDurationUs(500_000));
    Mp4RecorderTest.assertDecodesWithoutError(out);
    assertEquals(Mp4RecorderTest.decodedFrames(video, "0:v"), Mp4RecorderTest.decodedFrames(out, "0:v"));
    byte[] decoded = Peers.ffmpeg("-i", out.toString(), "-map", "0:a", "-f", "s16le", "-c:a", "pcm_s16le", "-").stdoutBytes;
    assertArrayEquals(pcm, decoded);
    String played = Browser.playElement(out).get(0);
    assertTrue(played.contains("\"ok\":true") && played.contains("\"width\":320"), played);
  }
}
