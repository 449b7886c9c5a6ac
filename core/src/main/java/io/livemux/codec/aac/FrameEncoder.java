package io.livemux.codec.aac;

/**
 * The engine of {@link AacEncoder}: turns 1024-sample blocks of PCM into raw AAC-LC frames
 * (ISO/IEC 14496-3 4.4.2.1 raw_data_block: one single_channel_element or channel_pair_element, a
 * fill_element when the bit reservoir overflows, the end element, byte alignment).
 *
 * <p>Per frame: window choice on detected attacks, MDCT, the masking thresholds of {@link
 * PsychoacousticModel}, per-band mid/side where it lowers the perceptual entropy, then {@link
 * QuantizationLoop}: the rate loop inside the distortion loop (ISO/IEC 13818-7 B.7), which fits
 * the frame to its share of the bit reservoir and measures each band's quantization noise against
 * its mask. This class then writes the elements the loop priced.
 *
 * <p>Frame {@code k} covers blocks {@code k - 1} and {@code k} (block -1 is the silence that makes
 * the 1024 priming samples); it is encoded when block {@code k + 1} arrives, because whether frame
 * {@code k + 1} needs short windows decides whether frame {@code k} ends in a start window.
 *
 * <p>Not thread-safe: owned by one encoder.
 */
final class FrameEncoder {
  static final int FRAME = 1024;
  private static final int ID_SCE = 0;
  private static final int ID_CPE = 1;
  private static final int ID_FIL = 6;
  private static final int ID_END = 7;
  /** 4.5.3.1: at most 6144 bits per channel in one raw_data_block. */
  static final int MAX_BITS_PER_CHANNEL = 6144;

  private final int channels;
  private final ScalefactorBands bands;
  private final PsychoacousticModel psy;
  private final TransientDetector transients = new TransientDetector();
  private final Mdct longMdct = new Mdct(2 * FRAME);
  private final Mdct shortMdct = new Mdct(256);
  private final Windows windows = new Windows();
  private final int longMaxSfb;
  private final int shortMaxSfb;
  private final double meanBitsPerFrame;
  private final int maxFrameBits;
  private final double reservoirCapacityBits;
  private double reservoirBits;

  /** Per channel: blocks k - 1, k and k + 1. */
  private final double[][] history;
  private int blocksSeen;
  private final int[] attack = {-1, -1, -1};
  private int previousSequence = IcsLayout.ONLY_LONG_SEQUENCE;

  private final double[] windowed = new double[2 * FRAME];
  private final double[] natural = new double[FRAME];
  private final double[] mix = new double[FRAME];
  private final double[][] spectrum;
  private final double[][] energy;
  private final double[][] threshold;
  private final boolean[] msUsed = new boolean[8 * 15 + 64];
  private final QuantizationLoop quantizer;
  private IcsLayout lastLayout;
  private final BitSink out = new BitSink();

  FrameEncoder(int sampleRateHz, int samplingFrequencyIndex, int channels, int bitrateBps) {
    this.channels = channels;
    this.bands = ScalefactorBands.forIndex(samplingFrequencyIndex);
    this.psy = new PsychoacousticModel(bands, sampleRateHz);
    double cutoffHz = cutoffHz(bitrateBps / channels, sampleRateHz);
    longMaxSfb = bandsBelow(bands.longOffsets(), cutoffHz, sampleRateHz, FRAME);
    shortMaxSfb = bandsBelow(bands.shortOffsets(), cutoffHz, sampleRateHz, 128);
    meanBitsPerFrame = (double) bitrateBps * FRAME / sampleRateHz;
    maxFrameBits = MAX_BITS_PER_CHANNEL * channels;
    reservoirCapacityBits = Math.max(0, maxFrameBits - meanBitsPerFrame);
    history = new double[channels][3 * FRAME];
    spectrum = new double[channels][FRAME];
    energy = new double[channels][8 * 15 + 64];
    threshold = new double[channels][8 * 15 + 64];
    quantizer = new QuantizationLoop(channels);
  }

