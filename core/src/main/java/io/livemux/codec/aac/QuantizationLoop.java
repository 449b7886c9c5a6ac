package io.livemux.codec.aac;

/**
 * Quantization of one frame's spectra in the two nested loops of the informative encoder (ISO/IEC
 * 13818-7 Annex B, clause B.7: the inner iteration loop inside the outer iteration loop, B.7.4.4
 * for when the outer one ends; AAC-LC in 14496-3 uses the same bitstream, so the same loops).
 *
 * <p><b>Inner (rate) loop.</b> Every band starts from the scalefactor that would put its
 * quantization noise at its allowed distortion (the masking threshold of {@link
 * PsychoacousticModel}); one global offset added to all of them, i.e. the global gain, is searched
 * with exact bit counts from {@link IcsCoder#code} for the finest quantization whose frame fits the
 * bit budget (the reservoir's share, never more than 6144 bits per channel, 4.5.3.1).
 *
 * <p><b>Outer (distortion) loop.</b> The quantized spectrum is dequantized as a decoder does
 * (4.6.1.3 and 4.6.2.3.3: {@code sign(q) |q|^(4/3) 2^((sf - 100) / 4)}) and the noise energy of
 * every scalefactor band is measured against the MDCT coefficients. Bands whose noise exceeds
 * their limit are amplified (a smaller scalefactor, a finer step) by as many steps as the excess
 * asks for, and the inner loop runs again with the amplified bands. The loop stops when no band
 * exceeds its limit, when every band with signal has been amplified (the change is then a global
 * gain change the inner loop undoes), when no exceeding band can be amplified without breaking the
 * scalefactor limits (0..255, consecutive differences within 60 by Table 4.A.1, no quantized
 * magnitude above 8191), when an iteration does not improve on the best distortion measure so far,
 * or after {@link #MAX_OUTER_ITERATIONS} iterations. The iteration with the best distortion measure
 * is coded, not simply the last.
 *
 * <p><b>The limit of a band.</b> Where the rate affords the masks (the first inner loop ends at an
 * offset <= 0) and some band's measured noise is above its masking threshold, the limits are the
 * masking thresholds and only those bands are amplified, the textbook loop: meeting the masks comes
 * first. Otherwise the limit is the masking threshold with two changes that keep the loop useful
 * and the SNR from falling:
 *
 * <ul>
 *   <li>Where the rate cannot afford the masks (a positive first offset), every threshold is raised
 *       by the factor that offset stands for, {@code 2^(3/8 offset)}, aiming at one noise-to-mask
 *       ratio in all bands as B.7 advises when the bits and the perceptual entropy differ. Against
 *       the plain masks every band exceeds: the loop would amplify all of them at once (a global
 *       gain change the inner loop undoes) and stop. Against the raised ones it evens out the
 *       bands whose noise the scalefactor formula mis-predicted (the quantizer's dead zone, bands
 *       zeroed whole).
 *   <li>No band's limit exceeds the frame's mean noise per coefficient (as the first inner loop
 *       left it) times its width. A loud band's mask allows far more noise per coefficient than
 *       the quiet bands get; that noise costs SNR out of proportion to the bits it saves (a band's
 *       noise falls by a fixed factor per bit spent per coefficient, so the noise saved per bit is
 *       proportional to its noise per coefficient, and equal noise density is the least total
 *       noise for the bits). A loop that only amplifies bands above their masks never takes that
 *       noise back: the textbook loop measured within 0.2 dB of the rate loop alone on every row
 *       of the quality comparison (AacQualityTest), this one 0.9 to 14.6 dB above it on 13 of
 *       the 21 rows and below it on none.
 * </ul>
 *
 * <p><b>The distortion measure</b> of an iteration is (1) where the rate affords the masks, the
 * number of bands whose noise exceeds the plain masking threshold; (2) the summed excess of noise
 * over the limits, {@code sum max(0, log2(noise / limit))}; (3) the total noise energy as the
 * decoder's left and right outputs carry it (a mid/side band's noise counts twice). An iteration
 * replaces the best so far if it has fewer bands above their masks, or as many and both a smaller
 * excess and no more total noise. So the coded frame never carries more noise than the first inner
 * loop's quantization, except to bring bands under their masks where the rate affords that.
 *
 * <p>Not thread-safe: scratch state, one per encoder.
 */
