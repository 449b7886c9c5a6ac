package io.livemux.codec.h264;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import java.nio.ByteBuffer;

/**
 * A parsed H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1), with the VUI fields of E.1.1 that a
 * muxer needs: sample aspect ratio, colour description, timing and bitstream restriction.
 *
 * <p>Only what the picture size, the decoder configuration record and the container need is kept;
 * the rest (scaling lists, POC cycle offsets, HRD parameters) is read to reach the fields after it
 * and then dropped. Every value read from the data is checked against its range in 7.4.2.1.1 / E.2.1
 * before it is used, so malformed input ends in a {@link LivemuxException} naming the field.
 *
 * <p>Immutable and thread-safe.
 */
public final class H264Sps {
  /** Value of the VUI fields below when the SPS does not carry them. */
  public static final int UNSET = -1;

  /** Largest pic_width_in_mbs_minus1 / pic_height_in_map_units_minus1 accepted (65536 pixels). */
  private static final int MAX_MBS_MINUS1 = 4095;
  /** MaxDpbFrames never exceeds 16 (A.3.1 h, A.3.2 f). */
  private static final int MAX_DPB_FRAMES = 16;
  /** aspect_ratio_idc value for an explicit sar_width:sar_height (Table E-1). */
  private static final int EXTENDED_SAR = 255;
  /** Table E-1: sample aspect ratios for aspect_ratio_idc 1..16, as {width, height}. */
  private static final int[][] SAR_TABLE = {
    {0, 0}, {1, 1}, {12, 11}, {10, 11}, {16, 11}, {40, 33}, {24, 11}, {20, 11}, {32, 11}, {80, 33},
    {18, 11}, {15, 11}, {64, 33}, {160, 99}, {4, 3}, {3, 2}, {2, 1}
  };

  private final int profileIdc;
  private final int constraintFlags;
  private final int levelIdc;
  private final int seqParameterSetId;
  private final int chromaFormatIdc;
  private final boolean separateColourPlane;
  private final int bitDepthLuma;
  private final int bitDepthChroma;
  private final int log2MaxFrameNum;
  private final int picOrderCntType;
  private final int log2MaxPicOrderCntLsb;
  private final int maxNumRefFrames;
  private final boolean frameMbsOnly;
  private final int codedWidth;
  private final int codedHeight;
  private final int width;
  private final int height;
  private final boolean vuiPresent;
  private final int sarWidth;
  private final int sarHeight;
  private final boolean videoFullRange;
  private final int colourPrimaries;
  private final int transferCharacteristics;
  private final int matrixCoefficients;
  private final long numUnitsInTick;
  private final long timeScale;
  private final boolean fixedFrameRate;
  private final int maxNumReorderFrames;
  private final int maxDecFrameBuffering;

  private H264Sps(Parser p) {
    profileIdc = p.profileIdc;
    constraintFlags = p.constraintFlags;
    levelIdc = p.levelIdc;
    seqParameterSetId = p.seqParameterSetId;
    chromaFormatIdc = p.chromaFormatIdc;
    separateColourPlane = p.separateColourPlane;
    bitDepthLuma = p.bitDepthLuma;
    bitDepthChroma = p.bitDepthChroma;
    log2MaxFrameNum = p.log2MaxFrameNum;
    picOrderCntType = p.picOrderCntType;
    log2MaxPicOrderCntLsb = p.log2MaxPicOrderCntLsb;
    maxNumRefFrames = p.maxNumRefFrames;
    frameMbsOnly = p.frameMbsOnly;
    codedWidth = p.codedWidth;
    codedHeight = p.codedHeight;
    width = p.width;
    height = p.height;
    vuiPresent = p.vuiPresent;
    sarWidth = p.sarWidth;
    sarHeight = p.sarHeight;
    videoFullRange = p.videoFullRange;
    colourPrimaries = p.colourPrimaries;
    transferCharacteristics = p.transferCharacteristics;
    matrixCoefficients = p.matrixCoefficients;
    numUnitsInTick = p.numUnitsInTick;
    timeScale = p.timeScale;
    fixedFrameRate = p.fixedFrameRate;
    maxNumReorderFrames = p.maxNumReorderFrames;
    maxDecFrameBuffering = p.maxDecFrameBuffering;
  }

  /**
   * Parses the remaining bytes of {@code nal}: one SPS NAL unit, header byte included, without a
   * start code or length prefix, emulation-prevention bytes still in place. The buffer's position
   * is not moved.
   *
   * @throws LivemuxException if the NAL unit is not an SPS, is truncated, or has a field out of range
   */
  public static H264Sps parse(ByteBuffer nal) throws LivemuxException {
    Parser p = new Parser();
    p.parse(BitReader.rbsp(nal));
    return new H264Sps(p);
  }

