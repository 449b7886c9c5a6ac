package io.livemux.codec.h265;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import java.nio.ByteBuffer;

/**
 * A parsed H.265 sequence parameter set (ITU-T H.265 7.3.2.2.1): the general profile_tier_level
 * (7.3.3), picture size and conformance window, chroma format and bit depths, and the VUI fields of
 * E.2.1 that a muxer needs (sample aspect ratio, colour description, timing,
 * min_spatial_segmentation_idc).
 *
 * <p>Everything between the bit depths and the VUI (sub-layer ordering, scaling lists, the short-term
 * reference picture sets with their inter prediction, long-term pictures) is parsed exactly, so the
 * VUI after it is reached, and then dropped. Every value read from the data is checked against its
 * range before it is used: malformed input ends in a {@link LivemuxException} naming the field and
 * the value. The SPS extensions after the VUI are not read. Only base-layer SPSs (nuh_layer_id 0)
 * are accepted.
 *
 * <p>Immutable and thread-safe.
 */
public final class H265Sps {
  /** Largest pic_width/height_in_luma_samples accepted. */
  private static final int MAX_DIMENSION = 65_535;
  /** HEVC_MAX_DPB_SIZE: sps_max_dec_pic_buffering_minus1 is at most MaxDpbSize - 1 (A.4.2). */
  private static final int MAX_DPB_SIZE = 16;
  private static final int EXTENDED_SAR = 255;
  /** Table E-1: sample aspect ratios for aspect_ratio_idc 1..16, as {width, height}. */
  private static final int[][] SAR_TABLE = {
    {0, 0}, {1, 1}, {12, 11}, {10, 11}, {16, 11}, {40, 33}, {24, 11}, {20, 11}, {32, 11}, {80, 33},
    {18, 11}, {15, 11}, {64, 33}, {160, 99}, {4, 3}, {3, 2}, {2, 1}
  };

  private final int videoParameterSetId;
  private final int maxSubLayers;
  private final boolean temporalIdNesting;
  private final int generalProfileSpace;
  private final boolean generalTierFlag;
  private final int generalProfileIdc;
  private final int generalProfileCompatibilityFlags;
  private final long generalConstraintIndicatorFlags;
  private final int generalLevelIdc;
  private final int seqParameterSetId;
  private final int chromaFormatIdc;
  private final boolean separateColourPlane;
  private final int codedWidth;
  private final int codedHeight;
  private final int width;
  private final int height;
  private final int bitDepthLuma;
  private final int bitDepthChroma;
  private final int log2MaxPicOrderCntLsb;
  private final int maxDecPicBuffering;
  private final int maxNumReorderPics;
  private final int numShortTermRefPicSets;
  private final boolean longTermRefPicsPresent;
  private final int numLongTermRefPicsSps;
  private final boolean vuiPresent;
  private final int sarWidth;
  private final int sarHeight;
  private final boolean videoFullRange;
  private final int colourPrimaries;
  private final int transferCharacteristics;
  private final int matrixCoefficients;
  private final long numUnitsInTick;
  private final long timeScale;
  private final int minSpatialSegmentationIdc;

  private H265Sps(Parser p) {
    videoParameterSetId = p.videoParameterSetId;
    maxSubLayers = p.maxSubLayers;
    temporalIdNesting = p.temporalIdNesting;
    generalProfileSpace = p.generalProfileSpace;
    generalTierFlag = p.generalTierFlag;
    generalProfileIdc = p.generalProfileIdc;
    generalProfileCompatibilityFlags = p.generalProfileCompatibilityFlags;
    generalConstraintIndicatorFlags = p.generalConstraintIndicatorFlags;
    generalLevelIdc = p.generalLevelIdc;
    seqParameterSetId = p.seqParameterSetId;
    chromaFormatIdc = p.chromaFormatIdc;
    separateColourPlane = p.separateColourPlane;
    codedWidth = p.codedWidth;
    codedHeight = p.codedHeight;
    width = p.width;
    height = p.height;
    bitDepthLuma = p.bitDepthLuma;
    bitDepthChroma = p.bitDepthChroma;
    log2MaxPicOrderCntLsb = p.log2MaxPicOrderCntLsb;
    maxDecPicBuffering = p.maxDecPicBuffering;
    maxNumReorderPics = p.maxNumReorderPics;
    numShortTermRefPicSets = p.numShortTermRefPicSets;
    longTermRefPicsPresent = p.longTermRefPicsPresent;
    numLongTermRefPicsSps = p.numLongTermRefPicsSps;
    vuiPresent = p.vuiPresent;
    sarWidth = p.sarWidth;
    sarHeight = p.sarHeight;
    videoFullRange = p.videoFullRange;
    colourPrimaries = p.colourPrimaries;
    transferCharacteristics = p.transferCharacteristics;
    matrixCoefficients = p.matrixCoefficients;
    numUnitsInTick = p.numUnitsInTick;
    timeScale = p.timeScale;
    minSpatialSegmentationIdc = p.minSpatialSegmentationIdc;
  }