final class QuantizationLoop {
  /** Outer iterations after the first inner loop, at most (speed: each one is an inner loop). */
  static final int MAX_OUTER_ITERATIONS = 3;
  /** Scalefactor steps one band may be amplified by in one outer iteration. */
  private static final int MAX_STEPS_PER_ITERATION = 16;
  /** Noise energy per scalefactor step: 2^(3/8), the power law of 4.6.1.3 at the step 2^(1/4). */
  private static final double LOG2_NOISE_PER_STEP = 0.375;

  static final int MIN_OFFSET = -100;
  /** All scalefactors at 255: every spectrum quantizes to zero. */
  static final int MAX_OFFSET = 256;

  private static final int MAX_BANDS = 8 * 15 + 64;

  /** |q|^(4/3) for every quantized magnitude, the dequantizer of 4.6.1.3. */
  private static final double[] DEQUANT = new double[IcsCoder.MAX_QUANT + 1];

  static {
    for (int q = 0; q <= IcsCoder.MAX_QUANT; q++) {
      DEQUANT[q] = Math.pow(q, 4.0 / 3.0);
    }
  }

  private final int channels;
  private final IcsCoder[] coders;
  private final double[][] xPow;
  /** Per channel and band: the largest |x|^(3/4). */
  private final double[][] peak;
  private final int[][] baseSf;
  private final int[][] minSf;
  private final int[][] amplification;
  private final int[][] bestAmplification;
  private final double[][] noise;
  private final double[][] bestNoise;
  private final double[][] limit;
  private final int[] sfTrial = new int[MAX_BANDS];
  private final double[] measure = new double[3];
  private final double[] bestMeasure = new double[3];
  private int previousOffset;
  /** The offset the coders hold, with the amplifications of the moment. */
  private int codedOffset;

  // Inputs of the frame in progress.
  private IcsLayout layout;
  private double[][] spectrum;
  private double[][] allowed;
  private double[][] energy;
  private boolean[] msUsed;
  /** 1 where the rate affords the masks, else the factor the first offset stands for. */
  private double level;

  // Results of the last frame, for the writer and the tests.
  private int budgetBits;
  private int offset;
  private int firstOffset;
  private double firstTotalNoise;
  private int firstBandsOverMask;
  private int outerIterations;
  private int chosenIteration;
  private int bitsUsed;

  QuantizationLoop(int channels) {
    this.channels = channels;
    coders = new IcsCoder[channels];
    xPow = new double[channels][FrameEncoder.FRAME];
    peak = new double[channels][MAX_BANDS];
    baseSf = new int[channels][MAX_BANDS];
    minSf = new int[channels][MAX_BANDS];
    amplification = new int[channels][MAX_BANDS];
    bestAmplification = new int[channels][MAX_BANDS];
    noise = new double[channels][MAX_BANDS];
    bestNoise = new double[channels][MAX_BANDS];
    limit = new double[channels][MAX_BANDS];
    for (int c = 0; c < channels; c++) {
      coders[c] = new IcsCoder();
    }
  }