  /** True for the profiles whose SPS carries chroma_format_idc, bit depths and scaling lists. */
  static boolean hasChromaInfo(int profileIdc) {
    switch (profileIdc) {
      case 100: // High
      case 110: // High 10
      case 122: // High 4:2:2
      case 244: // High 4:4:4 Predictive
      case 44: // CAVLC 4:4:4 Intra
      case 83: // Scalable Baseline
      case 86: // Scalable High
      case 118: // Multiview High
      case 128: // Stereo High
      case 138: // Multiview Depth High
      case 139: // Enhanced Multiview Depth High
      case 134: // MFC High
      case 135: // MFC Depth High
        return true;
      default:
        return false;
    }
  }

  /** profile_idc: 66 Baseline, 77 Main, 100 High, 110 High 10, 122 High 4:2:2, 244 High 4:4:4… */
  public int profileIdc() {
    return profileIdc;
  }

  /**
   * The byte between profile_idc and level_idc: constraint_set0_flag (bit 7) to constraint_set5_flag
   * (bit 2) and reserved_zero_2bits; the avcC profile_compatibility.
   */
  public int constraintFlags() {
    return constraintFlags;
  }

  /** level_idc: ten times the level number (31 is level 3.1); 9 is level 1b. */
  public int levelIdc() {
    return levelIdc;
  }

  /** seq_parameter_set_id, 0..31. */
  public int seqParameterSetId() {
    return seqParameterSetId;
  }

  /** chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when the profile omits it). */
  public int chromaFormatIdc() {
    return chromaFormatIdc;
  }

  /** separate_colour_plane_flag: 4:4:4 coded as three monochrome planes. */
  public boolean separateColourPlane() {
    return separateColourPlane;
  }

  /** BitDepthY, 8..14. */
  public int bitDepthLuma() {
    return bitDepthLuma;
  }

  /** BitDepthC, 8..14. */
  public int bitDepthChroma() {
    return bitDepthChroma;
  }

  /** log2_max_frame_num_minus4 + 4: the width of frame_num in slice headers. */
  public int log2MaxFrameNum() {
    return log2MaxFrameNum;
  }

  /** pic_order_cnt_type, 0..2. */
  public int picOrderCntType() {
    return picOrderCntType;
  }

  /** log2_max_pic_order_cnt_lsb_minus4 + 4 when pic_order_cnt_type is 0, else 0. */
  public int log2MaxPicOrderCntLsb() {
    return log2MaxPicOrderCntLsb;
  }

  /** max_num_ref_frames, 0..16. */
  public int maxNumRefFrames() {
    return maxNumRefFrames;
  }

  /** frame_mbs_only_flag: false when the stream may hold fields or MBAFF frames. */
  public boolean frameMbsOnly() {
    return frameMbsOnly;
  }

  /** Width of the decoded frame in luma samples, a multiple of 16 (before cropping). */
  public int codedWidth() {
    return codedWidth;
  }

  /** Height of the decoded frame in luma samples, a multiple of 16 or 32 (before cropping). */
  public int codedHeight() {
    return codedHeight;
  }

  /** Display width in luma samples: {@link #codedWidth} less the frame cropping (7-19, 7-20). */
  public int width() {
    return width;
  }

  /** Display height in luma samples: {@link #codedHeight} less the frame cropping (7-21, 7-22). */
  public int height() {
    return height;
  }

  /** vui_parameters_present_flag. */
  public boolean vuiPresent() {
    return vuiPresent;
  }

  /** Sample aspect ratio width (Table E-1), 0 when unspecified. */
  public int sarWidth() {
    return sarWidth;
  }

  /** Sample aspect ratio height (Table E-1), 0 when unspecified. */
  public int sarHeight() {
    return sarHeight;
  }

  /** video_full_range_flag (false when absent). */
  public boolean videoFullRange() {
    return videoFullRange;
  }

  /** colour_primaries (E.2.1), 2 "unspecified" when absent. */
  public int colourPrimaries() {
    return colourPrimaries;
  }

  /** transfer_characteristics (E.2.1), 2 "unspecified" when absent. */
  public int transferCharacteristics() {
    return transferCharacteristics;
  }

  /** matrix_coefficients (E.2.1), 2 "unspecified" when absent. */
  public int matrixCoefficients() {
    return matrixCoefficients;
  }