  /**
   * Parses the remaining bytes of {@code nal}: one SPS NAL unit, its 2-byte header included, without
   * a start code or length prefix, emulation-prevention bytes still in place. The buffer's position
   * is not moved.
   *
   * @throws LivemuxException if the NAL unit is not a base-layer SPS, is truncated, or has a field
   *     out of range
   */
  public static H265Sps parse(ByteBuffer nal) throws LivemuxException {
    Parser p = new Parser();
    p.parse(BitReader.rbsp(nal));
    return new H265Sps(p);
  }

  /** sps_video_parameter_set_id, 0..15. */
  public int videoParameterSetId() {
    return videoParameterSetId;
  }

  /** sps_max_sub_layers_minus1 + 1: the number of temporal sub-layers, 1..7. */
  public int maxSubLayers() {
    return maxSubLayers;
  }

  /** sps_temporal_id_nesting_flag. */
  public boolean temporalIdNesting() {
    return temporalIdNesting;
  }

  /** general_profile_space, 0..3 (0 in every published profile). */
  public int generalProfileSpace() {
    return generalProfileSpace;
  }

  /** general_tier_flag: true for the High tier. */
  public boolean generalTierFlag() {
    return generalTierFlag;
  }

  /** general_profile_idc: 1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions… */
  public int generalProfileIdc() {
    return generalProfileIdc;
  }

  /** general_profile_compatibility_flag[0..31], flag[0] in the most significant bit. */
  public int generalProfileCompatibilityFlags() {
    return generalProfileCompatibilityFlags;
  }

  /**
   * The 48 bits from general_progressive_source_flag (bit 47) to general_inbld_flag /
   * general_reserved_zero_bit (bit 0), as the hvcC general_constraint_indicator_flags.
   */
  public long generalConstraintIndicatorFlags() {
    return generalConstraintIndicatorFlags;
  }

  /** general_level_idc: thirty times the level number (93 is level 3.1). */
  public int generalLevelIdc() {
    return generalLevelIdc;
  }

  /** sps_seq_parameter_set_id, 0..15. */
  public int seqParameterSetId() {
    return seqParameterSetId;
  }

  /** chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  public int chromaFormatIdc() {
    return chromaFormatIdc;
  }

  /** separate_colour_plane_flag. */
  public boolean separateColourPlane() {
    return separateColourPlane;
  }

  /** pic_width_in_luma_samples: the decoded width before the conformance window. */
  public int codedWidth() {
    return codedWidth;
  }

  /** pic_height_in_luma_samples: the decoded height before the conformance window. */
  public int codedHeight() {
    return codedHeight;
  }

  /** Display width: {@link #codedWidth} less the conformance window times SubWidthC (7.4.3.2.1). */
  public int width() {
    return width;
  }

  /** Display height: {@link #codedHeight} less the conformance window, scaled by SubHeightC. */
  public int height() {
    return height;
  }

  /** BitDepthY, 8..16. */
  public int bitDepthLuma() {
    return bitDepthLuma;
  }

  /** BitDepthC, 8..16. */
  public int bitDepthChroma() {
    return bitDepthChroma;
  }

  /** log2_max_pic_order_cnt_lsb_minus4 + 4. */
  public int log2MaxPicOrderCntLsb() {
    return log2MaxPicOrderCntLsb;
  }

