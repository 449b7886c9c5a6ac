package io.livemux.codec.aac;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import io.livemux.bitstream.BitWriter;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The MPEG-4 AudioSpecificConfig of an AAC stream (ISO/IEC 14496-3 1.6.2.1): what MP4 carries in
 * the {@code esds} DecoderSpecificInfo, RTMP in the AAC sequence header and Android in {@code
 * csd-0}.
 *
 * <h2>What is understood</h2>
 *
 * <ul>
 *   <li>{@code audioObjectType} with the escape (5 bits; 31 means 32 + 6 more bits), 1.6.2.1;
 *   <li>{@code samplingFrequencyIndex} 0..12 (Table 1.18) or 0xF with an explicit 24-bit {@code
 *       samplingFrequency};
 *   <li>{@code channelConfiguration} 1..7 and 11..14 (Table 1.19). Configuration 0, channels given
 *       by a {@code program_config_element}, is <b>refused</b>, as are the reserved values;
 *   <li>the core object types 1 (AAC Main), 2 (AAC LC), 3 (AAC SSR), 4 (AAC LTP) with
 *       GASpecificConfig (4.4.1: {@code frameLengthFlag}, {@code dependsOnCoreCoder} and its {@code
 *       coreCoderDelay}, {@code extensionFlag}), 17 (ER AAC LC), 19 (ER AAC LTP) and 23 (ER AAC LD)
 *       with their resilience flags, and 39 (ER AAC ELD) with ELDSpecificConfig when it has no
 *       LD-SBR and no extensions; for the ER types {@code epConfig} 0 or 1. Every other object type
 *       is refused naming its number;
 *   <li>SBR and PS (HE-AAC, HE-AAC v2) over an AAC Main/LC/SSR/LTP core, both as explicit
 *       hierarchical signalling (object type 5 or 29 first, then the extension sampling frequency,
 *       then the core) and as backward-compatible signalling (the {@code 0x2b7} sync extension
 *       after the core config, and {@code 0x548} for PS), including the "SBR absent" form that
 *       ffmpeg's encoder writes. Without either, SBR and PS are reported absent, though a decoder
 *       may still find them implicitly in the payload.
 * </ul>
 *
 * <p>Bits after the last field understood (byte padding, an unknown sync extension) are ignored.
 *
 * <h2>Values</h2>
 *
 * {@link #toBytes()} encodes the fields above and pads with zero bits to a byte boundary, so it
 * returns the parsed bytes whenever they held nothing ignored. Two configs are equal when they
 * encode to the same bytes: the same stream described with and without the backward-compatible "SBR
 * absent" extension gives two unequal configs, as it gives two different {@code esds} boxes.
 *
 * <p>The reported rate, channel count and frame size are what a decoder outputs: with SBR the
 * extension sampling frequency and twice the core frame, with PS over a mono core two channels.
 * {@link #coreAudioObjectType()} and {@link #samplingFrequencyIndex()} describe the core, which is
 * what an ADTS header carries.
 *
 * <p>Immutable and thread-safe; parsing copies what it keeps and leaves the source buffer alone.
 */
public final class AudioSpecificConfig {
  /** Table 1.18: sampling frequency in Hz by {@code samplingFrequencyIndex}; 13, 14 reserved. */
  private static final int[] SAMPLING_FREQUENCIES_HZ = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  /**
   * Table 1.19: output channels by {@code channelConfiguration}; 0 = PCE (refused), -1 = reserved.
   */
  private static final int[] CHANNELS_BY_CONFIGURATION = {
    0, 1, 2, 3, 4, 5, 6, 8, -1, -1, -1, 7, 8, 24, 8, -1
  };

  static final int ESCAPE_SAMPLING_FREQUENCY_INDEX = 0xF;
  private static final int MAX_EXPLICIT_FREQUENCY_HZ = 0xFF_FFFF;
  private static final int AOT_ESCAPE = 31;
  private static final int AOT_SBR = 5;
  private static final int AOT_PS = 29;
  private static final int AOT_ER_AAC_LD = 23;
  private static final int AOT_ER_AAC_ELD = 39;

  /** 1.6.2.1 syncExtensionType values of the backward-compatible SBR and PS signalling. */
  private static final int SYNC_EXTENSION_SBR = 0x2b7;

  private static final int SYNC_EXTENSION_PS = 0x548;

  private static final int SIGNALLING_NONE = 0;
  private static final int SIGNALLING_EXPLICIT = 1;
  private static final int SIGNALLING_BACKWARD_COMPATIBLE = 2;

  private final int coreObjectType;
  private final int samplingFrequencyIndex;
  private final int coreSampleRateHz;
  private final int channelConfiguration;
  private final boolean frameLengthFlag;
  private final boolean dependsOnCoreCoder;
  private final int coreCoderDelay;
  private final boolean extensionFlag;

  /** aacSection/Scalefactor/SpectralDataResilienceFlag, in that order from bit 2 down. */
  private final int resilienceFlags;

  private final int epConfig;
  private final int sbrSignalling;
  private final boolean sbrPresent;
  private final boolean psPresent;

  /** Backward-compatible signalling only: whether the 0x548 PS sync extension is written. */
  private final boolean psSignalled;

  private final int extensionSamplingFrequencyIndex;
  private final int extensionSampleRateHz;
  private final byte[] bytes;

  private AudioSpecificConfig(
      int coreObjectType,
      int samplingFrequencyIndex,
      int coreSampleRateHz,
      int channelConfiguration,
      boolean frameLengthFlag,
      boolean dependsOnCoreCoder,
      int coreCoderDelay,
      boolean extensionFlag,
      int resilienceFlags,
      int epConfig,
      int sbrSignalling,
      boolean sbrPresent,
      boolean psPresent,
      boolean psSignalled,
      int extensionSamplingFrequencyIndex,
      int extensionSampleRateHz) {
    this.coreObjectType = coreObjectType;
    this.samplingFrequencyIndex = samplingFrequencyIndex;
    this.coreSampleRateHz = coreSampleRateHz;
    this.channelConfiguration = channelConfiguration;
    this.frameLengthFlag = frameLengthFlag;
    this.dependsOnCoreCoder = dependsOnCoreCoder;
    this.coreCoderDelay = dependsOnCoreCoder ? coreCoderDelay : 0;
    this.extensionFlag = extensionFlag;
    this.resilienceFlags = resilienceFlags;
    this.epConfig = epConfig;
    this.sbrSignalling = sbrSignalling;
    this.sbrPresent = sbrPresent;
    this.psPresent = psPresent;
    this.psSignalled = psSignalled;
    this.extensionSamplingFrequencyIndex = sbrPresent ? extensionSamplingFrequencyIndex : 0;
    this.extensionSampleRateHz = sbrPresent ? extensionSampleRateHz : 0;
    this.bytes = encode();
  }

  /**
   * Parses the remaining bytes of {@code data}, which must hold exactly one AudioSpecificConfig
   * (the contents of a DecoderSpecificInfo: its length decides whether the backward-compatible SBR
   * extension is there). The buffer's position is not moved.
   *
   * @throws LivemuxException if the config is truncated, malformed or outside what this class
   *     understands (see the class description); the message names the field and its value
   */
  public static AudioSpecificConfig parse(ByteBuffer data) throws LivemuxException {
    long totalBits = 8L * data.remaining();
    BitReader reader = BitReader.of(data);
    int firstObjectType = readAudioObjectType(reader, "audioObjectType");
    int samplingFrequencyIndex = reader.readInt(4, "samplingFrequencyIndex");
    int coreSampleRateHz = readSampleRate(reader, samplingFrequencyIndex, "samplingFrequency");
    int channelConfiguration = reader.readInt(4, "channelConfiguration");
    checkChannelConfiguration(channelConfiguration);

    int signalling = SIGNALLING_NONE;
    boolean sbrPresent = false;
    boolean psPresent = false;
    boolean psSignalled = false;
    int extensionIndex = 0;
    int extensionRateHz = 0;
    int coreObjectType = firstObjectType;
    if (firstObjectType == AOT_SBR || firstObjectType == AOT_PS) {
      // Explicit hierarchical signalling (1.6.5.2): the extension rate, then the core's type.
      signalling = SIGNALLING_EXPLICIT;
      sbrPresent = true;
      psPresent = firstObjectType == AOT_PS;
      extensionIndex = reader.readInt(4, "extensionSamplingFrequencyIndex");
      extensionRateHz = readSampleRate(reader, extensionIndex, "extensionSamplingFrequency");
      coreObjectType = readAudioObjectType(reader, "audioObjectType (SBR core)");
    }
    checkCoreObjectType(coreObjectType, sbrPresent);

    boolean frameLengthFlag;
    boolean dependsOnCoreCoder = false;
    int coreCoderDelay = 0;
    boolean extensionFlag = false;
    int resilienceFlags = 0;
    if (coreObjectType == AOT_ER_AAC_ELD) {
      // ELDSpecificConfig (4.4.1.1, Table 4.180).
      frameLengthFlag = reader.readFlag("frameLengthFlag");
      resilienceFlags = reader.readInt(3, "aac*DataResilienceFlags");
      if (reader.readFlag("ldSbrPresentFlag")) {
        throw new LivemuxException("ER AAC ELD with LD-SBR (ldSbrPresentFlag 1) is not supported");
      }
      int eldExtType = reader.readInt(4, "eldExtType");
      if (eldExtType != 0) {
        throw new LivemuxException(
            "ER AAC ELD extensions are not supported: eldExtType "
                + eldExtType
                + " (only ELDEXT_TERM 0)");
      }
    } else {
      // GASpecificConfig (4.4.1, Table 4.1).
      frameLengthFlag = reader.readFlag("frameLengthFlag");
      dependsOnCoreCoder = reader.readFlag("dependsOnCoreCoder");
      if (dependsOnCoreCoder) {
        coreCoderDelay = reader.readInt(14, "coreCoderDelay");
      }
      extensionFlag = reader.readFlag("extensionFlag");
      // channelConfiguration 0 (program_config_element) was refused above.
      if (extensionFlag) {
        if (isErrorResilient(coreObjectType)) {
          resilienceFlags = reader.readInt(3, "aac*DataResilienceFlags");
        }
        if (reader.readFlag("extensionFlag3")) {
          throw new LivemuxException(
              "GASpecificConfig extensionFlag3 1 (version 3 syntax) is not supported");
        }
      }
    }
    int epConfig = 0;
    if (isErrorResilient(coreObjectType)) {
      epConfig = reader.readInt(2, "epConfig");
      if (epConfig > 1) {
        throw new LivemuxException(
            "epConfig " + epConfig + " (ErrorProtectionSpecificConfig) is not supported");
      }
    }

    if (signalling == SIGNALLING_NONE && totalBits - reader.bitsRead() >= 16) {
      // Backward-compatible signalling (1.6.2.1): read only if the config is long enough for it.
      int syncExtensionType = reader.readInt(11, "syncExtensionType");
      if (syncExtensionType == SYNC_EXTENSION_SBR) {
        int extensionObjectType = readAudioObjectType(reader, "extensionAudioObjectType");
        if (extensionObjectType == AOT_SBR) {
          signalling = SIGNALLING_BACKWARD_COMPATIBLE;
          sbrPresent = reader.readFlag("sbrPresentFlag");
          if (sbrPresent) {
            checkCoreObjectType(coreObjectType, true);
            extensionIndex = reader.readInt(4, "extensionSamplingFrequencyIndex");
            extensionRateHz = readSampleRate(reader, extensionIndex, "extensionSamplingFrequency");
            if (totalBits - reader.bitsRead() >= 12
                && reader.readInt(11, "syncExtensionType") == SYNC_EXTENSION_PS) {
              psSignalled = true;
              psPresent = reader.readFlag("psPresentFlag");
            }
          }
        }
        // Other extension object types (22, ER BSAC) carry nothing reported here: ignored.
      }
    }
    if (sbrPresent
        && extensionRateHz != coreSampleRateHz
        && extensionRateHz != 2 * coreSampleRateHz) {
      throw new LivemuxException(
          "SBR extension sampling frequency "
              + extensionRateHz
              + " Hz is neither the core's "
              + coreSampleRateHz
              + " Hz nor twice it");
    }
    return new AudioSpecificConfig(
        coreObjectType,
        samplingFrequencyIndex,
        coreSampleRateHz,
        channelConfiguration,
        frameLengthFlag,
        dependsOnCoreCoder,
        coreCoderDelay,
        extensionFlag,
        resilienceFlags,
        epConfig,
        signalling,
        sbrPresent,
        psPresent,
        psSignalled,
        extensionIndex,
        extensionRateHz);
  }

  /**
   * The plain config of {@code audioObjectType} at {@code sampleRateHz} with {@code channelCount}
   * output channels, every optional flag clear (1024- or 512-sample frames, no core coder):
   *
   * <ul>
   *   <li>1, 2, 3, 4, 17, 19, 23, 39: that object type at that rate;
   *   <li>5 (HE-AAC): explicit SBR over an AAC LC core at half of {@code sampleRateHz}, which must
   *       be even;
   *   <li>29 (HE-AAC v2): the same with PS over a mono core; {@code channelCount} must be 2.
   * </ul>
   *
   * A rate in Table 1.18 is written as its index, any other rate (1..16777215 Hz) explicitly.
   * Channel counts 1..6 map to channelConfiguration 1..6, 7 to 11 and 8 to 7.
   *
   * @throws IllegalArgumentException for any other object type, rate or channel count, with the
   *     value
   */
  public static AudioSpecificConfig of(int audioObjectType, int sampleRateHz, int channelCount) {
    if (sampleRateHz < 1 || sampleRateHz > MAX_EXPLICIT_FREQUENCY_HZ) {
      throw new IllegalArgumentException(
          "sampleRateHz out of range 1.." + MAX_EXPLICIT_FREQUENCY_HZ + ": " + sampleRateHz);
    }
    int channelConfiguration;
    if (audioObjectType == AOT_PS) {
      if (channelCount != 2) {
        throw new IllegalArgumentException(
            "HE-AAC v2 (29) outputs 2 channels, not " + channelCount);
      }
      channelConfiguration = 1;
    } else {
      channelConfiguration = channelConfigurationFor(channelCount);
    }
    switch (audioObjectType) {
      case 1:
      case 2:
      case 3:
      case 4:
      case 17:
      case 19:
      case AOT_ER_AAC_LD:
      case AOT_ER_AAC_ELD:
        return new AudioSpecificConfig(
            audioObjectType,
            indexFor(sampleRateHz),
            sampleRateHz,
            channelConfiguration,
            false,
            false,
            0,
            isErrorResilient(audioObjectType) && audioObjectType != AOT_ER_AAC_ELD,
            0,
            0,
            SIGNALLING_NONE,
            false,
            false,
            false,
            0,
            0);
      case AOT_SBR:
      case AOT_PS:
        if (sampleRateHz % 2 != 0) {
          throw new IllegalArgumentException(
              "HE-AAC sampleRateHz must be even (the core runs at half): " + sampleRateHz);
        }
        int coreRateHz = sampleRateHz / 2;
        return new AudioSpecificConfig(
            2,
            indexFor(coreRateHz),
            coreRateHz,
            channelConfiguration,
            false,
            false,
            0,
            false,
            0,
            0,
            SIGNALLING_EXPLICIT,
            true,
            audioObjectType == AOT_PS,
            false,
            indexFor(sampleRateHz),
            sampleRateHz);
      default:
        throw new IllegalArgumentException(
            "audioObjectType not one of 1, 2, 3, 4, 5, 17, 19, 23, 29, 39: " + audioObjectType);
    }
  }

  /**
   * AAC of a core object type 1..4 (an ADTS profile + 1) with every GASpecificConfig flag clear.
   */
  static AudioSpecificConfig ofAdts(
      int audioObjectType, int samplingFrequencyIndex, int channelConfiguration) {
    return new AudioSpecificConfig(
        audioObjectType,
        samplingFrequencyIndex,
        SAMPLING_FREQUENCIES_HZ[samplingFrequencyIndex],
        channelConfiguration,
        false,
        false,
        0,
        false,
        0,
        0,
        SIGNALLING_NONE,
        false,
        false,
        false,
        0,
        0);
  }

  /**
   * The object type that names the profile, as RFC 6381 codec strings ({@code mp4a.40.N}) and
   * Android's {@code KEY_AAC_PROFILE} use it: 29 when PS is present, else 5 when SBR is, else
   * {@link #coreAudioObjectType()}.
   */
  public int audioObjectType() {
    return psPresent ? AOT_PS : sbrPresent ? AOT_SBR : coreObjectType;
  }

  /** The object type of the core decoder: 2 for AAC LC, also under SBR and PS. */
  public int coreAudioObjectType() {
    return coreObjectType;
  }

  /** Output sample rate in Hz: the SBR extension rate if SBR is present, else the core rate. */
  public int sampleRateHz() {
    return sbrPresent ? extensionSampleRateHz : coreSampleRateHz;
  }

  /** The core's sample rate in Hz. */
  public int coreSampleRateHz() {
    return coreSampleRateHz;
  }

  /**
   * The core's {@code samplingFrequencyIndex}: 0..12, or 15 when the rate is written explicitly.
   */
  public int samplingFrequencyIndex() {
    return samplingFrequencyIndex;
  }

  /** {@code channelConfiguration} (Table 1.19): 1..7 or 11..14. */
  public int channelConfiguration() {
    return channelConfiguration;
  }

  /** Output channels: per Table 1.19, and 2 for PS over a mono core. */
  public int channelCount() {
    return psPresent && channelConfiguration == 1
        ? 2
        : CHANNELS_BY_CONFIGURATION[channelConfiguration];
  }

  /**
   * Samples per channel in one access unit at {@link #sampleRateHz()}: 1024 (960 with {@code
   * frameLengthFlag}) for AAC, 512 (480) for LD and ELD, scaled by the SBR rate ratio.
   */
  public int samplesPerFrame() {
    boolean lowDelay = coreObjectType == AOT_ER_AAC_LD || coreObjectType == AOT_ER_AAC_ELD;
    int coreSamples = lowDelay ? (frameLengthFlag ? 480 : 512) : (frameLengthFlag ? 960 : 1024);
    return sbrPresent && extensionSampleRateHz != coreSampleRateHz ? 2 * coreSamples : coreSamples;
  }

  /** Whether SBR is signalled present (explicitly or by the backward-compatible extension). */
  public boolean sbrPresent() {
    return sbrPresent;
  }

  /** Whether PS is signalled present. */
  public boolean psPresent() {
    return psPresent;
  }

  /** The encoded config: a new array each call. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AudioSpecificConfig
        && Arrays.equals(((AudioSpecificConfig) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("AudioSpecificConfig{aot ")
            .append(audioObjectType())
            .append(
                sbrPresent ? " (core " + coreObjectType + " at " + coreSampleRateHz + " Hz)" : "")
            .append(", ")
            .append(sampleRateHz())
            .append(" Hz, ")
            .append(channelCount())
            .append(" ch, ")
            .append(samplesPerFrame())
            .append(" samples/frame, ");
    for (byte b : bytes) {
      s.append(String.format("%02x", b & 0xFF));
    }
    return s.append('}').toString();
  }

  private byte[] encode() {
    BitWriter writer = new BitWriter();
    if (sbrSignalling == SIGNALLING_EXPLICIT) {
      writeAudioObjectType(writer, psPresent ? AOT_PS : AOT_SBR);
    } else {
      writeAudioObjectType(writer, coreObjectType);
    }
    writeSampleRate(writer, samplingFrequencyIndex, coreSampleRateHz);
    writer.writeBits(channelConfiguration, 4);
    if (sbrSignalling == SIGNALLING_EXPLICIT) {
      writeSampleRate(writer, extensionSamplingFrequencyIndex, extensionSampleRateHz);
      writeAudioObjectType(writer, coreObjectType);
    }
    if (coreObjectType == AOT_ER_AAC_ELD) {
      writer.writeFlag(frameLengthFlag); // frameLengthFlag
      writer.writeBits(resilienceFlags, 3); // aac{Section,Scalefactor,Spectral}DataResilienceFlag
      writer.writeFlag(false); // ldSbrPresentFlag
      writer.writeBits(0, 4); // eldExtType: ELDEXT_TERM
    } else {
      writer.writeFlag(frameLengthFlag); // frameLengthFlag
      writer.writeFlag(dependsOnCoreCoder); // dependsOnCoreCoder
      if (dependsOnCoreCoder) {
        writer.writeBits(coreCoderDelay, 14); // coreCoderDelay
      }
      writer.writeFlag(extensionFlag); // extensionFlag
      if (extensionFlag) {
        if (isErrorResilient(coreObjectType)) {
          writer.writeBits(resilienceFlags, 3);
        }
        writer.writeFlag(false); // extensionFlag3
      }
    }
    if (isErrorResilient(coreObjectType)) {
      writer.writeBits(epConfig, 2); // epConfig
    }
    if (sbrSignalling == SIGNALLING_BACKWARD_COMPATIBLE) {
      writer.writeBits(SYNC_EXTENSION_SBR, 11); // syncExtensionType
      writeAudioObjectType(writer, AOT_SBR); // extensionAudioObjectType
      writer.writeFlag(sbrPresent); // sbrPresentFlag
      if (sbrPresent) {
        writeSampleRate(writer, extensionSamplingFrequencyIndex, extensionSampleRateHz);
        if (psSignalled) {
          writer.writeBits(SYNC_EXTENSION_PS, 11); // syncExtensionType
          writer.writeFlag(psPresent); // psPresentFlag
        }
      }
    }
    return writer.alignWithZeros().toByteArray();
  }

  /** GetAudioObjectType() of 1.6.2.1: 5 bits, or 31 then 6 more bits plus 32. */
  private static int readAudioObjectType(BitReader reader, String field) throws LivemuxException {
    int type = reader.readInt(5, field);
    if (type == AOT_ESCAPE) {
      type = 32 + reader.readInt(6, field + " (escape)");
    }
    return type;
  }

  private static void writeAudioObjectType(BitWriter writer, int type) {
    if (type >= AOT_ESCAPE) {
      writer.writeBits(AOT_ESCAPE, 5).writeBits(type - 32, 6);
    } else {
      writer.writeBits(type, 5);
    }
  }

  private static int readSampleRate(BitReader reader, int index, String explicitField)
      throws LivemuxException {
    if (index == ESCAPE_SAMPLING_FREQUENCY_INDEX) {
      int rateHz = reader.readInt(24, explicitField);
      if (rateHz == 0) {
        throw new LivemuxException(explicitField + " 0 Hz");
      }
      return rateHz;
    }
    return sampleRateForIndex(index, explicitField + "Index");
  }

  private static void writeSampleRate(BitWriter writer, int index, int rateHz) {
    writer.writeBits(index, 4);
    if (index == ESCAPE_SAMPLING_FREQUENCY_INDEX) {
      writer.writeBits(rateHz, 24);
    }
  }

  /** Table 1.18, for 0..12; the reserved 13 and 14 and the escape 15 are refused. */
  static int sampleRateForIndex(int index, String field) throws LivemuxException {
    if (index < 0 || index >= SAMPLING_FREQUENCIES_HZ.length) {
      throw new LivemuxException("reserved " + field + ": " + index);
    }
    return SAMPLING_FREQUENCIES_HZ[index];
  }

  /** The Table 1.18 index of {@code rateHz}, or 15 if the rate must be written explicitly. */
  private static int indexFor(int rateHz) {
    for (int i = 0; i < SAMPLING_FREQUENCIES_HZ.length; i++) {
      if (SAMPLING_FREQUENCIES_HZ[i] == rateHz) {
        return i;
      }
    }
    return ESCAPE_SAMPLING_FREQUENCY_INDEX;
  }

  static void checkChannelConfiguration(int channelConfiguration) throws LivemuxException {
    if (channelConfiguration == 0) {
      throw new LivemuxException(
          "channelConfiguration 0 (channels given by a program_config_element) is not supported");
    }
    if (CHANNELS_BY_CONFIGURATION[channelConfiguration] < 0) {
      throw new LivemuxException("reserved channelConfiguration: " + channelConfiguration);
    }
  }

  /** Output channels of {@code channelConfiguration} 1..7 (as ADTS carries it). */
  static int channelsForConfiguration(int channelConfiguration) {
    return CHANNELS_BY_CONFIGURATION[channelConfiguration];
  }

  private static int channelConfigurationFor(int channelCount) {
    if (channelCount >= 1 && channelCount <= 6) {
      return channelCount;
    }
    if (channelCount == 7) {
      return 11;
    }
    if (channelCount == 8) {
      return 7;
    }
    throw new IllegalArgumentException("channelCount out of range 1..8: " + channelCount);
  }

  private static void checkCoreObjectType(int type, boolean underSbr) throws LivemuxException {
    if (underSbr) {
      if (type < 1 || type > 4) {
        throw new LivemuxException(
            "SBR/PS over audioObjectType "
                + type
                + " is not supported (only over 1..4, AAC Main/LC/SSR/LTP)");
      }
      return;
    }
    switch (type) {
      case 1:
      case 2:
      case 3:
      case 4:
      case 17:
      case 19:
      case AOT_ER_AAC_LD:
      case AOT_ER_AAC_ELD:
        return;
      default:
        throw new LivemuxException(
            "unsupported audioObjectType "
                + type
                + " (supported: 1..4, 17, 19, 23, 39, and 5/29 over 1..4)");
    }
  }

  private static boolean isErrorResilient(int type) {
    return type == 17 || type == 19 || type == AOT_ER_AAC_LD || type == AOT_ER_AAC_ELD;
  }
}