  /** True when the VUI carries timing_info. */
  public boolean timingInfoPresent() {
    return timeScale != 0;
  }

  /**
   * num_units_in_tick, or 0 without timing info. A frame lasts {@code 2 * numUnitsInTick /
   * timeScale} seconds (E.2.1: a tick is one field).
   */
  public long numUnitsInTick() {
    return numUnitsInTick;
  }

  /** time_scale in Hz, or 0 without timing info. */
  public long timeScale() {
    return timeScale;
  }

  /** fixed_frame_rate_flag (false without timing info). */
  public boolean fixedFrameRate() {
    return fixedFrameRate;
  }

  /** max_num_reorder_frames from bitstream_restriction, or {@link #UNSET} when absent. */
  public int maxNumReorderFrames() {
    return maxNumReorderFrames;
  }

  /** max_dec_frame_buffering from bitstream_restriction, or {@link #UNSET} when absent. */
  public int maxDecFrameBuffering() {
    return maxDecFrameBuffering;
  }

  @Override
  public String toString() {
    return "H264Sps{profile_idc=" + profileIdc + ", level_idc=" + levelIdc + ", id="
        + seqParameterSetId + ", " + width + "x" + height + " (coded " + codedWidth + "x"
        + codedHeight + "), chroma_format_idc=" + chromaFormatIdc + ", bit depth " + bitDepthLuma
        + "/" + bitDepthChroma
        + (timeScale != 0 ? ", timing " + numUnitsInTick + "/" + timeScale : "") + "}";
  }

  /** Reads the syntax into plain fields; one instance per parse. */
  private static final class Parser {
    int profileIdc;
    int constraintFlags;
    int levelIdc;
    int seqParameterSetId;
    int chromaFormatIdc = 1; // 7.4.2.1.1: inferred 1 when not present
    boolean separateColourPlane;
    int bitDepthLuma = 8;
    int bitDepthChroma = 8;
    int log2MaxFrameNum;
    int picOrderCntType;
    int log2MaxPicOrderCntLsb;
    int maxNumRefFrames;
    boolean frameMbsOnly;
    int codedWidth;
    int codedHeight;
    int width;
    int height;
    boolean vuiPresent;
    int sarWidth;
    int sarHeight;
    boolean videoFullRange;
    int colourPrimaries = 2;
    int transferCharacteristics = 2;
    int matrixCoefficients = 2;
    long numUnitsInTick;
    long timeScale;
    boolean fixedFrameRate;
    int maxNumReorderFrames = UNSET;
    int maxDecFrameBuffering = UNSET;

    void parse(BitReader r) throws LivemuxException {
      // nal_unit_header, 7.3.1
      if (r.readFlag("SPS: forbidden_zero_bit")) {
        throw new LivemuxException("SPS: forbidden_zero_bit must be 0: 1");
      }
      r.readBits(2, "SPS: nal_ref_idc");
      int nalUnitType = r.readInt(5, "SPS: nal_unit_type");
      if (nalUnitType != 7) {
        throw new LivemuxException("SPS: nal_unit_type must be 7: " + nalUnitType);
      }
      // seq_parameter_set_data, 7.3.2.1.1
      profileIdc = r.readInt(8, "SPS: profile_idc");
      constraintFlags = r.readInt(8, "SPS: constraint_set_flags");
      levelIdc = r.readInt(8, "SPS: level_idc");
      seqParameterSetId = r.readUe("SPS: seq_parameter_set_id", 0, 31);
      if (hasChromaInfo(profileIdc)) {
        chromaFormatIdc = r.readUe("SPS: chroma_format_idc", 0, 3);
        if (chromaFormatIdc == 3) {
          separateColourPlane = r.readFlag("SPS: separate_colour_plane_flag");
        }
        bitDepthLuma = 8 + r.readUe("SPS: bit_depth_luma_minus8", 0, 6);
        bitDepthChroma = 8 + r.readUe("SPS: bit_depth_chroma_minus8", 0, 6);
        r.readFlag("SPS: qpprime_y_zero_transform_bypass_flag");
        if (r.readFlag("SPS: seq_scaling_matrix_present_flag")) {
          int lists = chromaFormatIdc != 3 ? 8 : 12;
          for (int i = 0; i < lists; i++) {
            if (r.readFlag("SPS: seq_scaling_list_present_flag")) {
              skipScalingList(r, i < 6 ? 16 : 64);
            }
          }
        }
      }
      log2MaxFrameNum = 4 + r.readUe("SPS: log2_max_frame_num_minus4", 0, 12);
      picOrderCntType = r.readUe("SPS: pic_order_cnt_type", 0, 2);
      if (picOrderCntType == 0) {
        log2MaxPicOrderCntLsb = 4 + r.readUe("SPS: log2_max_pic_order_cnt_lsb_minus4", 0, 12);
      } else if (picOrderCntType == 1) {
        r.readFlag("SPS: delta_pic_order_always_zero_flag");
        r.readSe("SPS: offset_for_non_ref_pic");
        r.readSe("SPS: offset_for_top_to_bottom_field");
        int cycle = r.readUe("SPS: num_ref_frames_in_pic_order_cnt_cycle", 0, 255);
        for (int i = 0; i < cycle; i++) {
          r.readSe("SPS: offset_for_ref_frame");
        }
      }
      maxNumRefFrames = r.readUe("SPS: max_num_ref_frames", 0, MAX_DPB_FRAMES);
      r.readFlag("SPS: gaps_in_frame_num_value_allowed_flag");
      int widthInMbs = 1 + r.readUe("SPS: pic_width_in_mbs_minus1", 0, MAX_MBS_MINUS1);
      int heightInMapUnits = 1 + r.readUe("SPS: pic_height_in_map_units_minus1", 0, MAX_MBS_MINUS1);
      frameMbsOnly = r.readFlag("SPS: frame_mbs_only_flag");
      if (!frameMbsOnly) {
        r.readFlag("SPS: mb_adaptive_frame_field_flag");
      }
      r.readFlag("SPS: direct_8x8_inference_flag");
      codedWidth = widthInMbs * 16;
      codedHeight = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16; // 7-18, FrameHeightInMbs
      width = codedWidth;
      height = codedHeight;
      if (r.readFlag("SPS: frame_cropping_flag")) {
        readCropping(r);
      }
      vuiPresent = r.readFlag("SPS: vui_parameters_present_flag");
      if (vuiPresent) {
        readVui(r);
      }
    }

