package io.livemux.codec.aac;

/**
 * A spreading-function masking model over scalefactor bands: each band's energy masks its
 * neighbours through a two-slope spreading function on the Bark scale (steep towards lower bands,
 * shallow towards higher ones, as in ISO/IEC 11172-3 psychoacoustic model 2 and 14496-3 Annex
 * 4.B.2 in simplified form), lowered by a signal-to-mask offset and floored by the absolute
 * threshold of hearing (Terhardt's approximation, full scale taken as 96 dB SPL).
 *
 * <p>Not thread-safe (scratch buffers): one per encoder.
 */
final class PsychoacousticModel {
  /** Spreading towards higher bands, dB per Bark. */
  private static final double SLOPE_UP_DB = 15;
  /** Spreading towards lower bands, dB per Bark. */
  private static final double SLOPE_DOWN_DB = 27;
  /** How far below the spread energy the mask lies. */
  private static final double MASK_OFFSET_DB = 18;
  /** Energy of a coefficient of a full-scale sine in a long window, over 96 dB SPL, in dB. */
  private static final double LONG_SPL_TO_ENERGY_DB = 56.6;
  /** The same for a short window: eight times smaller amplitudes. */
  private static final double SHORT_SPL_TO_ENERGY_DB = LONG_SPL_TO_ENERGY_DB - 18.06;
  /**
   * Highest absolute threshold used, dB SPL: Terhardt's curve climbs past 100 dB near 18 kHz, which
   * would silence the top octave outright; young listeners hear it, so it is capped.
   */
  private static final double ATH_CEILING_DB = 40;

  private final double[][] longSpread;
  private final double[] longAth;
  private final double[][] shortSpread;
  private final double[] shortAth;
  private final double[] spread = new double[128];

  PsychoacousticModel(ScalefactorBands bands, int sampleRateHz) {
    longSpread = spreading(bands.longOffsets(), sampleRateHz, 1024);
    longAth = ath(bands.longOffsets(), sampleRateHz, 1024, LONG_SPL_TO_ENERGY_DB);
    shortSpread = spreading(bands.shortOffsets(), sampleRateHz, 128);
    shortAth = ath(bands.shortOffsets(), sampleRateHz, 128, SHORT_SPL_TO_ENERGY_DB);
  }

  private static double bark(double hz) {
    return 13 * Math.atan(0.00076 * hz) + 3.5 * Math.atan((hz / 7500) * (hz / 7500));
  }

  private static double[][] spreading(int[] offsets, int sampleRateHz, int windowLength) {
    int count = offsets.length - 1;
    double[] z = new double[count];
    for (int b = 0; b < count; b++) {
      z[b] = bark((offsets[b] + offsets[b + 1]) * 0.5 * sampleRateHz / (2.0 * windowLength));
    }
    double[][] spread = new double[count][count];
    for (int masker = 0; masker < count; masker++) {
      for (int maskee = 0; maskee < count; maskee++) {
        double dz = z[maskee] - z[masker];
        double db = dz >= 0 ? -SLOPE_UP_DB * dz : SLOPE_DOWN_DB * dz;
        spread[masker][maskee] = Math.pow(10, (db - MASK_OFFSET_DB) / 10);
      }
    }
    return spread;
  }

  private static double[] ath(
      int[] offsets, int sampleRateHz, int windowLength, double toEnergyDb) {
    int count = offsets.length - 1;
    double[] ath = new double[count];
    for (int b = 0; b < count; b++) {
      double lowest = Double.MAX_VALUE;
      for (int k = offsets[b]; k < offsets[b + 1]; k++) {
        double khz = Math.max(0.02, (k + 0.5) * sampleRateHz / (2.0 * windowLength) / 1000);
        double db =
            3.64 * Math.pow(khz, -0.8)
                - 6.5 * Math.exp(-0.6 * (khz - 3.3) * (khz - 3.3))
                + 1e-3 * Math.pow(khz, 4);
        lowest = Math.min(lowest, Math.min(db, ATH_CEILING_DB));
      }
      // 6 dB of margin: playback may be louder than the assumed 96 dB SPL for full scale.
      ath[b] = Math.pow(10, (lowest - 6 + toEnergyDb) / 10) * (offsets[b + 1] - offsets[b]);
    }
    return ath;
  }

  /**
   * Fills {@code energy} and {@code threshold} (allowed noise energy) for every band of {@code
   * layout} from its (grouped) {@code spectrum}. Band energies of a group are summed over its
   * windows; its threshold is scaled the same way.
   */
  void analyze(IcsLayout layout, double[] spectrum, double[] energy, double[] threshold) {
    boolean isShort = layout.isShort();
    double[][] spreadMatrix = isShort ? shortSpread : longSpread;
    double[] ath = isShort ? shortAth : longAth;
    int maxSfb = layout.maxSfb;
    for (int g = 0; g < layout.groupCount; g++) {
      int base = g * maxSfb;
      for (int sfb = 0; sfb < maxSfb; sfb++) {
        int start = layout.start(base + sfb);
        int end = start + layout.width(base + sfb);
        double e = 0;
        for (int i = start; i < end; i++) {
          e += spectrum[i] * spectrum[i];
        }
        energy[base + sfb] = e;
        spread[sfb] = 0;
      }
      for (int masker = 0; masker < maxSfb; masker++) {
        double e = energy[base + masker];
        if (e == 0) {
          continue;
        }
        double[] row = spreadMatrix[masker];
        for (int maskee = 0; maskee < maxSfb; maskee++) {
          spread[maskee] += e * row[maskee];
        }
      }
      for (int sfb = 0; sfb < maxSfb; sfb++) {
        threshold[base + sfb] = Math.max(spread[sfb], ath[sfb] * layout.groupLength[g]);
      }
    }
  }
}
