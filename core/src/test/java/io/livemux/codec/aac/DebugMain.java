package io.livemux.codec.aac;

class DebugMain {
  public static void main(String[] args) {
    FrameEncoder.DEBUG = false;
    FrameEncoder fe = new FrameEncoder(48000, 3, 1, 64000);
    short[] pcm = AacTestSupport.tone(48000, 1, 0.2, 1000, 8000);
    double[][] block = new double[1][1024];
    for (int k = 0; k < 6; k++) {
      for (int i = 0; i < 1024; i++) block[0][i] = pcm[k * 1024 + i];
      byte[] f = fe.push(block);
      System.out.println(f == null ? "null" : f.length);
    }
  }
}