    /** scaling_list(), 7.3.2.1.1.1: only delta_scale is coded; it is read and dropped. */
    private static void skipScalingList(BitReader r, int size) throws LivemuxException {
      int lastScale = 8;
      int nextScale = 8;
      for (int j = 0; j < size && nextScale != 0; j++) {
        long deltaScale = r.readSe("SPS: delta_scale");
        if (deltaScale < -128 || deltaScale > 127) {
          throw new LivemuxException("SPS: delta_scale out of range -128..127: " + deltaScale);
        }
        nextScale = (lastScale + (int) deltaScale + 256) % 256;
        lastScale = nextScale == 0 ? lastScale : nextScale;
      }
    }

    /** frame_crop_*_offset, in units of CropUnitX / CropUnitY (7-19 to 7-22). */
    private void readCropping(BitReader r) throws LivemuxException {
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      int cropUnitX;
      int cropUnitY;
      if (chromaArrayType == 0) {
        cropUnitX = 1;
        cropUnitY = frameMbsOnly ? 1 : 2;
      } else {
        int subWidthC = chromaFormatIdc == 3 ? 1 : 2; // Table 6-1
        int subHeightC = chromaFormatIdc == 1 ? 2 : 1;
        cropUnitX = subWidthC;
        cropUnitY = subHeightC * (frameMbsOnly ? 1 : 2);
      }
      int left = r.readUe("SPS: frame_crop_left_offset", 0, codedWidth);
      int right = r.readUe("SPS: frame_crop_right_offset", 0, codedWidth);
      int top = r.readUe("SPS: frame_crop_top_offset", 0, codedHeight);
      int bottom = r.readUe("SPS: frame_crop_bottom_offset", 0, codedHeight);
      width = codedWidth - cropUnitX * (left + right);
      height = codedHeight - cropUnitY * (top + bottom);
      if (width < 1) {
        throw new LivemuxException(
            "SPS: frame_crop_left_offset " + left + " + frame_crop_right_offset " + right
                + " (x" + cropUnitX + ") leave no width of " + codedWidth);
      }
      if (height < 1) {
        throw new LivemuxException(
            "SPS: frame_crop_top_offset " + top + " + frame_crop_bottom_offset " + bottom
                + " (x" + cropUnitY + ") leave no height of " + codedHeight);
      }
    }

