package io.livemux.codec.aac;

import java.util.Arrays;

/**
 * Quantizes one channel's spectrum at given scalefactors and codes it noiselessly: the codebook per
 * band, section_data (4.6.3.2, merged by dynamic programming over section costs),
 * scale_factor_data (4.6.2.3.2) and spectral_data (4.6.3.3). {@link #code} computes the exact bit
 * count of the individual_channel_stream without writing it; {@link #write} then writes it.
 *
 * <p>Not thread-safe: scratch state, one per channel of one encoder.
 */
final class IcsCoder {
  /** Largest quantized magnitude (4.6.1.3: |x_quant| <= 8191). */
  static final int MAX_QUANT = 8191;
  /** The sfs of 4.6.2.3.3 are offset by 100 (SF_OFFSET). */
  static final int SF_OFFSET = 100;
  /** Added before truncation: rounds slightly below one half, which saves bits. */
  static final double ROUNDING = 0.4054;
  private static final int INFINITE = Integer.MAX_VALUE / 4;
  private static final int BOOKS = 12;

  /** 2^(-3/16 * (sf - 100)): multiplies |x|^(3/4) to quantize at sf. */
  static final double[] QUANT_STEP_INVERSE = new double[256];
  /** 2^(1/4 * (sf - 100)): the dequantizer gain of 4.6.2.3.3. */
  static final double[] GAIN = new double[256];

  static {
    for (int sf = 0; sf < 256; sf++) {
      QUANT_STEP_INVERSE[sf] = Math.pow(2, -0.1875 * (sf - SF_OFFSET));
      GAIN[sf] = Math.pow(2, 0.25 * (sf - SF_OFFSET));
    }
  }

  private static final byte[][] LENGTHS = new byte[BOOKS][];

  static {
    for (int book = 1; book < BOOKS; book++) {
      int[] entries = Codebooks.spectrum(book);
      LENGTHS[book] = new byte[entries.length];
      for (int i = 0; i < entries.length; i++) {
        LENGTHS[book][i] = (byte) Codebooks.length(entries[i]);
      }
    }
  }

  // Per-frame results, valid after code().
  final int[] quant = new int[1024];
  int[] sf = new int[0];
  int[] book = new int[0];
  private int[][] bandCost = new int[0][];
  private int[] bandMax = new int[0];
  private int[][] dp = new int[0][];
  private int[][] from = new int[0][];
  private IcsLayout layout;
  private double[] bandPeak;
  int globalGain;
  int sideBits;
  int spectralBits;