  /** Audio bandwidth kept at a bitrate per channel: wider as bits allow, at most 20 kHz. */
  static double cutoffHz(int bitrateBpsPerChannel, int sampleRateHz) {
    double cutoff =
        Math.min(3000 + bitrateBpsPerChannel / 4.0, 13000 + bitrateBpsPerChannel / 16.0);
    return Math.max(4000, Math.min(cutoff, Math.min(20000, sampleRateHz / 2.0)));
  }

  private static int bandsBelow(int[] offsets, double cutoffHz, int sampleRateHz, int length) {
    int count = 0;
    while (count < offsets.length - 1
        && offsets[count] * sampleRateHz / (2.0 * length) < cutoffHz) {
      count++;
    }
    return count;
  }

  /**
   * Takes the next block ({@code block[channel][0..1024)}, 16-bit scale) and returns the frame it
   * completes, or null for the first block.
   */
  byte[] push(double[][] block) {
    for (int c = 0; c < channels; c++) {
      System.arraycopy(history[c], FRAME, history[c], 0, 2 * FRAME);
      System.arraycopy(block[c], 0, history[c], 2 * FRAME, FRAME);
    }
    for (int i = 0; i < FRAME; i++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += block[c][i];
      }
      mix[i] = sum;
    }
    attack[0] = attack[1];
    attack[1] = attack[2];
    attack[2] = transients.analyze(mix);
    blocksSeen++;
    if (blocksSeen < 2) {
      return null;
    }
    return encodeFrame();
  }

  /** The quantizer of the frames so far, holding the last frame's loops (for the tests). */
  QuantizationLoop quantizer() {
    return quantizer;
  }

  /** The last frame's coded spectrum of {@code channel} (mid/side where used), in layout order. */
  double[] spectrum(int channel) {
    return spectrum[channel];
  }

  /** The last frame's allowed noise energy (masking threshold) of each band of {@code channel}. */
  double[] threshold(int channel) {
    return threshold[channel];
  }

  /** Whether band {@code band} of the last (stereo) frame is mid/side coded. */
  boolean msUsed(int band) {
    return msUsed[band];
  }

  /** The last frame's layout. */
  IcsLayout layout() {
    return lastLayout;
  }

  /**
   * The attack position in frame coordinates (0..2048) if the frame covering blocks k - 1 and k
   * needs short windows, else -1.
   */
  private static int shortAttack(int attackPrevious, int attackCurrent) {
    if (attackCurrent >= 0 && attackCurrent < 640) {
      return FRAME + attackCurrent;
    }
    if (attackPrevious >= 384) {
      return attackPrevious;
    }
    return -1;
  }

  private byte[] encodeFrame() {
    // This frame covers blocks (attack[0] .. attack[1]); the next one blocks attack[1], attack[2].
    int thisAttack = shortAttack(attack[0], attack[1]);
    boolean nextShort = shortAttack(attack[1], attack[2]) >= 0;
    int sequence;
    if (thisAttack >= 0) {
      sequence = IcsLayout.EIGHT_SHORT_SEQUENCE;
    } else if (previousSequence == IcsLayout.EIGHT_SHORT_SEQUENCE) {
      sequence = nextShort ? IcsLayout.EIGHT_SHORT_SEQUENCE : IcsLayout.LONG_STOP_SEQUENCE;
    } else if (previousSequence == IcsLayout.LONG_START_SEQUENCE) {
      sequence = IcsLayout.EIGHT_SHORT_SEQUENCE;
    } else {
      sequence = nextShort ? IcsLayout.LONG_START_SEQUENCE : IcsLayout.ONLY_LONG_SEQUENCE;
    }
    previousSequence = sequence;
    IcsLayout layout;
    if (sequence == IcsLayout.EIGHT_SHORT_SEQUENCE) {
      layout = new IcsLayout(sequence, groups(thisAttack), shortMaxSfb, bands.shortOffsets());
    } else {
      layout = new IcsLayout(sequence, new int[] {1}, longMaxSfb, bands.longOffsets());
    }
    lastLayout = layout;
    for (int c = 0; c < channels; c++) {
      analyze(c, layout);
    }
    boolean anyMs = channels == 2 && decideMidSide(layout);
    int overhead = channels == 2 ? 3 + 4 + 1 + 2 : 3 + 4; // element id, tag, common_window, ms
    overhead += icsInfoBits(layout) + 3 /* ID_END */;
    if (anyMs) {
      overhead += layout.bandCount();
    }
    double budgetSlack = reservoirBits * (layout.isShort() ? 0.8 : 0.3);
    int budget = (int) Math.min(maxFrameBits - 8, meanBitsPerFrame + budgetSlack) - 7;
    quantizer.run(layout, spectrum, energy, threshold, channels == 2 ? msUsed : null,
        budget - overhead);
    return writeFrame(layout, anyMs);
  }

  /**
   * Window groups: the windows wholly before the attack share one group, each window that contains
   * the attack (usually two: window w spans 448 + 128 w .. 704 + 128 w) is a group of its own, and
   * the windows after them share the last group.
   */
  static int[] groups(int attackPosition) {
    int first = 0;
    while (first < 7 && 704 + 128 * first <= attackPosition) {
      first++;
    }
    int last = first;
    while (last < 7 && 448 + 128 * (last + 1) <= attackPosition) {
      last++;
    }
    int[] lengths = new int[8];
    int count = 0;
    if (first > 0) {
      lengths[count++] = first;
    }
    for (int w = first; w <= last; w++) {
      lengths[count++] = 1;
    }
    if (last < 7) {
      lengths[count++] = 7 - last;
    }
    return java.util.Arrays.copyOf(lengths, count);
  }

  private static int icsInfoBits(IcsLayout layout) {
    return layout.isShort() ? 1 + 2 + 1 + 4 + 7 : 1 + 2 + 1 + 6 + 1;
  }

  private void analyze(int c, IcsLayout layout) {
    double[] input = history[c];
    if (layout.isShort()) {
      double[] shortWindow = windows.shortSine();
      for (int w = 0; w < 8; w++) {
        int base = 448 + 128 * w;
        for (int i = 0; i < 256; i++) {
          windowed[i] = input[base + i] * shortWindow[i];
        }
        shortMdct.forward(windowed, 0, natural, 128 * w);
      }
    } else {
      double[] window = windows.longWindow(layout.windowSequence);
      for (int i = 0; i < 2 * FRAME; i++) {
        windowed[i] = input[i] * window[i];
      }
      longMdct.forward(windowed, 0, natural, 0);
    }
    layout.interleave(natural, spectrum[c]);
    psy.analyze(layout, spectrum[c], energy[c], threshold[c]);
  }

  /** M/S per band (4.6.8.1) where it lowers the perceptual entropy; transforms those bands. */
  private boolean decideMidSide(IcsLayout layout) {
    boolean any = false;
    double[] left = spectrum[0];
    double[] right = spectrum[1];
    for (int b = 0; b < layout.bandCount(); b++) {
      int start = layout.start(b);
      int end = start + layout.width(b);
      double mid = 0;
      double side = 0;
      for (int i = start; i < end; i++) {
        double m = (left[i] + right[i]) * 0.5;
        double s = (left[i] - right[i]) * 0.5;
        mid += m * m;
        side += s * s;
      }
      double tl = threshold[0][b];
      double tr = threshold[1][b];
      double tms = Math.min(tl, tr) * 0.5;
      double peLr = log2(1 + energy[0][b] / tl) + log2(1 + energy[1][b] / tr);
      double peMs = log2(1 + mid / tms) + log2(1 + side / tms);
      msUsed[b] = peMs < peLr;
      if (msUsed[b]) {
        any = true;
        for (int i = start; i < end; i++) {
          double l = left[i];
          double r = right[i];
          left[i] = (l + r) * 0.5;
          right[i] = (l - r) * 0.5;
        }
        energy[0][b] = mid;
        energy[1][b] = side;
        threshold[0][b] = tms;
        threshold[1][b] = tms;
      }
    }
    return any;
  }

  private static double log2(double x) {
    return Math.log(x) * 1.4426950408889634;
  }

  private byte[] writeFrame(IcsLayout layout, boolean anyMs) {
    out.reset();
    if (channels == 1) {
      out.write(ID_SCE, 3); // id_syn_ele
      out.write(0, 4); // element_instance_tag
      writeIcs(layout, quantizer.coder(0), false);
    } else {
      out.write(ID_CPE, 3); // id_syn_ele
      out.write(0, 4); // element_instance_tag
      out.write(1, 1); // common_window
      writeIcsInfo(layout);
      out.write(anyMs ? 1 : 0, 2); // ms_mask_present
      if (anyMs) {
        for (int b = 0; b < layout.bandCount(); b++) {
          out.write(msUsed[b] ? 1 : 0, 1); // ms_used[g][sfb]
        }
      }
      writeIcs(layout, quantizer.coder(0), true);
      writeIcs(layout, quantizer.coder(1), true);
    }
    // Bit reservoir: bits left unused beyond its capacity are spent on a fill_element.
    int bitsSoFar = out.bitCount() + 3;
    double level = reservoirBits + meanBitsPerFrame - roundUpToBytes(bitsSoFar);
    if (level > reservoirCapacityBits) {
      int fillBytes = (int) Math.ceil((level - reservoirCapacityBits) / 8);
      writeFill(fillBytes);
    }
    out.write(ID_END, 3);
    out.alignWithZeros();
    int used = out.bitCount();
    if (used > maxFrameBits) {
      // Unreachable: the offset search ends at all-zero spectra, a few dozen bits.
      throw new IllegalStateException("frame of " + used + " bits > " + maxFrameBits);
    }
    reservoirBits =
        Math.max(0, Math.min(reservoirCapacityBits, reservoirBits + meanBitsPerFrame - used));
    return out.toByteArray();
  }

  private static int roundUpToBytes(int bits) {
    return (bits + 7) & ~7;
  }

  /** fill_element()s (4.4.2.7) carrying EXT_FILL payloads, about {@code bytes} bytes in all. */
  private void writeFill(int bytes) {
    int remaining = bytes;
    while (remaining > 0) {
      // Each element: 3 + 4 (+ 8) header bits, then count bytes of extension_payload.
      int count = Math.min(remaining, 14 + 255);
      remaining -= count + (count >= 15 ? 2 : 1);
      out.write(ID_FIL, 3);
      if (count >= 15) {
        out.write(15, 4); // count
        out.write(count - 15 + 1, 8); // esc_count
      } else {
        out.write(count, 4); // count
      }
      out.write(0, 4); // extension_type: EXT_FILL
      out.write(0, 4); // fill_nibble
      for (int i = 1; i < count; i++) {
        out.write(0xA5, 8); // fill_byte: 10100101
      }
    }
  }

  private void writeIcsInfo(IcsLayout layout) {
    out.write(0, 1); // ics_reserved_bit
    out.write(layout.windowSequence, 2); // window_sequence
    out.write(0, 1); // window_shape: sine
    if (layout.isShort()) {
      out.write(layout.maxSfb, 4); // max_sfb
      out.write(layout.scaleFactorGrouping(), 7); // scale_factor_grouping
    } else {
      out.write(layout.maxSfb, 6); // max_sfb
      out.write(0, 1); // predictor_data_present
    }
  }

  private void writeIcs(IcsLayout layout, IcsCoder coder, boolean commonWindow) {
    out.write(coder.globalGain, 8); // global_gain
    if (!commonWindow) {
      writeIcsInfo(layout);
    }
    coder.writeBody(out);
  }
}
