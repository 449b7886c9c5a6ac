package io.livemux.codec.aac;

/**
 * The forward MDCT of ISO/IEC 14496-3 4.6.11.3 (the analysis half of the filterbank) of one window
 * length: {@code X[k] = 2 * sum(z[n] * cos(2 pi / N * (n + n0) * (k + 1/2)))}, {@code n0 = (N/2 +
 * 1) / 2}, so that the standard's IMDCT with overlap-add restores the input at its own scale.
 *
 * <p>Computed as a DCT-IV of the folded input (blocks a, b, c, d of N/4: {@code (-c_r - d, a -
 * b_r)}), the DCT-IV through an N/4-point complex FFT with pre- and post-twiddles. Not thread-safe
 * (scratch buffers): one instance per encoder.
 */
final class Mdct {
  private final int n;
  private final int half;
  private final int fftSize;
  private final double[] folded;
  private final double[] re;
  private final double[] im;
  private final double[] preCos;
  private final double[] preSin;
  private final double[] postCos;
  private final double[] postSin;
  private final double[] fftCos;
  private final double[] fftSin;
  private final int[] bitReverse;

  /** An MDCT of {@code n} inputs (256 or 2048; any power of two from 16) and n/2 outputs. */
  Mdct(int n) {
    if (n < 16 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("n not a power of two >= 16: " + n);
    }
    this.n = n;
    this.half = n / 2;
    this.fftSize = n / 4;
    folded = new double[half];
    re = new double[fftSize];
    im = new double[fftSize];
    preCos = new double[fftSize];
    preSin = new double[fftSize];
    postCos = new double[fftSize];
    postSin = new double[fftSize];
    for (int m = 0; m < fftSize; m++) {
      double pre = -2 * Math.PI * m / (4.0 * fftSize);
      preCos[m] = Math.cos(pre);
      preSin[m] = Math.sin(pre);
      double post = -2 * Math.PI * (m / 4.0 + 1 / 16.0) / fftSize;
      // The factor 2 of the forward transform's definition is folded into the post-twiddle.
      postCos[m] = 2 * Math.cos(post);
      postSin[m] = 2 * Math.sin(post);
    }
    fftCos = new double[fftSize / 2];
    fftSin = new double[fftSize / 2];
    for (int i = 0; i < fftSize / 2; i++) {
      fftCos[i] = Math.cos(-2 * Math.PI * i / fftSize);
      fftSin[i] = Math.sin(-2 * Math.PI * i / fftSize);
    }
    bitReverse = new int[fftSize];
    int bits = Integer.numberOfTrailingZeros(fftSize);
    for (int i = 0; i < fftSize; i++) {
      bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
    }
  }

  /**
   * Transforms {@code input[offset .. offset + n)} (already windowed) into {@code output[outOffset
   * .. outOffset + n/2)}.
   */
  void forward(double[] input, int offset, double[] output, int outOffset) {
    int q = n / 4;
    // Fold: v = (-c_r - d, a - b_r) with a, b, c, d the quarters of the input.
    for (int i = 0; i < q; i++) {
      folded[i] = -input[offset + 3 * q - 1 - i] - input[offset + 3 * q + i];
      folded[q + i] = input[offset + i] - input[offset + 2 * q - 1 - i];
    }
    // DCT-IV of length half through a complex FFT of length half/2.
    for (int m = 0; m < fftSize; m++) {
      double a = folded[2 * m];
      double b = folded[half - 1 - 2 * m];
      int j = bitReverse[m];
      re[j] = a * preCos[m] - b * preSin[m];
      im[j] = a * preSin[m] + b * preCos[m];
    }
    fft();
    for (int k = 0; k < fftSize; k++) {
      double r = re[k] * postCos[k] - im[k] * postSin[k];
      double i = re[k] * postSin[k] + im[k] * postCos[k];
      output[outOffset + 2 * k] = r;
      output[outOffset + half - 1 - 2 * k] = -i;
    }
  }

  /** In-place radix-2 FFT of (re, im), inputs already in bit-reversed order. */
  private void fft() {
    for (int size = 2; size <= fftSize; size <<= 1) {
      int halfSize = size >> 1;
      int step = fftSize / size;
      for (int start = 0; start < fftSize; start += size) {
        for (int j = 0; j < halfSize; j++) {
          double wr = fftCos[j * step];
          double wi = fftSin[j * step];
          int a = start + j;
          int b = a + halfSize;
          double tr = re[b] * wr - im[b] * wi;
          double ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  }
}
