package io.livemux.format;

import io.livemux.LivemuxException;
import io.livemux.codec.h265.H265Sps;
import io.livemux.codec.h265.HevcConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * H.265 / HEVC video: the decoder configuration record ({@code hvcC}, ISO/IEC 14496-15 8.3.3.1) and
 * what its first SPS says about the pictures.
 *
 * <p>Made from an {@code hvcC} payload ({@link #fromHvcC}), from VPS, SPS and PPS NAL units ({@link
 * #fromParameterSets}), or from an Annex B byte stream that carries them in-band ({@link
 * #fromAnnexB}); the last two build the record as ffmpeg does for an {@code hvc1} sample entry, with
 * 4-byte NAL lengths. Sizes, profile, chroma format, bit depths and timing are those of the first
 * SPS.
 *
 * <p>Immutable and thread-safe. Equal when the {@code hvcC} bytes are equal; a new parameter set is
 * a new, unequal format.
 */
public final class H265Format extends VideoFormat {
  /** Bounds on distinct parameter sets, from the ranges of their ids (7.4.3). */
  private static final int MAX_VPS = 16;
  private static final int MAX_SPS = 16;
  private static final int MAX_PPS = 64;

  private final HevcConfig config;
  private final H265Sps sps;
  private final byte[] hvcC;

  private H265Format(HevcConfig config, H265Sps sps) {
    this.config = config;
    this.sps = sps;
    this.hvcC = config.toBytes();
  }

  /**
   * The format an {@code hvcC} payload (the box contents without its header, or an enhanced-RTMP
   * HEVC sequence start's body) describes; the buffer's position is not moved.
   *
   * @throws LivemuxException if the record is malformed, lacks a VPS, SPS or PPS, or its first SPS
   *     does not parse
   */
  public static H265Format fromHvcC(ByteBuffer hvcC) throws LivemuxException {
    HevcConfig config = HevcConfig.parse(hvcC);
    if (config.vps().isEmpty()) {
      throw new LivemuxException("hvcC: no VPS array (NAL_unit_type 32), H265Format needs one");
    }
    List<ByteBuffer> sps = config.sps();
    if (sps.isEmpty()) {
      throw new LivemuxException("hvcC: no SPS array (NAL_unit_type 33), H265Format needs one");
    }
    if (config.pps().isEmpty()) {
      throw new LivemuxException("hvcC: no PPS array (NAL_unit_type 34), H265Format needs one");
    }
    return new H265Format(config, H265Sps.parse(sps.get(0)));
  }

  /**
   * The format of a stream with these parameter sets: NAL units without start codes or length
   * prefixes, each read from its position to its limit.
   *
   * @throws LivemuxException if a list is empty or too long, or a NAL unit is not a valid VPS, SPS
   *     or PPS
   */
  public static H265Format fromParameterSets(
      List<ByteBuffer> vps, List<ByteBuffer> sps, List<ByteBuffer> pps) throws LivemuxException {
    HevcConfig config = HevcConfig.of(vps, sps, pps);
    return new H265Format(config, H265Sps.parse(config.sps().get(0)));
  }

  /**
   * The format of an Annex B byte stream (ITU-T H.265 B.2: NAL units after 3- or 4-byte start
   * codes), such as an encoder's first access unit: the distinct base-layer VPS, SPS and PPS NAL
   * units found before the first coded slice that follows all three. The buffer's position is not
   * moved.
   *
   * @throws LivemuxException if the data has no start code, lacks a VPS, SPS or PPS, or they do not
   *     parse
   */
  public static H265Format fromAnnexB(ByteBuffer annexB) throws LivemuxException {
    List<ByteBuffer> vpsList = new ArrayList<>();
    List<ByteBuffer> spsList = new ArrayList<>();
    List<ByteBuffer> ppsList = new ArrayList<>();
    H264Format.AnnexBScanner scanner = new H264Format.AnnexBScanner(annexB, "H.265");
    for (ByteBuffer nal = scanner.next(); nal != null; nal = scanner.next()) {
      if (nal.remaining() < 2) {
        continue; // shorter than nal_unit_header(): not a NAL unit we need
      }
      int type = (nal.get(0) >> 1) & 0x3F;
      int layerId = (nal.get(0) & 1) << 5 | (nal.get(1) & 0xFF) >>> 3;
      if (layerId != 0) {
        continue; // parameter sets and slices of other layers (MV-HEVC, SHVC)
      }
      if (type == HevcConfig.NAL_VPS) {
        H264Format.AnnexBScanner.addDistinct(vpsList, nal, MAX_VPS, "H.265 Annex B: VPS");
      } else if (type == HevcConfig.NAL_SPS) {
        H264Format.AnnexBScanner.addDistinct(spsList, nal, MAX_SPS, "H.265 Annex B: SPS");
      } else if (type == HevcConfig.NAL_PPS) {
        H264Format.AnnexBScanner.addDistinct(ppsList, nal, MAX_PPS, "H.265 Annex B: PPS");
      } else if (type <= 31 && !vpsList.isEmpty() && !spsList.isEmpty() && !ppsList.isEmpty()) {
        break; // a VCL NAL unit (types 0..31): its parameter sets came before it
      }
    }
    if (vpsList.isEmpty()) {
      throw new LivemuxException(
          "H.265 Annex B: no VPS (nal_unit_type 32) in " + annexB.remaining() + " bytes");
    }
    if (spsList.isEmpty()) {
      throw new LivemuxException(
          "H.265 Annex B: no SPS (nal_unit_type 33) in " + annexB.remaining() + " bytes");
    }
    if (ppsList.isEmpty()) {
      throw new LivemuxException(
          "H.265 Annex B: no PPS (nal_unit_type 34) in " + annexB.remaining() + " bytes");
    }
    return fromParameterSets(vpsList, spsList, ppsList);
  }

  /** Display width, after the conformance window. */
  @Override
  public int width() {
    return sps.width();
  }

  /** Display height, after the conformance window. */
  @Override
  public int height() {
    return sps.height();
  }

  /** Decoded width: pic_width_in_luma_samples. */
  public int codedWidth() {
    return sps.codedWidth();
  }

  /** Decoded height: pic_height_in_luma_samples. */
  public int codedHeight() {
    return sps.codedHeight();
  }

  /** general_profile_idc: 1 Main, 2 Main 10, 3 Main Still Picture, 4 format range extensions… */
  public int profileIdc() {
    return sps.generalProfileIdc();
  }

  /** general_level_idc: thirty times the level (93 is level 3.1). */
  public int levelIdc() {
    return sps.generalLevelIdc();
  }

  /** general_tier_flag: true for the High tier. */
  public boolean highTier() {
    return sps.generalTierFlag();
  }

  /** chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  public int chromaFormatIdc() {
    return sps.chromaFormatIdc();
  }

  /** Bits per luma sample, 8..16. */
  public int bitDepthLuma() {
    return sps.bitDepthLuma();
  }

  /** Bits per chroma sample, 8..16. */
  public int bitDepthChroma() {
    return sps.bitDepthChroma();
  }

  /**
   * VUI vui_num_units_in_tick, 0 when the SPS has no timing info. In H.265 a tick is a picture: a
   * frame lasts {@code timingNumUnitsInTick / timingTimeScale} seconds.
   */
  public long timingNumUnitsInTick() {
    return sps.numUnitsInTick();
  }

  /** VUI vui_time_scale in Hz, 0 when the SPS has no timing info. */
  public long timingTimeScale() {
    return sps.timeScale();
  }

  /**
   * Frames per second as a reduced fraction's numerator (vui_time_scale / (vui_num_units_in_tick)), 0
   * without timing info.
   */
  public long frameRateNumerator() {
    return FrameRate.numerator(sps.timeScale(), sps.numUnitsInTick());
  }

  /** Frames per second as a reduced fraction's denominator, 0 without timing info. */
  public long frameRateDenominator() {
    return FrameRate.denominator(sps.timeScale(), sps.numUnitsInTick());
  }

  /** Bytes (1, 2 or 4) of the length before each NAL unit in samples. */
  public int nalLengthSize() {
    return config.nalLengthSize();
  }

  /** The HEVCDecoderConfigurationRecord, read-only, positioned at 0. */
  public ByteBuffer hvcC() {
    return ByteBuffer.wrap(hvcC).asReadOnlyBuffer();
  }

  /** The VPS NAL units, each read-only. */
  public List<ByteBuffer> vps() {
    return config.vps();
  }

  /** The SPS NAL units, each read-only. */
  public List<ByteBuffer> sps() {
    return config.sps();
  }

  /** The PPS NAL units, each read-only. */
  public List<ByteBuffer> pps() {
    return config.pps();
  }

  /** The RFC 6381 codecs parameter, e.g. {@code hvc1.1.6.L93.B0}. */
  public String codecString() {
    return config.codecString();
  }

  @Override
  public String mimeType() {
    return "video/hevc";
  }

  @Override
  public boolean isRaw() {
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof H265Format && Arrays.equals(((H265Format) o).hvcC, hvcC);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hvcC);
  }

  @Override
  public String toString() {
    return "H265Format{" + codecString() + ", " + width() + "x" + height() + ", chroma_format_idc="
        + chromaFormatIdc() + ", " + bitDepthLuma() + "-bit"
        + (timingTimeScale() != 0
            ? ", " + frameRateNumerator()
                + (frameRateDenominator() == 1 ? "" : "/" + frameRateDenominator()) + " fps"
            : "")
        + "}";
  }
}