  /**
   * Quantizes {@code xPow} (|x|^(3/4) of the layout's spectrum, signs in {@code spectrum}; {@code
   * bandPeak} its largest value per band) with {@code sfIn} per band (each within 0..255, and high
   * enough that no value exceeds 8191), picks codebooks and sections, repairs scalefactor
   * differences beyond +-60 by raising the lower neighbour, and returns the bits of the
   * individual_channel_stream after ics_info. Called by the rate and distortion loops of {@link
   * QuantizationLoop} many times per frame; {@link #quant} and {@link #sf} then hold what the
   * last call coded.
   */
  int code(
      IcsLayout layout,
      double[] spectrum,
      double[] xPow,
      double[] bandPeak,
      int[] sfIn,
      boolean thorough) {
    this.layout = layout;
    int bands = layout.bandCount();
    if (sf.length < bands) {
      sf = new int[bands];
      book = new int[bands];
      bandCost = new int[bands][BOOKS];
      bandMax = new int[bands];
      dp = new int[bands][BOOKS];
      from = new int[bands][BOOKS];
    }
    System.arraycopy(sfIn, 0, sf, 0, bands);
    this.bandPeak = bandPeak;
    // Coefficients outside the bands (above max_sfb) are never read: no need to clear them.
    for (int b = 0; b < bands; b++) {
      bandMax[b] = quantizeBand(layout, b, spectrum, xPow);
    }
    // Scalefactor differences must stay within -60..60 (Table 4.A.1); raise the lower side.
    for (int pass = 0; pass < 64; pass++) {
      boolean changed = false;
      int previous = -1;
      for (int b = 0; b < bands; b++) {
        if (bandMax[b] == 0) {
          continue;
        }
        if (previous >= 0 && sf[b] < sf[previous] - 60) {
          sf[b] = sf[previous] - 60;
          bandMax[b] = quantizeBand(layout, b, spectrum, xPow);
          changed = true;
        }
        if (bandMax[b] != 0) {
          previous = b;
        }
      }
      int next = -1;
      for (int b = bands - 1; b >= 0; b--) {
        if (bandMax[b] == 0) {
          continue;
        }
        if (next >= 0 && sf[b] < sf[next] - 60) {
          sf[b] = sf[next] - 60;
          bandMax[b] = quantizeBand(layout, b, spectrum, xPow);
          changed = true;
        }
        if (bandMax[b] != 0) {
          next = b;
        }
      }
      if (!changed) {
        break;
      }
    }
    for (int b = 0; b < bands; b++) {
      costBand(layout, b, thorough);
    }
    // Quick pricing left each band's cheapest book in book[]: sections where equal books meet,
    // never cheaper than the optimum chooseSections finds, so a budget this meets the thorough
    // pass meets too.
    if (thorough) {
      chooseSections(layout);
    }
    // Scalefactors: bands coded with a book but quantized to zero take the previous value.
    int firstSf = SF_OFFSET;
    for (int b = 0; b < bands; b++) {
      if (bandMax[b] != 0) {
        firstSf = sf[b];
        break;
      }
    }
    globalGain = -1;
    int last = -1;
    int sfBits = 0;
    for (int b = 0; b < bands; b++) {
      if (book[b] == 0) {
        continue;
      }
      if (bandMax[b] == 0) {
        sf[b] = last >= 0 ? last : firstSf;
      }
      if (last < 0) {
        globalGain = sf[b];
        last = sf[b];
      }
      sfBits += Codebooks.length(Codebooks.scalefactor()[sf[b] - last + 60]);
      last = sf[b];
    }
    if (globalGain < 0) {
      globalGain = SF_OFFSET;
    }
    int sectionBits = 0;
    int sectBits = layout.isShort() ? 3 : 5;
    int escape = (1 << sectBits) - 1;
    spectralBits = 0;
    for (int g = 0; g < layout.groupCount; g++) {
      int sfb = 0;
      while (sfb < layout.maxSfb) {
        int b0 = g * layout.maxSfb + sfb;
        int length = 1;
        while (sfb + length < layout.maxSfb && book[b0 + length] == book[b0]) {
          length++;
        }
        sectionBits += 4 + sectBits * (length / escape + 1);
        for (int i = 0; i < length; i++) {
          spectralBits += bandCost[b0 + i][book[b0]];
        }
        sfb += length;
      }
    }
    // global_gain, section_data, scale_factor_data, pulse/tns/gain_control flags, spectral_data.
    sideBits = 8 + sectionBits + sfBits + 3;
    return sideBits + spectralBits;
  }

  /** Quantizes band {@code b} at {@code sf[b]}; returns its largest magnitude. */
  private int quantizeBand(IcsLayout layout, int b, double[] spectrum, double[] xPow) {
    int start = layout.start(b);
    int end = start + layout.width(b);
    double inverse = QUANT_STEP_INVERSE[sf[b]];
    if (bandPeak[b] * inverse + ROUNDING < 1) {
      Arrays.fill(quant, start, end, 0);
      return 0;
    }
    int max = 0;
    for (int i = start; i < end; i++) {
      int q = (int) (xPow[i] * inverse + ROUNDING);
      if (q > MAX_QUANT) {
        q = MAX_QUANT;
      }
      quant[i] = spectrum[i] < 0 ? -q : q;
      if (q > max) {
        max = q;
      }
    }
    return max;
  }

  /**
   * Bits of band b under each usable codebook; INFINITE where the book cannot code it. Quick mode
   * prices only the smallest pair of books that can code the band and puts the cheaper in {@code
   * book[b]} (the other entries of the row are then stale, never read); thorough mode also the
   * next pair, which can only lower the total (the sectioning has more choices).
   */
  private void costBand(IcsLayout layout, int b, boolean thorough) {
    int[] cost = bandCost[b];
    int max = bandMax[b];
    int start = layout.start(b);
    int end = start + layout.width(b);
    if (!thorough) {
      // Only the cheapest book's cost is read afterwards: no need to clear the others.
      if (max == 0) {
        cost[0] = 0;
        book[b] = 0;
        return;
      }
      int first = smallestBook(max);
      cost[first] = countBits(first, start, end);
      book[b] = first;
      if (first < 11) {
        cost[first + 1] = countBits(first + 1, start, end);
        if (cost[first + 1] < cost[first]) {
          book[b] = first + 1;
        }
      }
      return;
    }
    Arrays.fill(cost, INFINITE);
    if (max == 0) {
      cost[0] = 0;
      if (thorough) {
        cost[1] = countBits(1, start, end);
        cost[2] = countBits(2, start, end);
      }
      return;
    }
    int first = smallestBook(max);
    int last = Math.min(11, first + 3);
    for (int book = first; book <= last; book++) {
      cost[book] = countBits(book, start, end);
    }
  }