  /**
   * Quantizes and prices one frame: {@code spectrum[c]} in {@code layout}'s order, {@code
   * energy[c][band]} its band energies, {@code allowed[c][band]} the allowed noise energy of each
   * band (the masking threshold), {@code msUsed[band]} (null for mono) which bands are mid/side
   * coded. Afterwards {@link #coder} holds each channel's individual_channel_stream, thoroughly
   * priced, at most {@code budgetBits} bits in all unless even all-zero spectra exceed it. The
   * arrays are only read, and referenced until the next call.
   */
  void run(
      IcsLayout layout,
      double[][] spectrum,
      double[][] energy,
      double[][] allowed,
      boolean[] msUsed,
      int budgetBits) {
    this.layout = layout;
    this.spectrum = spectrum;
    this.allowed = allowed;
    this.energy = energy;
    this.msUsed = msUsed;
    this.budgetBits = budgetBits;
    int bands = layout.bandCount();
    for (int c = 0; c < channels; c++) {
      prepareScalefactors(c, energy[c], allowed[c]);
      java.util.Arrays.fill(amplification[c], 0, bands, 0);
    }
    offset = searchOffset(budgetBits, previousOffset);
    previousOffset = offset;
    firstOffset = offset;
    measureNoise();
    level = Math.pow(2, LOG2_NOISE_PER_STEP * Math.max(0, offset));
    setLimits();
    int bestOffset = offset;
    saveBest();
    firstTotalNoise = bestMeasure[2];
    firstBandsOverMask = (int) bestMeasure[0];
    chosenIteration = 0;
    outerIterations = 0;
    while (outerIterations < MAX_OUTER_ITERATIONS && amplify()) {
      outerIterations++;
      offset = searchOffset(budgetBits, offset);
      measureNoise();
      distortion(measure);
      if (better(measure, bestMeasure)) {
        saveBest();
        bestOffset = offset;
        chosenIteration = outerIterations;
      } else {
        // Going on from the worse state gained at most 0.7 dB on the quality comparison (speech
        // at 64 kbit/s) for one more rate loop in most frames.
        break;
      }
    }
    for (int c = 0; c < channels; c++) {
      System.arraycopy(bestAmplification[c], 0, amplification[c], 0, bands);
      System.arraycopy(bestNoise[c], 0, noise[c], 0, bands);
    }
    offset = bestOffset;
    bitsUsed = codeAll(offset, true);
  }

  /**
   * The limits of the outer loop: each band's masking threshold times {@link #level}, at most the
   * frame's mean noise per coefficient (over the bands with signal, as first measured) times the
   * band's width.
   */
  private void setLimits() {
    int bands = layout.bandCount();
    double total = 0;
    int coefficients = 0;
    for (int c = 0; c < channels; c++) {
      for (int b = 0; b < bands; b++) {
        if (baseSf[c][b] < 255) {
          total += noise[c][b];
          coefficients += layout.width(b);
        }
      }
    }
    double perCoefficient = coefficients > 0 ? total / coefficients : 0;
    for (int c = 0; c < channels; c++) {
      for (int b = 0; b < bands; b++) {
        limit[c][b] = Math.min(allowed[c][b] * level, perCoefficient * layout.width(b));
      }
    }
  }

  IcsCoder coder(int channel) {
    return coders[channel];
  }

  /** The bit budget of the last frame, as passed to {@link #run}. */
  int budgetBits() {
    return budgetBits;
  }

  /** The global offset coded in the last frame. */
  int offset() {
    return offset;
  }

  /** The offset the first inner loop found in the last frame (<= 0: the rate affords the masks). */
  int firstOffset() {
    return firstOffset;
  }

  /** Total noise energy (left/right) of the first inner loop's quantization in the last frame. */
  double firstTotalNoise() {
    return firstTotalNoise;
  }

  /**
   * Bands above their masking threshold after the first inner loop, where the rate affords the
   * masks (else 0).
   */
  int firstBandsOverMask() {
    return firstBandsOverMask;
  }

  /** Outer iterations the last frame ran (0..{@link #MAX_OUTER_ITERATIONS}). */
  int outerIterations() {
    return outerIterations;
  }

  /** Which of them was coded (0: the first inner loop's result). */
  int chosenIteration() {
    return chosenIteration;
  }

  /** Bits of the coded individual_channel_streams after ics_info, all channels. */
  int bitsUsed() {
    return bitsUsed;
  }

  /** Measured noise energy of band {@code band} of {@code channel} as coded in the last frame. */
  double noise(int channel, int band) {
    return noise[channel][band];
  }

