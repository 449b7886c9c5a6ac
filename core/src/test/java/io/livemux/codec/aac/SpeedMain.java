package io.livemux.codec.aac;
import java.nio.ShortBuffer;
class SpeedMain {
  public static void main(String[] a) {
    short[] pcm = AacTestSupport.chords(48000, 2, 20);
    short[] noise = AacTestSupport.pinkNoise(48000, 2, 20, 3000, 1);
    for (int i = 0; i < pcm.length; i++) pcm[i] = AacTestSupport.clip(pcm[i] + noise[i]);
    for (int r = 0; r < 6; r++) {
      long t = System.nanoTime();
      AacEncoder e = AacTestSupport.encoder(48000, 2, 128000);
      e.encode(ShortBuffer.wrap(pcm)); e.flush();
      double s = (System.nanoTime() - t) / 1e9;
      System.out.printf("%.3f s -> %.1fx realtime%n", s, 20 / s);
    }
  }
}