  /** The first codebook whose largest absolute value covers {@code max} (Table 4.A.1 LAV). */
  private static int smallestBook(int max) {
    return max <= 1 ? 1 : max <= 2 ? 3 : max <= 4 ? 5 : max <= 7 ? 7 : max <= 12 ? 9 : 11;
  }

  private int countBits(int book, int start, int end) {
    byte[] lengths = LENGTHS[book];
    int bits = 0;
    switch (book) {
      case 1:
      case 2:
        for (int i = start; i < end; i += 4) {
          bits += lengths[27 * quant[i] + 9 * quant[i + 1] + 3 * quant[i + 2] + quant[i + 3] + 40];
        }
        return bits;
      case 3:
      case 4:
        for (int i = start; i < end; i += 4) {
          int a = Math.abs(quant[i]);
          int c = Math.abs(quant[i + 1]);
          int d = Math.abs(quant[i + 2]);
          int e = Math.abs(quant[i + 3]);
          bits += lengths[27 * a + 9 * c + 3 * d + e];
          bits += (a != 0 ? 1 : 0) + (c != 0 ? 1 : 0) + (d != 0 ? 1 : 0) + (e != 0 ? 1 : 0);
        }
        return bits;
      case 5:
      case 6:
        for (int i = start; i < end; i += 2) {
          bits += lengths[9 * quant[i] + quant[i + 1] + 40];
        }
        return bits;
      case 7:
      case 8:
      case 9:
      case 10:
        {
          int modulus = book < 9 ? 8 : 13;
          for (int i = start; i < end; i += 2) {
            int a = Math.abs(quant[i]);
            int c = Math.abs(quant[i + 1]);
            bits += lengths[modulus * a + c] + (a != 0 ? 1 : 0) + (c != 0 ? 1 : 0);
          }
          return bits;
        }
      default:
        for (int i = start; i < end; i += 2) {
          int a = Math.abs(quant[i]);
          int c = Math.abs(quant[i + 1]);
          bits += lengths[17 * Math.min(a, 16) + Math.min(c, 16)];
          bits += (a != 0 ? 1 : 0) + (c != 0 ? 1 : 0) + escapeBits(a) + escapeBits(c);
        }
        return bits;
    }
  }

  /** Bits of the escape sequence (4.6.3.3) for magnitude {@code value}: none below 16. */
  private static int escapeBits(int value) {
    if (value < 16) {
      return 0;
    }
    int n = 31 - Integer.numberOfLeadingZeros(value) - 4;
    return 2 * n + 5;
  }

  /** Per group, a Viterbi search over codebooks: band costs plus a section header per switch. */
  private void chooseSections(IcsLayout layout) {
    int header = 4 + (layout.isShort() ? 3 : 5);
    for (int g = 0; g < layout.groupCount; g++) {
      int base = g * layout.maxSfb;
      for (int sfb = 0; sfb < layout.maxSfb; sfb++) {
        int b = base + sfb;
        int bestPrevious = INFINITE;
        int bestPreviousBook = 0;
        if (sfb > 0) {
          for (int k = 0; k < BOOKS; k++) {
            if (dp[b - 1][k] < bestPrevious) {
              bestPrevious = dp[b - 1][k];
              bestPreviousBook = k;
            }
          }
        }
        for (int k = 0; k < BOOKS; k++) {
          if (bandCost[b][k] >= INFINITE) {
            dp[b][k] = INFINITE;
            continue;
          }
          if (sfb == 0) {
            dp[b][k] = bandCost[b][k] + header;
            from[b][k] = k;
            continue;
          }
          int stay = dp[b - 1][k];
          int change = bestPrevious + header;
          if (stay <= change) {
            dp[b][k] = bandCost[b][k] + stay;
            from[b][k] = k;
          } else {
            dp[b][k] = bandCost[b][k] + change;
            from[b][k] = bestPreviousBook;
          }
        }
      }
      if (layout.maxSfb == 0) {
        continue;
      }
      int last = base + layout.maxSfb - 1;
      int best = 0;
      for (int k = 1; k < BOOKS; k++) {
        if (dp[last][k] < dp[last][best]) {
          best = k;
        }
      }
      for (int b = last; b >= base; b--) {
        book[b] = best;
        best = from[b][best];
      }
    }
  }