  /**
   * Scalefactors that would put each band's quantization noise at its allowed distortion, from the
   * power law: the noise of |x|^(3/4) quantized with step 2^(3/16 (sf - 100)) is about (16/9)
   * sqrt(|x|) step^2 / 12 per coefficient.
   */
  private void prepareScalefactors(int c, double[] energy, double[] threshold) {
    double[] x = spectrum[c];
    double[] p = xPow[c];
    for (int b = 0; b < layout.bandCount(); b++) {
      int start = layout.start(b);
      int width = layout.width(b);
      double peak = 0;
      for (int i = start; i < start + width; i++) {
        double a = Math.abs(x[i]);
        double v = Math.sqrt(a * Math.sqrt(a));
        p[i] = v;
        peak = Math.max(peak, v);
      }
      int lowest = 0;
      if (peak > 0) {
        lowest =
            (int) Math.ceil(IcsCoder.SF_OFFSET - log2(IcsCoder.MAX_QUANT / peak) / 0.1875) + 1;
      }
      minSf[c][b] = Math.max(0, Math.min(255, lowest));
      this.peak[c][b] = peak;
      double e = energy[b];
      if (e <= 0) {
        baseSf[c][b] = 255;
        continue;
      }
      double noisePerCoefficient = threshold[b] / width;
      double rms = Math.sqrt(e / width);
      double sf =
          IcsCoder.SF_OFFSET + (8.0 / 3.0) * log2(6.75 * noisePerCoefficient / Math.sqrt(rms));
      baseSf[c][b] = (int) Math.max(-1000, Math.min(1000, Math.round(sf)));
    }
  }

  private static double log2(double x) {
    return Math.log(x) * 1.4426950408889634;
  }

  private int codeAll(int offset, boolean thorough) {
    codedOffset = offset;
    int bits = 0;
    for (int c = 0; c < channels; c++) {
      int[] base = baseSf[c];
      int[] amp = amplification[c];
      int[] floor = minSf[c];
      for (int b = 0; b < layout.bandCount(); b++) {
        sfTrial[b] = Math.max(floor[b], Math.min(255, base[b] + offset - amp[b]));
      }
      bits += coders[c].code(layout, spectrum[c], xPow[c], peak[c], sfTrial, thorough);
    }
    return bits;
  }

  /**
   * Inner loop: the smallest common offset (finest quantization) whose frame fits {@code budget},
   * priced quickly (see {@link IcsCoder#code}); the final thorough pricing can only be lower. The
   * search starts from {@code start} and widens in doubling steps before bisecting. Leaves the
   * coders holding the returned offset's quantization.
   */
  private int searchOffset(int budget, int start) {
    codedOffset = Integer.MIN_VALUE; // what the coders hold is from before: not this search's
    int guess = Math.max(MIN_OFFSET, Math.min(MAX_OFFSET, start));
    int low;
    int high;
    if (codeAll(guess, false) <= budget) {
      high = guess;
      int step = 1;
      low = guess - step;
      while (low > MIN_OFFSET && codeAll(low, false) <= budget) {
        high = low;
        step *= 2;
        low = Math.max(MIN_OFFSET, high - step);
      }
      if (low <= MIN_OFFSET && codeAll(MIN_OFFSET, false) <= budget) {
        return MIN_OFFSET;
      }
    } else {
      low = guess;
      int step = 1;
      high = Math.min(MAX_OFFSET, guess + step);
      while (high < MAX_OFFSET && codeAll(high, false) > budget) {
        low = high;
        step *= 2;
        high = Math.min(MAX_OFFSET, low + step);
      }
    }
    // Invariant: low does not fit (or is the floor), high fits (or is the ceiling).
    while (high - low > 1) {
      int middle = (low + high) >> 1;
      if (codeAll(middle, false) <= budget) {
        high = middle;
      } else {
        low = middle;
      }
    }
    if (codedOffset != high) {
      codeAll(high, false);
    }
    return high;
  }


  /** Noise energy of every band as the coders quantized it: sum of (x - dequantized q)^2. */
  private void measureNoise() {
    for (int c = 0; c < channels; c++) {
      IcsCoder coder = coders[c];
      double[] x = spectrum[c];
      int[] q = coder.quant;
      for (int b = 0; b < layout.bandCount(); b++) {
        int start = layout.start(b);
        int end = start + layout.width(b);
        int sf = coder.sf[b];
        if (peak[c][b] * IcsCoder.QUANT_STEP_INVERSE[sf] + IcsCoder.ROUNDING < 1) {
          noise[c][b] = energy[c][b]; // quantized to zero: the noise is the band
          continue;
        }
        double gain = IcsCoder.GAIN[sf];
        double sum = 0;
        for (int i = start; i < end; i++) {
          int v = q[i];
          double d = v >= 0 ? x[i] - DEQUANT[v] * gain : x[i] + DEQUANT[-v] * gain;
          sum += d * d;
        }
        noise[c][b] = sum;
      }
    }
  }

