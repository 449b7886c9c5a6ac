package io.livemux.format;

import io.livemux.LivemuxException;
import io.livemux.codec.h264.AvcConfig;
import io.livemux.codec.h264.H264Sps;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H.264 / AVC video: the decoder configuration record ({@code avcC}, ISO/IEC 14496-15 5.3.3.1) and
 * what its first SPS says about the pictures.
 *
 * <p>Made from an {@code avcC} payload ({@link #fromAvcC}), from SPS and PPS NAL units ({@link
 * #fromParameterSets}), or from an Annex B byte stream that carries them in-band ({@link
 * #fromAnnexB}); the last two give 4-byte NAL lengths. Sizes, profile, chroma format, bit depths and
 * timing are those of the first SPS.
 *
 * <p>Immutable and thread-safe. Equal when the {@code avcC} bytes are equal; a new SPS or PPS is a
 * new, unequal format.
 */
public final class H264Format extends VideoFormat {
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;

  private final AvcConfig config;
  private final H264Sps sps;
  private final byte[] avcC;

  private H264Format(AvcConfig config, H264Sps sps) {
    this.config = config;
    this.sps = sps;
    this.avcC = config.toBytes();
  }

  /**
   * The format an {@code avcC} payload (the box contents without its header, or an RTMP AVC sequence
   * header's body) describes; the buffer's position is not moved.
   *
   * @throws LivemuxException if the record is malformed, has no SPS or no PPS, or its first SPS does
   *     not parse
   */
  public static H264Format fromAvcC(ByteBuffer avcC) throws LivemuxException {
    return create(AvcConfig.parse(avcC));
  }

  /**
   * The format of a stream with these parameter sets: NAL units without start codes or length
   * prefixes, each read from its position to its limit.
   *
   * @throws LivemuxException if a list is empty or too long, or a NAL unit is not a valid SPS / PPS
   */
  public static H264Format fromParameterSets(List<ByteBuffer> sps, List<ByteBuffer> pps)
      throws LivemuxException {
    return create(AvcConfig.of(sps, pps));
  }

  /**
   * The format of an Annex B byte stream (ITU-T H.264 B.1: NAL units after 3- or 4-byte start
   * codes), such as an encoder's first access unit: the distinct SPS and PPS NAL units found before
   * the first coded slice that follows both. The buffer's position is not moved.
   *
   * @throws LivemuxException if the data has no start code, no SPS or no PPS, or they do not parse
   */
  public static H264Format fromAnnexB(ByteBuffer annexB) throws LivemuxException {
    List<ByteBuffer> spsList = new ArrayList<>();
    List<ByteBuffer> ppsList = new ArrayList<>();
    AnnexBScanner scanner = new AnnexBScanner(annexB, "H.264");
    for (ByteBuffer nal = scanner.next(); nal != null; nal = scanner.next()) {
      int type = nal.get(0) & 0x1F;
      if (type == NAL_SPS) {
        AnnexBScanner.addDistinct(spsList, nal, AvcConfig.MAX_SPS, "H.264 Annex B: SPS");
      } else if (type == NAL_PPS) {
        AnnexBScanner.addDistinct(ppsList, nal, AvcConfig.MAX_PPS, "H.264 Annex B: PPS");
      } else if (type >= 1 && type <= 5 && !spsList.isEmpty() && !ppsList.isEmpty()) {
        break; // 7.4.1.2.3: the parameter sets of this slice came before it
      }
    }
    if (spsList.isEmpty()) {
      throw new LivemuxException(
          "H.264 Annex B: no SPS (nal_unit_type 7) in " + annexB.remaining() + " bytes");
    }
    if (ppsList.isEmpty()) {
      throw new LivemuxException(
          "H.264 Annex B: no PPS (nal_unit_type 8) in " + annexB.remaining() + " bytes");
    }
    return fromParameterSets(spsList, ppsList);
  }

  private static H264Format create(AvcConfig config) throws LivemuxException {
    List<ByteBuffer> sps = config.sps();
    if (sps.isEmpty()) {
      throw new LivemuxException("avcC: numOfSequenceParameterSets is 0, H264Format needs an SPS");
    }
    if (config.pps().isEmpty()) {
      throw new LivemuxException("avcC: numOfPictureParameterSets is 0, H264Format needs a PPS");
    }
    return new H264Format(config, H264Sps.parse(sps.get(0)));
  }

  /** Display width, after frame cropping. */
  @Override
  public int width() {
    return sps.width();
  }

  /** Display height, after frame cropping. */
  @Override
  public int height() {
    return sps.height();
  }

  /** Decoded width: a whole number of macroblocks. */
  public int codedWidth() {
    return sps.codedWidth();
  }

  /** Decoded height: a whole number of macroblocks (of macroblock pairs for field coding). */
  public int codedHeight() {
    return sps.codedHeight();
  }

  /** profile_idc: 66 Baseline, 77 Main, 100 High, 110 High 10, 122 High 4:2:2, 244 High 4:4:4. */
  public int profileIdc() {
    return sps.profileIdc();
  }

  /** level_idc: ten times the level (31 is level 3.1). */
  public int levelIdc() {
    return sps.levelIdc();
  }

  /** chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  public int chromaFormatIdc() {
    return sps.chromaFormatIdc();
  }

  /** Bits per luma sample, 8..14. */
  public int bitDepthLuma() {
    return sps.bitDepthLuma();
  }

  /** Bits per chroma sample, 8..14. */
  public int bitDepthChroma() {
    return sps.bitDepthChroma();
  }

  /**
   * VUI num_units_in_tick, 0 when the SPS has no timing info. In H.264 a tick is a field: a frame
   * lasts {@code 2 * timingNumUnitsInTick / timingTimeScale} seconds.
   */
  public long timingNumUnitsInTick() {
    return sps.numUnitsInTick();
  }

  /** VUI time_scale in Hz, 0 when the SPS has no timing info. */
  public long timingTimeScale() {
    return sps.timeScale();
  }

  /**
   * Frames per second as a reduced fraction's numerator (time_scale / (2 * num_units_in_tick)), 0
   * without timing info.
   */
  public long frameRateNumerator() {
    return FrameRate.numerator(sps.timeScale(), 2 * sps.numUnitsInTick());
  }

  /** Frames per second as a reduced fraction's denominator, 0 without timing info. */
  public long frameRateDenominator() {
    return FrameRate.denominator(sps.timeScale(), 2 * sps.numUnitsInTick());
  }

  /** Bytes (1, 2 or 4) of the length before each NAL unit in samples. */
  public int nalLengthSize() {
    return config.nalLengthSize();
  }

  /** The AVCDecoderConfigurationRecord, read-only, positioned at 0. */
  public ByteBuffer avcC() {
    return ByteBuffer.wrap(avcC).asReadOnlyBuffer();
  }

  /** The SPS NAL units, each read-only. */
  public List<ByteBuffer> sps() {
    return config.sps();
  }

  /** The PPS NAL units, each read-only. */
  public List<ByteBuffer> pps() {
    return config.pps();
  }

  /** The RFC 6381 codecs parameter, e.g. {@code avc1.64001f}. */
  public String codecString() {
    return config.codecString();
  }

  @Override
  public String mimeType() {
    return "video/avc";
  }

  @Override
  public boolean isRaw() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof H264Format && Arrays.equals(((H264Format) o).avcC, avcC);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(avcC);
  }

  @Override
  public String toString() {
    return "H264Format{" + codecString() + ", " + width() + "x" + height() + ", chroma_format_idc="
        + chromaFormatIdc() + ", " + bitDepthLuma() + "-bit"
        + (timingTimeScale() != 0
            ? ", " + frameRateNumerator()
                + (frameRateDenominator() == 1 ? "" : "/" + frameRateDenominator()) + " fps"
            : "")
        + "}";
  }

  /**
   * Finds the NAL units of an Annex B byte stream (H.264 B.1, H.265 B.2): each begins after a
   * {@code 00 00 01} start code and ends before the next one, trailing zero bytes (the leading zero
   * of a 4-byte start code, trailing_zero_8bits) dropped. Empty units are skipped. Shared with
   * {@link H265Format}.
   */
  static final class AnnexBScanner {
    private final ByteBuffer data;
    private final int limit;
    /** Index of the first byte of the next NAL unit, or -1 when there is none. */
    private int next;

    AnnexBScanner(ByteBuffer data, String codec) throws LivemuxException {
      this.data = data;
      this.limit = data.limit();
      this.next = afterStartCode(data.position());
      if (next < 0) {
        throw new LivemuxException(
            codec + " Annex B: no start code (00 00 01) in " + data.remaining() + " bytes");
      }
    }

    /** The next non-empty NAL unit as a view of the data, or null at the end. */
    ByteBuffer next() {
      while (next >= 0) {
        int start = next;
        int startCode = startCodeAt(start);
        next = startCode < 0 ? -1 : startCode + 3;
        int end = startCode < 0 ? limit : startCode;
        while (end > start && data.get(end - 1) == 0) {
          end--;
        }
        if (end > start) {
          ByteBuffer nal = data.duplicate();
          // Through Buffer: ByteBuffer's covariant overrides are missing on Android API 26.
          ((Buffer) nal).limit(end);
          ((Buffer) nal).position(start);
          return nal.slice();
        }
      }
      return null;
    }

    private int afterStartCode(int from) {
      int at = startCodeAt(from);
      return at < 0 ? -1 : at + 3;
    }

    /** Index of the first {@code 00 00 01} at or after {@code from}, or -1. */
    private int startCodeAt(int from) {
      for (int i = from; i + 2 < limit; i++) {
        if ((data.get(i + 2) & 0xFF) > 1) {
          i += 2; // no start code can end at i + 2, nor cover it
        } else if (data.get(i) == 0 && data.get(i + 1) == 0 && data.get(i + 2) == 1) {
          return i;
        }
      }
      return -1;
    }

    /** Adds {@code nal} unless an equal NAL unit is already in {@code list}; at most {@code max}. */
    static void addDistinct(List<ByteBuffer> list, ByteBuffer nal, int max, String what)
        throws LivemuxException {
      if (list.contains(nal)) {
        return;
      }
      if (list.size() == max) {
        throw new LivemuxException(what + ": more than " + max + " distinct ones");
      }
      list.add(nal);
    }
  }
}
