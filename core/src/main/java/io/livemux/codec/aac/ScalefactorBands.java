package io.livemux.codec.aac;

/**
 * Scalefactor band offsets (ISO/IEC 14496-3 4.5.4, Tables 4.129 to 4.147) for 1024-sample long
 * windows and 128-sample short windows at the rates this encoder accepts, 8 to 48 kHz. Immutable.
 */
final class ScalefactorBands {
  /** Band widths, long windows, 48 and 44.1 kHz (Table 4.129): 49 bands. */
  private static final int[] LONG_48 = {
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 20, 20, 24, 24, 28,
    28, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 96
  };
  /** Long windows, 32 kHz (Table 4.129): 51 bands. */
  private static final int[] LONG_32 = {
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 20, 20, 24, 24, 28,
    28, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32
  };
  /** Long windows, 24 and 22.05 kHz (Table 4.131): 47 bands. */
  private static final int[] LONG_24 = {
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 16, 20,
    20, 24, 24, 28, 28, 32, 36, 36, 40, 44, 48, 52, 52, 64, 64, 64, 64, 64
  };
  /** Long windows, 16, 12 and 11.025 kHz (Table 4.133): 43 bands. */
  private static final int[] LONG_16 = {
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 12, 12, 12, 12, 12, 16, 16, 16, 16, 20, 20, 20,
    24, 24, 28, 28, 32, 36, 40, 40, 44, 48, 52, 56, 60, 64, 64, 64
  };
  /** Long windows, 8 kHz (Table 4.135): 40 bands. */
  private static final int[] LONG_8 = {
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 16, 16, 16, 16, 16, 16, 16, 20, 20, 20, 20,
    24, 24, 24, 28, 28, 32, 36, 36, 40, 44, 48, 52, 56, 60, 64, 80
  };
  /** Short windows, 32 to 48 kHz (Table 4.130): 14 bands. */
  private static final int[] SHORT_48 = {4, 4, 4, 4, 4, 8, 8, 8, 12, 12, 12, 16, 16, 16};
  /** Short windows, 22.05 and 24 kHz (Table 4.132): 15 bands. */
  private static final int[] SHORT_24 = {4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 12, 12, 16, 16, 20};
  /** Short windows, 11.025 to 16 kHz (Table 4.134): 15 bands. */
  private static final int[] SHORT_16 = {4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 12, 12, 16, 20, 20};
  /** Short windows, 8 kHz (Table 4.136): 15 bands. */
  private static final int[] SHORT_8 = {4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 12, 16, 20, 20};

  private final int[] longOffsets;
  private final int[] shortOffsets;

  private ScalefactorBands(int[] longWidths, int[] shortWidths) {
    this.longOffsets = offsets(longWidths);
    this.shortOffsets = offsets(shortWidths);
  }

  /** The bands of {@code samplingFrequencyIndex} 3 (48 kHz) .. 11 (8 kHz). */
  static ScalefactorBands forIndex(int samplingFrequencyIndex) {
    switch (samplingFrequencyIndex) {
      case 3:
      case 4:
        return new ScalefactorBands(LONG_48, SHORT_48);
      case 5:
        return new ScalefactorBands(LONG_32, SHORT_48);
      case 6:
      case 7:
        return new ScalefactorBands(LONG_24, SHORT_24);
      case 8:
      case 9:
      case 10:
        return new ScalefactorBands(LONG_16, SHORT_16);
      case 11:
        return new ScalefactorBands(LONG_8, SHORT_8);
      default:
        throw new IllegalArgumentException(
            "samplingFrequencyIndex out of range 3..11: " + samplingFrequencyIndex);
    }
  }

  private static int[] offsets(int[] widths) {
    int[] offsets = new int[widths.length + 1];
    for (int i = 0; i < widths.length; i++) {
      offsets[i + 1] = offsets[i] + widths[i];
    }
    return offsets;
  }

  /** num_swb_long_window. */
  int longCount() {
    return longOffsets.length - 1;
  }

  /** num_swb_short_window. */
  int shortCount() {
    return shortOffsets.length - 1;
  }

  /** swb_offset_long_window: {@link #longCount()} + 1 entries ending at 1024. Never modify. */
  int[] longOffsets() {
    return longOffsets;
  }

  /** swb_offset_short_window: {@link #shortCount()} + 1 entries ending at 128. Never modify. */
  int[] shortOffsets() {
    return shortOffsets;
  }
}
