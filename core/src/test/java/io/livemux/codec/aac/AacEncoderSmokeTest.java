package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AacEncoderSmokeTest {
  @TempDir Path dir;

  @Test
  void tone_decodesWithFfmpeg() throws Exception {
    AacEncoder encoder = AacTestSupport.encoder(48000, 2, 128000);
    short[] pcm = AacTestSupport.tone(48000, 2, 2, 1000, 8000);
    List<byte[]> frames = AacTestSupport.encode(encoder, pcm, 1000);
    short[] decoded =
        AacTestSupport.decodeWithFfmpeg(AacTestSupport.adts(frames, encoder.audioSpecificConfig()), dir);
    double[] ref = AacTestSupport.channel(pcm, 2, 0, 0);
    double[] dec = AacTestSupport.channel(decoded, 2, 0, 1024);
    System.out.println("frames " + frames.size() + " snr " + AacTestSupport.snrDb(ref, dec)
        + " lag " + AacTestSupport.bestLag(ref, dec, 2000));
    short[] jaad = AacTestSupport.decodeWithJaad(frames, encoder.audioSpecificConfig());
    double[] dj = AacTestSupport.channel(jaad, 2, 0, 1024);
    System.out.println("jaad snr " + AacTestSupport.snrDb(ref, dj));
    StringBuilder sizes = new StringBuilder();
    for (byte[] f : frames) sizes.append(f.length).append(' ');
    System.out.println(sizes);
    double m = 0; for (short v : decoded) m = Math.max(m, Math.abs(v));
    System.out.println("decoded max " + m + " len " + decoded.length);
    assertTrue(frames.size() > 0);
  }
}