  /**
   * Amplifies every band whose measured noise exceeds its limit (its plain mask, if the rate
   * affords the masks and a band is above its mask) by the steps the excess asks for, at most
   * {@link #MAX_STEPS_PER_ITERATION}, as far as the scalefactor limits let it. Returns false when
   * the loop is over: no band exceeds, none could be amplified, or every band with signal is now
   * amplified (a global change the rate loop undoes).
   */
  private boolean amplify() {
    int bands = layout.bandCount();
    int exceeding = 0;
    int amplified = 0;
    int withSignal = 0;
    int everAmplified = 0;
    boolean masksFirst = false;
    if (level == 1) {
      for (int c = 0; c < channels && !masksFirst; c++) {
        for (int b = 0; b < bands; b++) {
          if (noise[c][b] > allowed[c][b]) {
            masksFirst = true;
            break;
          }
        }
      }
    }
    for (int c = 0; c < channels; c++) {
      IcsCoder coder = coders[c];
      for (int b = 0; b < bands; b++) {
        double bound = masksFirst ? allowed[c][b] : limit[c][b];
        if (baseSf[c][b] >= 255 || bound <= 0) {
          continue; // silent band: nothing to measure
        }
        withSignal++;
        double ratio = noise[c][b] / bound;
        if (ratio > 1) {
          exceeding++;
          int steps =
              Math.min(MAX_STEPS_PER_ITERATION, (int) Math.ceil(log2(ratio) / LOG2_NOISE_PER_STEP));
          int now = coder.sf[b];
          int target = Math.max(now - steps, minSf[c][b]);
          // Table 4.A.1: consecutive scalefactors differ by at most 60.
          if (b > 0) {
            target = Math.max(target, coder.sf[b - 1] - 60);
          }
          if (b + 1 < bands) {
            target = Math.max(target, coder.sf[b + 1] - 60);
          }
          if (target < now) {
            amplification[c][b] += now - target;
            amplified++;
          }
        }
        if (amplification[c][b] > 0) {
          everAmplified++;
        }
      }
    }
    return exceeding > 0 && amplified > 0 && everAmplified < withSignal;
  }

  private void saveBest() {
    int bands = layout.bandCount();
    for (int c = 0; c < channels; c++) {
      System.arraycopy(amplification[c], 0, bestAmplification[c], 0, bands);
      System.arraycopy(noise[c], 0, bestNoise[c], 0, bands);
    }
    distortion(bestMeasure);
  }

  /**
   * The distortion measure of the quantization just measured: {@code out[0]} the bands whose noise
   * exceeds the plain masking threshold where the rate affords the masks (else 0), {@code out[1]}
   * the summed excess over the limits in log2 units, {@code out[2]} the total noise energy as the
   * decoder's left/right output carries it (a mid/side band's noise counts twice: L = M + S, R = M
   * - S).
   */
  private void distortion(double[] out) {
    int overMask = 0;
    double excess = 0;
    double total = 0;
    for (int c = 0; c < channels; c++) {
      for (int b = 0; b < layout.bandCount(); b++) {
        double n = noise[c][b];
        total += msUsed != null && msUsed[b] ? 2 * n : n;
        double bound = limit[c][b];
        if (bound > 0 && n > bound) {
          excess += log2(n / bound);
        }
        if (level == 1 && n > allowed[c][b]) {
          overMask++;
        }
      }
    }
    out[0] = overMask;
    out[1] = excess;
    out[2] = total;
  }

  /**
   * Whether {@code candidate} beats {@code best}: fewer bands above their masks, or as many, less
   * excess and no more total noise.
   */
  static boolean better(double[] candidate, double[] best) {
    if (candidate[0] != best[0]) {
      return candidate[0] < best[0];
    }
    return candidate[1] < best[1] && candidate[2] <= best[2];
  }
}
