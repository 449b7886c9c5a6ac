package io.livemux.codec.aac;

/**
 * How one frame's 1024 spectral coefficients are laid out for coding (ISO/IEC 14496-3 4.5.2.3 and
 * 4.6.2.3 ics_info): the window sequence, the window groups and the coding bands. For eight short
 * windows the spectrum is held grouped and interleaved as the standard's spectral_data() reads it:
 * group after group, within a group band after band, within a band window after window. Band
 * {@code (g, sfb)} then occupies {@code [start(g, sfb), start(g, sfb) + width(g, sfb))}.
 *
 * <p>Immutable.
 */
final class IcsLayout {
  static final int ONLY_LONG_SEQUENCE = 0;
  static final int LONG_START_SEQUENCE = 1;
  static final int EIGHT_SHORT_SEQUENCE = 2;
  static final int LONG_STOP_SEQUENCE = 3;

  final int windowSequence;
  /** num_window_groups: 1 for long windows. */
  final int groupCount;
  /** window_group_length[g]. */
  final int[] groupLength;
  /** First window of each group. */
  final int[] groupFirstWindow;
  /** max_sfb. */
  final int maxSfb;
  /** swb_offset of the window length in use. */
  final int[] swbOffsets;
  private final int[] start;

  IcsLayout(int windowSequence, int[] groupLength, int maxSfb, int[] swbOffsets) {
    this.windowSequence = windowSequence;
    this.groupCount = groupLength.length;
    this.groupLength = groupLength.clone();
    this.maxSfb = maxSfb;
    this.swbOffsets = swbOffsets;
    int windowLength = windowSequence == EIGHT_SHORT_SEQUENCE ? 128 : 1024;
    groupFirstWindow = new int[groupCount];
    start = new int[groupCount * maxSfb];
    int window = 0;
    for (int g = 0; g < groupCount; g++) {
      groupFirstWindow[g] = window;
      for (int sfb = 0; sfb < maxSfb; sfb++) {
        start[g * maxSfb + sfb] = window * windowLength + swbOffsets[sfb] * groupLength[g];
      }
      window += groupLength[g];
    }
  }

  boolean isShort() {
    return windowSequence == EIGHT_SHORT_SEQUENCE;
  }

  /** Bands to code: {@code groupCount * maxSfb}, indexed {@code g * maxSfb + sfb}. */
  int bandCount() {
    return groupCount * maxSfb;
  }

  int start(int band) {
    return start[band];
  }

  int width(int band) {
    int sfb = band % maxSfb;
    return (swbOffsets[sfb + 1] - swbOffsets[sfb]) * groupLength[band / maxSfb];
  }

  /** scale_factor_grouping: bit 6 - (w - 1) set when window w continues the group of w - 1. */
  int scaleFactorGrouping() {
    int bits = 0;
    int window = 0;
    for (int g = 0; g < groupCount; g++) {
      for (int i = 0; i < groupLength[g]; i++) {
        if (window > 0) {
          bits = (bits << 1) | (i > 0 ? 1 : 0);
        }
        window++;
      }
    }
    return bits;
  }

  /**
   * Reorders eight short spectra ({@code natural[w * 128 + k]}) into this layout's grouped,
   * interleaved order; long spectra are copied as they are.
   */
  void interleave(double[] natural, double[] grouped) {
    if (!isShort()) {
      System.arraycopy(natural, 0, grouped, 0, 1024);
      return;
    }
    int position = 0;
    for (int g = 0; g < groupCount; g++) {
      int first = groupFirstWindow[g];
      for (int sfb = 0; sfb < swbOffsets.length - 1; sfb++) {
        for (int w = first; w < first + groupLength[g]; w++) {
          for (int k = swbOffsets[sfb]; k < swbOffsets[sfb + 1]; k++) {
            grouped[position++] = natural[w * 128 + k];
          }
        }
      }
    }
  }
}