  /** Writes section_data, scale_factor_data, the pulse/tns/gain flags and spectral_data. */
  void writeBody(BitSink out) {
    IcsLayout layout = this.layout;
    int sectBits = layout.isShort() ? 3 : 5;
    int escape = (1 << sectBits) - 1;
    // section_data()
    for (int g = 0; g < layout.groupCount; g++) {
      int sfb = 0;
      while (sfb < layout.maxSfb) {
        int b0 = g * layout.maxSfb + sfb;
        int length = 1;
        while (sfb + length < layout.maxSfb && book[b0 + length] == book[b0]) {
          length++;
        }
        out.write(book[b0], 4); // sect_cb
        int remaining = length;
        while (remaining >= escape) {
          out.write(escape, sectBits); // sect_len_incr (escape)
          remaining -= escape;
        }
        out.write(remaining, sectBits); // sect_len_incr
        sfb += length;
      }
    }
    // scale_factor_data()
    int last = globalGain;
    int[] sfBook = Codebooks.scalefactor();
    for (int b = 0; b < layout.bandCount(); b++) {
      if (book[b] != 0) {
        out.writeEntry(sfBook[sf[b] - last + Codebooks.SCALEFACTOR_DIFF_OFFSET]);
        last = sf[b];
      }
    }
    out.write(0, 1); // pulse_data_present
    out.write(0, 1); // tns_data_present
    out.write(0, 1); // gain_control_data_present
    // spectral_data()
    for (int b = 0; b < layout.bandCount(); b++) {
      if (book[b] != 0) {
        int start = layout.start(b);
        writeBand(out, book[b], start, start + layout.width(b));
      }
    }
  }

  private void writeBand(BitSink out, int book, int start, int end) {
    int[] entries = Codebooks.spectrum(book);
    switch (book) {
      case 1:
      case 2:
        for (int i = start; i < end; i += 4) {
          out.writeEntry(
              entries[27 * quant[i] + 9 * quant[i + 1] + 3 * quant[i + 2] + quant[i + 3] + 40]);
        }
        return;
      case 3:
      case 4:
        for (int i = start; i < end; i += 4) {
          out.writeEntry(
              entries[
                  27 * Math.abs(quant[i])
                      + 9 * Math.abs(quant[i + 1])
                      + 3 * Math.abs(quant[i + 2])
                      + Math.abs(quant[i + 3])]);
          for (int j = i; j < i + 4; j++) {
            if (quant[j] != 0) {
              out.write(quant[j] < 0 ? 1 : 0, 1);
            }
          }
        }
        return;
      case 5:
      case 6:
        for (int i = start; i < end; i += 2) {
          out.writeEntry(entries[9 * quant[i] + quant[i + 1] + 40]);
        }
        return;
      default:
        int modulus = book < 9 ? 8 : book < 11 ? 13 : 17;
        for (int i = start; i < end; i += 2) {
          int a = Math.abs(quant[i]);
          int c = Math.abs(quant[i + 1]);
          out.writeEntry(entries[modulus * Math.min(a, 16) + Math.min(c, 16)]);
          if (a != 0) {
            out.write(quant[i] < 0 ? 1 : 0, 1);
          }
          if (c != 0) {
            out.write(quant[i + 1] < 0 ? 1 : 0, 1);
          }
          if (book == 11) {
            writeEscape(out, a);
            writeEscape(out, c);
          }
        }
    }
  }

  /** The escape sequence of 4.6.3.3: N ones, a zero, then N + 4 bits of value - 2^(N + 4). */
  private static void writeEscape(BitSink out, int value) {
    if (value < 16) {
      return;
    }
    int n = 31 - Integer.numberOfLeadingZeros(value) - 4;
    out.write((1 << (n + 1)) - 2, n + 1); // escape_prefix: n ones then a zero
    out.write(value - (1 << (n + 4)), n + 4); // escape_word
  }
}