    /** vui_parameters(), E.1.1. */
    private void readVui(BitReader r) throws LivemuxException {
      if (r.readFlag("VUI: aspect_ratio_info_present_flag")) {
        int aspectRatioIdc = r.readInt(8, "VUI: aspect_ratio_idc");
        if (aspectRatioIdc == EXTENDED_SAR) {
          sarWidth = r.readInt(16, "VUI: sar_width");
          sarHeight = r.readInt(16, "VUI: sar_height");
        } else if (aspectRatioIdc < SAR_TABLE.length) {
          sarWidth = SAR_TABLE[aspectRatioIdc][0];
          sarHeight = SAR_TABLE[aspectRatioIdc][1];
        } // 17..254 are reserved: unspecified
      }
      if (r.readFlag("VUI: overscan_info_present_flag")) {
        r.readFlag("VUI: overscan_appropriate_flag");
      }
      if (r.readFlag("VUI: video_signal_type_present_flag")) {
        r.readBits(3, "VUI: video_format");
        videoFullRange = r.readFlag("VUI: video_full_range_flag");
        if (r.readFlag("VUI: colour_description_present_flag")) {
          colourPrimaries = r.readInt(8, "VUI: colour_primaries");
          transferCharacteristics = r.readInt(8, "VUI: transfer_characteristics");
          matrixCoefficients = r.readInt(8, "VUI: matrix_coefficients");
        }
      }
      if (r.readFlag("VUI: chroma_loc_info_present_flag")) {
        r.readUe("VUI: chroma_sample_loc_type_top_field", 0, 5);
        r.readUe("VUI: chroma_sample_loc_type_bottom_field", 0, 5);
      }
      if (r.readFlag("VUI: timing_info_present_flag")) {
        long units = r.readBits(32, "VUI: num_units_in_tick");
        long scale = r.readBits(32, "VUI: time_scale");
        boolean fixed = r.readFlag("VUI: fixed_frame_rate_flag");
        // Both shall be > 0 (E.2.1); like decoders do, a zero is taken as "no timing info" rather
        // than a reason to reject the stream.
        if (units != 0 && scale != 0) {
          numUnitsInTick = units;
          timeScale = scale;
          fixedFrameRate = fixed;
        }
      }
      boolean nalHrd = r.readFlag("VUI: nal_hrd_parameters_present_flag");
      if (nalHrd) {
        skipHrdParameters(r);
      }
      boolean vclHrd = r.readFlag("VUI: vcl_hrd_parameters_present_flag");
      if (vclHrd) {
        skipHrdParameters(r);
      }
      if (nalHrd || vclHrd) {
        r.readFlag("VUI: low_delay_hrd_flag");
      }
      r.readFlag("VUI: pic_struct_present_flag");
      if (r.readFlag("VUI: bitstream_restriction_flag")) {
        try {
          readBitstreamRestriction(r);
        } catch (LivemuxException e) {
          if (r.hasMoreBits()) {
            throw e;
          }
          // Some encoders cut the SPS short inside bitstream_restriction; decoders (ffmpeg's
          // "Truncated VUI") then ignore it, and so do we: only the reorder depth is lost.
          maxNumReorderFrames = UNSET;
          maxDecFrameBuffering = UNSET;
        }
      }
    }

    private void readBitstreamRestriction(BitReader r) throws LivemuxException {
      r.readFlag("VUI: motion_vectors_over_pic_boundaries_flag");
      r.readUe("VUI: max_bytes_per_pic_denom", 0, 16);
      r.readUe("VUI: max_bits_per_mb_denom", 0, 16);
      r.readUe("VUI: log2_max_mv_length_horizontal", 0, 16);
      r.readUe("VUI: log2_max_mv_length_vertical", 0, 16);
      maxNumReorderFrames = r.readUe("VUI: max_num_reorder_frames", 0, MAX_DPB_FRAMES);
      maxDecFrameBuffering = r.readUe("VUI: max_dec_frame_buffering", 0, MAX_DPB_FRAMES);
    }

    /** hrd_parameters(), E.1.2: read and dropped. */
    private static void skipHrdParameters(BitReader r) throws LivemuxException {
      int cpbCnt = 1 + r.readUe("HRD: cpb_cnt_minus1", 0, 31);
      r.readBits(4, "HRD: bit_rate_scale");
      r.readBits(4, "HRD: cpb_size_scale");
      for (int i = 0; i < cpbCnt; i++) {
        r.readUe("HRD: bit_rate_value_minus1");
        r.readUe("HRD: cpb_size_value_minus1");
        r.readFlag("HRD: cbr_flag");
      }
      r.readBits(5, "HRD: initial_cpb_removal_delay_length_minus1");
      r.readBits(5, "HRD: cpb_removal_delay_length_minus1");
      r.readBits(5, "HRD: dpb_output_delay_length_minus1");
      r.readBits(5, "HRD: time_offset_length");
    }
  }
}
