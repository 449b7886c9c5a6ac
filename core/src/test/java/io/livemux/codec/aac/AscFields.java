package io.livemux.codec.aac;

import io.livemux.bitstream.BitWriter;

/**
 * The fields of an AudioSpecificConfig, encoded here independently of the class under test,
 * straight from ISO/IEC 14496-3 1.6.2.1, GASpecificConfig (4.4.1) and ELDSpecificConfig (4.4.1.1).
 */
final class AscFields {
  static final int[] RATES_HZ = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };
  static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8, -1, -1, -1, 7, 8, 24, 8, -1};

  static final int SBR_NONE = 0;
  static final int SBR_EXPLICIT = 1;
  static final int PS_EXPLICIT = 2;
  static final int SBR_ABSENT_BACKWARD_COMPATIBLE = 3;
  static final int SBR_BACKWARD_COMPATIBLE = 4;
  static final int SBR_PS_BACKWARD_COMPATIBLE = 5;

  int coreAot = 2;
  int sfi = 4;
  int explicitRateHz;
  int channelConfiguration = 2;
  boolean frameLengthFlag;
  boolean dependsOnCoreCoder;
  int coreCoderDelay;
  boolean extensionFlag;
  int resilienceFlags;
  int epConfig;
  int sbrMode;
  boolean psFlag;
  int extSfi;
  int extExplicitRateHz;

  /**
   * Generator inputs: extension rate over core rate (1 or 2), and whether to write it explicitly.
   */
  int extRatio = 1;

  boolean extForceExplicit;

  int coreRateHz() {
    return sfi == 15 ? explicitRateHz : RATES_HZ[sfi];
  }

  int extRateHz() {
    return extSfi == 15 ? extExplicitRateHz : RATES_HZ[extSfi];
  }

  boolean sbr() {
    return sbrMode == SBR_EXPLICIT || sbrMode == PS_EXPLICIT || sbrMode >= SBR_BACKWARD_COMPATIBLE;
  }

  boolean ps() {
    return sbrMode == PS_EXPLICIT || (sbrMode == SBR_PS_BACKWARD_COMPATIBLE && psFlag);
  }

  boolean errorResilient() {
    return coreAot == 17 || coreAot == 19 || coreAot == 23 || coreAot == 39;
  }

  int expectedSampleRateHz() {
    return sbr() ? extRateHz() : coreRateHz();
  }

  int expectedChannelCount() {
    return ps() && channelConfiguration == 1 ? 2 : CHANNELS[channelConfiguration];
  }

  int expectedAudioObjectType() {
    return ps() ? 29 : sbr() ? 5 : coreAot;
  }

  int expectedSamplesPerFrame() {
    int base =
        coreAot == 23 || coreAot == 39
            ? (frameLengthFlag ? 480 : 512)
            : (frameLengthFlag ? 960 : 1024);
    return sbr() && extRateHz() != coreRateHz() ? 2 * base : base;
  }

  byte[] encode() {
    BitWriter w = new BitWriter();
    writeAot(w, sbrMode == SBR_EXPLICIT ? 5 : sbrMode == PS_EXPLICIT ? 29 : coreAot);
    writeRate(w, sfi, explicitRateHz);
    w.writeBits(channelConfiguration, 4);
    if (sbrMode == SBR_EXPLICIT || sbrMode == PS_EXPLICIT) {
      writeRate(w, extSfi, extExplicitRateHz);
      writeAot(w, coreAot);
    }
    if (coreAot == 39) {
      w.writeFlag(frameLengthFlag).writeBits(resilienceFlags, 3).writeFlag(false).writeBits(0, 4);
    } else {
      w.writeFlag(frameLengthFlag).writeFlag(dependsOnCoreCoder);
      if (dependsOnCoreCoder) {
        w.writeBits(coreCoderDelay, 14);
      }
      w.writeFlag(extensionFlag);
      if (extensionFlag) {
        if (errorResilient()) {
          w.writeBits(resilienceFlags, 3);
        }
        w.writeFlag(false);
      }
    }
    if (errorResilient()) {
      w.writeBits(epConfig, 2);
    }
    if (sbrMode >= SBR_ABSENT_BACKWARD_COMPATIBLE) {
      w.writeBits(0x2b7, 11);
      writeAot(w, 5);
      w.writeFlag(sbrMode >= SBR_BACKWARD_COMPATIBLE);
      if (sbrMode >= SBR_BACKWARD_COMPATIBLE) {
        writeRate(w, extSfi, extExplicitRateHz);
        if (sbrMode == SBR_PS_BACKWARD_COMPATIBLE) {
          w.writeBits(0x548, 11).writeFlag(psFlag);
        }
      }
    }
    return w.alignWithZeros().toByteArray();
  }

  static void writeAot(BitWriter w, int aot) {
    if (aot >= 31) {
      w.writeBits(31, 5).writeBits(aot - 32, 6);
    } else {
      w.writeBits(aot, 5);
    }
  }

  private static void writeRate(BitWriter w, int index, int explicitRateHz) {
    w.writeBits(index, 4);
    if (index == 15) {
      w.writeBits(explicitRateHz, 24);
    }
  }

  @Override
  public String toString() {
    return "AscFields{aot "
        + coreAot
        + ", sfi "
        + sfi
        + (sfi == 15 ? " (" + explicitRateHz + " Hz)" : "")
        + ", ch "
        + channelConfiguration
        + ", fl "
        + frameLengthFlag
        + ", core "
        + dependsOnCoreCoder
        + "/"
        + coreCoderDelay
        + ", ext "
        + extensionFlag
        + ", res "
        + resilienceFlags
        + ", ep "
        + epConfig
        + ", sbrMode "
        + sbrMode
        + ", ps "
        + psFlag
        + ", extSfi "
        + extSfi
        + (extSfi == 15 ? " (" + extExplicitRateHz + " Hz)" : "")
        + "}";
  }
}