  /** sps_max_dec_pic_buffering_minus1 + 1 of the highest sub-layer. */
  public int maxDecPicBuffering() {
    return maxDecPicBuffering;
  }

  /** sps_max_num_reorder_pics of the highest sub-layer. */
  public int maxNumReorderPics() {
    return maxNumReorderPics;
  }

  /** num_short_term_ref_pic_sets, 0..64. */
  public int numShortTermRefPicSets() {
    return numShortTermRefPicSets;
  }

  /** long_term_ref_pics_present_flag. */
  public boolean longTermRefPicsPresent() {
    return longTermRefPicsPresent;
  }

  /** num_long_term_ref_pics_sps, 0..32. */
  public int numLongTermRefPicsSps() {
    return numLongTermRefPicsSps;
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

  /** colour_primaries, 2 "unspecified" when absent. */
  public int colourPrimaries() {
    return colourPrimaries;
  }

  /** transfer_characteristics, 2 "unspecified" when absent. */
  public int transferCharacteristics() {
    return transferCharacteristics;
  }

  /** matrix_coeffs, 2 "unspecified" when absent. */
  public int matrixCoefficients() {
    return matrixCoefficients;
  }

  /** True when the VUI carries vui_timing_info. */
  public boolean timingInfoPresent() {
    return timeScale != 0;
  }

  /**
   * vui_num_units_in_tick, or 0 without timing info. A picture lasts {@code numUnitsInTick /
   * timeScale} seconds (E.3.1: in H.265 a tick is one picture).
   */
  public long numUnitsInTick() {
    return numUnitsInTick;
  }

  /** vui_time_scale in Hz, or 0 without timing info. */
  public long timeScale() {
    return timeScale;
  }

  /** min_spatial_segmentation_idc from the bitstream restriction, 0..4095 (0 when absent). */
  public int minSpatialSegmentationIdc() {
    return minSpatialSegmentationIdc;
  }

  @Override
  public String toString() {
    return "H265Sps{profile_idc=" + generalProfileIdc + ", level_idc=" + generalLevelIdc
        + (generalTierFlag ? " (high tier)" : "") + ", id=" + seqParameterSetId + ", " + width
        + "x" + height + " (coded " + codedWidth + "x" + codedHeight + "), chroma_format_idc="
        + chromaFormatIdc + ", bit depth " + bitDepthLuma + "/" + bitDepthChroma
        + (timeScale != 0 ? ", timing " + numUnitsInTick + "/" + timeScale : "") + "}";
  }

  /** Reads the syntax into plain fields; one instance per parse. */
  private static final class Parser {
    int videoParameterSetId;
    int maxSubLayers;
    boolean temporalIdNesting;
    int generalProfileSpace;
    boolean generalTierFlag;
    int generalProfileIdc;
    int generalProfileCompatibilityFlags;
    long generalConstraintIndicatorFlags;
    int generalLevelIdc;
    int seqParameterSetId;
    int chromaFormatIdc;
    boolean separateColourPlane;
    int codedWidth;
    int codedHeight;
    int width;
    int height;
    int bitDepthLuma;
    int bitDepthChroma;
    int log2MaxPicOrderCntLsb;
    int maxDecPicBuffering;
    int maxNumReorderPics;
    int numShortTermRefPicSets;
    boolean longTermRefPicsPresent;
    int numLongTermRefPicsSps;
    boolean vuiPresent;
    int sarWidth;
    int sarHeight;
    boolean videoFullRange;
    int colourPrimaries = 2;
    int transferCharacteristics = 2;
    int matrixCoefficients = 2;
    long numUnitsInTick;
    long timeScale;
    int minSpatialSegmentationIdc;

    void parse(BitReader r) throws LivemuxException {
      // nal_unit_header, 7.3.1.2
      if (r.readFlag("SPS: forbidden_zero_bit")) {
        throw new LivemuxException("SPS: forbidden_zero_bit must be 0: 1");
      }
      int nalUnitType = r.readInt(6, "SPS: nal_unit_type");
      if (nalUnitType != 33) {
        throw new LivemuxException("SPS: nal_unit_type must be 33: " + nalUnitType);
      }
      int layerId = r.readInt(6, "SPS: nuh_layer_id");
      if (layerId != 0) {
        throw new LivemuxException("SPS: nuh_layer_id must be 0 (base layer): " + layerId);
      }
      r.readBits(3, "SPS: nuh_temporal_id_plus1");

      // seq_parameter_set_rbsp, 7.3.2.2.1
      videoParameterSetId = r.readInt(4, "SPS: sps_video_parameter_set_id");
      int maxSubLayersMinus1 = r.readInt(3, "SPS: sps_max_sub_layers_minus1");
      if (maxSubLayersMinus1 > 6) {
        throw new LivemuxException("SPS: sps_max_sub_layers_minus1 out of range 0..6: 7");
      }
      maxSubLayers = maxSubLayersMinus1 + 1;
      temporalIdNesting = r.readFlag("SPS: sps_temporal_id_nesting_flag");
      readProfileTierLevel(r, maxSubLayersMinus1);
      seqParameterSetId = r.readUe("SPS: sps_seq_parameter_set_id", 0, 15);
      chromaFormatIdc = r.readUe("SPS: chroma_format_idc", 0, 3);
      if (chromaFormatIdc == 3) {
        separateColourPlane = r.readFlag("SPS: separate_colour_plane_flag");
      }
      codedWidth = r.readUe("SPS: pic_width_in_luma_samples", 1, MAX_DIMENSION);
      codedHeight = r.readUe("SPS: pic_height_in_luma_samples", 1, MAX_DIMENSION);
      width = codedWidth;
      height = codedHeight;
      if (r.readFlag("SPS: conformance_window_flag")) {
        readConformanceWindow(r);
      }
      bitDepthLuma = 8 + r.readUe("SPS: bit_depth_luma_minus8", 0, 8);
      bitDepthChroma = 8 + r.readUe("SPS: bit_depth_chroma_minus8", 0, 8);
      log2MaxPicOrderCntLsb = 4 + r.readUe("SPS: log2_max_pic_order_cnt_lsb_minus4", 0, 12);
      boolean orderingInfoForAll = r.readFlag("SPS: sps_sub_layer_ordering_info_present_flag");
      for (int i = orderingInfoForAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
        maxDecPicBuffering =
            1 + r.readUe("SPS: sps_max_dec_pic_buffering_minus1", 0, MAX_DPB_SIZE - 1);
        maxNumReorderPics =
            r.readUe("SPS: sps_max_num_reorder_pics", 0, maxDecPicBuffering - 1);
        r.readUe("SPS: sps_max_latency_increase_plus1");
      }
      int log2MinCbSize = 3 + r.readUe("SPS: log2_min_luma_coding_block_size_minus3", 0, 3);
      r.readUe("SPS: log2_diff_max_min_luma_coding_block_size", 0, 6 - log2MinCbSize);
      int log2MinTbSize = 2 + r.readUe("SPS: log2_min_luma_transform_block_size_minus2", 0, 3);
      r.readUe("SPS: log2_diff_max_min_luma_transform_block_size", 0, 5 - log2MinTbSize);
      r.readUe("SPS: max_transform_hierarchy_depth_inter", 0, 4);
      r.readUe("SPS: max_transform_hierarchy_depth_intra", 0, 4);
      if (r.readFlag("SPS: scaling_list_enabled_flag")) {
        if (r.readFlag("SPS: sps_scaling_list_data_present_flag")) {
          skipScalingListData(r);
        }
      }
      r.readFlag("SPS: amp_enabled_flag");
      r.readFlag("SPS: sample_adaptive_offset_enabled_flag");
      if (r.readFlag("SPS: pcm_enabled_flag")) {
        r.readBits(4, "SPS: pcm_sample_bit_depth_luma_minus1");
        r.readBits(4, "SPS: pcm_sample_bit_depth_chroma_minus1");
        r.readUe("SPS: log2_min_pcm_luma_coding_block_size_minus3", 0, 2);
        r.readUe("SPS: log2_diff_max_min_pcm_luma_coding_block_size", 0, 2);
        r.readFlag("SPS: pcm_loop_filter_disabled_flag");
      }
      numShortTermRefPicSets = r.readUe("SPS: num_short_term_ref_pic_sets", 0, 64);
      ShortTermRefPicSets sets = new ShortTermRefPicSets(numShortTermRefPicSets);
      for (int i = 0; i < numShortTermRefPicSets; i++) {
        sets.read(r, i);
      }
      longTermRefPicsPresent = r.readFlag("SPS: long_term_ref_pics_present_flag");
      if (longTermRefPicsPresent) {
        numLongTermRefPicsSps = r.readUe("SPS: num_long_term_ref_pics_sps", 0, 32);
        for (int i = 0; i < numLongTermRefPicsSps; i++) {
          r.readBits(log2MaxPicOrderCntLsb, "SPS: lt_ref_pic_poc_lsb_sps");
          r.readFlag("SPS: used_by_curr_pic_lt_sps_flag");
        }
      }
      r.readFlag("SPS: sps_temporal_mvp_enabled_flag");
      r.readFlag("SPS: strong_intra_smoothing_enabled_flag");
      vuiPresent = r.readFlag("SPS: vui_parameters_present_flag");
      if (vuiPresent) {
        readVui(r, maxSubLayersMinus1);
      }
      // sps_extension_present_flag and the extensions follow; nothing a muxer needs.
    }

    /** profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3. */
    private void readProfileTierLevel(BitReader r, int maxSubLayersMinus1)
        throws LivemuxException {
      generalProfileSpace = r.readInt(2, "PTL: general_profile_space");
      generalTierFlag = r.readFlag("PTL: general_tier_flag");
      generalProfileIdc = r.readInt(5, "PTL: general_profile_idc");
      generalProfileCompatibilityFlags =
          (int) r.readBits(32, "PTL: general_profile_compatibility_flag");
      // progressive, interlaced, non_packed, frame_only, then 43 constraint/reserved bits and
      // general_inbld_flag / general_reserved_zero_bit: 48 bits in all.
      generalConstraintIndicatorFlags =
          r.readBits(32, "PTL: general_constraint_flags") << 16
              | r.readBits(16, "PTL: general_constraint_flags");
      generalLevelIdc = r.readInt(8, "PTL: general_level_idc");
      boolean[] profilePresent = new boolean[maxSubLayersMinus1];
      boolean[] levelPresent = new boolean[maxSubLayersMinus1];
      for (int i = 0; i < maxSubLayersMinus1; i++) {
        profilePresent[i] = r.readFlag("PTL: sub_layer_profile_present_flag");
        levelPresent[i] = r.readFlag("PTL: sub_layer_level_present_flag");
      }
      if (maxSubLayersMinus1 > 0) {
        for (int i = maxSubLayersMinus1; i < 8; i++) {
          r.readBits(2, "PTL: reserved_zero_2bits");
        }
      }
      for (int i = 0; i < maxSubLayersMinus1; i++) {
        if (profilePresent[i]) {
          // sub_layer_profile_space .. sub_layer_inbld_flag: 2 + 1 + 5 + 32 + 48 bits
          r.skipBits(88, "PTL: sub_layer profile");
        }
        if (levelPresent[i]) {
          r.readBits(8, "PTL: sub_layer_level_idc");
        }
      }
    }

    /** conf_win_*_offset, in chroma sample units: SubWidthC, SubHeightC of Table 6-1 (7.4.3.2.1). */
    private void readConformanceWindow(BitReader r) throws LivemuxException {
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
      int subHeightC = chromaArrayType == 1 ? 2 : 1;
      int left = r.readUe("SPS: conf_win_left_offset", 0, codedWidth);
      int right = r.readUe("SPS: conf_win_right_offset", 0, codedWidth);
      int top = r.readUe("SPS: conf_win_top_offset", 0, codedHeight);
      int bottom = r.readUe("SPS: conf_win_bottom_offset", 0, codedHeight);
      width = codedWidth - subWidthC * (left + right);
      height = codedHeight - subHeightC * (top + bottom);
      if (width < 1) {
        throw new LivemuxException(
            "SPS: conf_win_left_offset " + left + " + conf_win_right_offset " + right + " (x"
                + subWidthC + ") leave no width of " + codedWidth);
      }
      if (height < 1) {
        throw new LivemuxException(
            "SPS: conf_win_top_offset " + top + " + conf_win_bottom_offset " + bottom + " (x"
                + subHeightC + ") leave no height of " + codedHeight);
      }
    }

    /** scaling_list_data(), 7.3.4: read and dropped. */
    private static void skipScalingListData(BitReader r) throws LivemuxException {
      for (int sizeId = 0; sizeId < 4; sizeId++) {
        for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
          if (!r.readFlag("SPS: scaling_list_pred_mode_flag")) {
            // Refers to an earlier matrix of the same size (7.4.5).
            int maxDelta = sizeId == 3 ? matrixId / 3 : matrixId;
            r.readUe("SPS: scaling_list_pred_matrix_id_delta", 0, maxDelta);
          } else {
            int coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
            if (sizeId > 1) {
              checkSe(r.readSe("SPS: scaling_list_dc_coef_minus8"), -7, 247,
                  "SPS: scaling_list_dc_coef_minus8");
            }
            for (int i = 0; i < coefNum; i++) {
              checkSe(r.readSe("SPS: scaling_list_delta_coef"), -128, 127,
                  "SPS: scaling_list_delta_coef");
            }
          }
        }
      }
    }

    private static void checkSe(long value, int min, int max, String field)
        throws LivemuxException {
      if (value < min || value > max) {
        throw new LivemuxException(field + " out of range " + min + ".." + max + ": " + value);
      }
    }

    /** vui_parameters(), E.2.1. */
    private void readVui(BitReader r, int maxSubLayersMinus1) throws LivemuxException {
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
          matrixCoefficients = r.readInt(8, "VUI: matrix_coeffs");
        }
      }
      if (r.readFlag("VUI: chroma_loc_info_present_flag")) {
        r.readUe("VUI: chroma_sample_loc_type_top_field", 0, 5);
        r.readUe("VUI: chroma_sample_loc_type_bottom_field", 0, 5);
      }
      r.readFlag("VUI: neutral_chroma_indication_flag");
      r.readFlag("VUI: field_seq_flag");
      r.readFlag("VUI: frame_field_info_present_flag");
      if (r.readFlag("VUI: default_display_window_flag")) {
        r.readUe("VUI: def_disp_win_left_offset");
        r.readUe("VUI: def_disp_win_right_offset");
        r.readUe("VUI: def_disp_win_top_offset");
        r.readUe("VUI: def_disp_win_bottom_offset");
      }
      if (r.readFlag("VUI: vui_timing_info_present_flag")) {
        long units = r.readBits(32, "VUI: vui_num_units_in_tick");
        long scale = r.readBits(32, "VUI: vui_time_scale");
        // Both shall be > 0 (E.3.1); a zero is taken as "no timing info", as decoders do.
        if (units != 0 && scale != 0) {
          numUnitsInTick = units;
          timeScale = scale;
        }
        if (r.readFlag("VUI: vui_poc_proportional_to_timing_flag")) {
          r.readUe("VUI: vui_num_ticks_poc_diff_one_minus1");
        }
        if (r.readFlag("VUI: vui_hrd_parameters_present_flag")) {
          HrdParameters.skip(r, maxSubLayersMinus1);
        }
      }
      if (r.readFlag("VUI: bitstream_restriction_flag")) {
        r.readFlag("VUI: tiles_fixed_structure_flag");
        r.readFlag("VUI: motion_vectors_over_pic_boundaries_flag");
        r.readFlag("VUI: restricted_ref_pic_lists_flag");
        minSpatialSegmentationIdc = r.readUe("VUI: min_spatial_segmentation_idc", 0, 4095);
        r.readUe("VUI: max_bytes_per_pic_denom", 0, 16);
        r.readUe("VUI: max_bits_per_min_cu_denom", 0, 16);
        r.readUe("VUI: log2_max_mv_length_horizontal", 0, 16);
        r.readUe("VUI: log2_max_mv_length_vertical", 0, 16);
      }
    }
  }
}
