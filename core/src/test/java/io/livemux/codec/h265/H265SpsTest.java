package io.livemux.codec.h265;

import static io.livemux.codec.EncodedStreams.annexB;
import static io.livemux.codec.EncodedStreams.bitDepthOf;
import static io.livemux.codec.EncodedStreams.chromaFormatOf;
import static io.livemux.codec.EncodedStreams.firstH265Nal;
import static io.livemux.codec.EncodedStreams.fraction;
import static io.livemux.codec.EncodedStreams.traceHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitWriter;
import io.livemux.codec.EncodedStreams;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class H265SpsTest {
  @TempDir Path dir;

  /** name, size, rate, asked pix_fmt, profile_idc, x265 options. */
  static Stream<Arguments> x265Streams() {
    return Stream.of(
        Arguments.of("main-642x362", "642x362", "30", "yuv420p", 1, new String[] {}),
        Arguments.of("main-1080p", "1920x1080", "25", "yuv420p", 1, new String[] {}),
        Arguments.of(
            "main10-720p-ntsc", "1280x720", "24000/1001", "yuv420p10le", 2,
            new String[] {"-pix_fmt", "yuv420p10le"}),
        Arguments.of(
            "main-hrd-sublayers", "320x240", "30", "yuv420p", 1,
            new String[] {
              "-x265-params",
              "log-level=error:temporal-layers=1:hrd=1:vbv-bufsize=1000:vbv-maxrate=1000"
            }),
        Arguments.of(
            "rext-422-10", "642x362", "50", "yuv422p10le", 4,
            new String[] {"-pix_fmt", "yuv422p10le"}),
        Arguments.of(
            "rext-444", "642x362", "30", "yuv444p", 4, new String[] {"-pix_fmt", "yuv444p"}),
        Arguments.of(
            "rext-420-12", "320x240", "30", "yuv420p12le", 4,
            new String[] {"-pix_fmt", "yuv420p12le"}),
        Arguments.of("rext-gray", "642x362", "30", "gray", 4, new String[] {"-pix_fmt", "gray"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("x265Streams")
  void parse_x265Stream_matchesFfprobeAndTraceHeaders(
      String name, String size, String rate, String pixFmt, int profileIdc, String[] args)
      throws IOException {
    Path file = EncodedStreams.encode(dir, name + ".hevc", "libx265", size, rate, args);

    H265Sps sps = H265Sps.parse(ByteBuffer.wrap(firstH265Nal(file, 33)));

    Map<String, String> probe = Peers.ffprobeStream(file, "v:0");
    assertEquals(probe.get("width"), String.valueOf(sps.width()), "width");
    assertEquals(probe.get("height"), String.valueOf(sps.height()), "height");
    assertEquals(size, sps.width() + "x" + sps.height());
    assertEquals(probe.get("coded_width"), String.valueOf(sps.codedWidth()), "coded_width");
    assertEquals(probe.get("coded_height"), String.valueOf(sps.codedHeight()), "coded_height");
    assertEquals(profileIdc, sps.generalProfileIdc());
    assertEquals(profileIdc(probe.get("profile")), sps.generalProfileIdc(), "profile");
    assertEquals(probe.get("level"), String.valueOf(sps.generalLevelIdc()), "level");
    assertEquals(chromaFormatOf(pixFmt), sps.chromaFormatIdc(), "chroma_format_idc");
    assertEquals(chromaFormatOf(probe.get("pix_fmt")), sps.chromaFormatIdc(), "pix_fmt");
    assertEquals(bitDepthOf(pixFmt), sps.bitDepthLuma(), "bit depth");
    assertEquals(bitDepthOf(probe.get("pix_fmt")), sps.bitDepthLuma(), "pix_fmt");
    assertEquals(bitDepthOf(pixFmt), sps.bitDepthChroma(), "bit depth");
    assertTrue(sps.timingInfoPresent());
    assertEquals(
        probe.get("r_frame_rate"), fraction(sps.timeScale(), sps.numUnitsInTick()),
        "r_frame_rate");

    assertTraceMatches(traceHeaders(file, "hevc").get("Sequence Parameter Set"), sps);
  }

  @Test
  void parse_predictedRefPicSetsLongTermScalingListsAndFullVui_reachesVuiLikeFfmpeg()
      throws IOException {
    Path real = EncodedStreams.encode(dir, "layers.hevc", "libx265", "320x240", "30",
        "-x265-params", "log-level=error:temporal-layers=1");
    byte[] vps = firstH265Nal(real, 32);
    byte[] sps = syntheticSps();
    Path file = dir.resolve("synthetic.hevc");
    Files.write(file, annexB(vps, sps));

    H265Sps parsed = H265Sps.parse(ByteBuffer.wrap(sps));

    Map<String, Long> trace = traceHeaders(file, "hevc").get("Sequence Parameter Set");
    assertTraceMatches(trace, parsed);
    assertEquals(1, trace.get("inter_ref_pic_set_prediction_flag"), "ffmpeg saw a predicted RPS");
    assertEquals(2, parsed.maxSubLayers());
    assertEquals(4, parsed.generalProfileIdc());
    assertEquals(2, parsed.chromaFormatIdc());
    assertEquals(1920, parsed.codedWidth());
    assertEquals(1088, parsed.codedHeight());
    assertEquals(1920 - 2 * (1 + 2), parsed.width()); // SubWidthC 2
    assertEquals(1088 - 8, parsed.height()); // SubHeightC 1 for 4:2:2
    assertEquals(5, parsed.numShortTermRefPicSets());
    assertTrue(parsed.longTermRefPicsPresent());
    assertEquals(2, parsed.numLongTermRefPicsSps());
    assertEquals(16, parsed.sarWidth());
    assertEquals(9, parsed.sarHeight());
    assertEquals(1001, parsed.numUnitsInTick());
    assertEquals(60000, parsed.timeScale());
    assertEquals(200, parsed.minSpatialSegmentationIdc());
    assertEquals(6, parsed.maxDecPicBuffering());
    assertEquals(3, parsed.maxNumReorderPics());
  }

  @Test
  void parse_rpsPredictedPastSixteenPictures_isRejected() {
    BitWriter w = spsHeader(0);
    w.writeUe(1).writeUe(64).writeUe(64).writeFlag(false); // 4:2:0 64x64
    w.writeUe(0).writeUe(0).writeUe(4).writeFlag(true); // 8-bit, POC lsb 8 bits
    w.writeUe(15).writeUe(0).writeUe(0); // dec_pic_buffering 16
    w.writeUe(0).writeUe(3).writeUe(0).writeUe(3).writeUe(0).writeUe(0); // block sizes
    w.writeFlag(false).writeFlag(false).writeFlag(false).writeFlag(false); // lists, amp, sao, pcm
    w.writeUe(3); // num_short_term_ref_pic_sets
    w.writeUe(15).writeUe(0); // set 0: 15 negative pictures
    for (int i = 0; i < 15; i++) {
      w.writeUe(0).writeFlag(true);
    }
    w.writeFlag(true).writeFlag(true).writeUe(0); // set 1: predicted, deltaRps -1
    for (int j = 0; j <= 15; j++) {
      w.writeFlag(true); // all used: 16 negative pictures
    }
    w.writeFlag(true).alignWithZeros();
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> H265Sps.parse(ByteBuffer.wrap(nal(33, w))));
    assertEquals(
        "RPS: predicted set 1 has too many pictures (NumNegativePics 16, NumPositivePics 0),"
            + " each must be below 16",
        e.getMessage());
  }

  @Test
  void parse_chromaFormatOutOfRange_namesFieldAndValue() {
    BitWriter w = spsHeader(0);
    w.writeUe(4);
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> H265Sps.parse(ByteBuffer.wrap(nal(33, w))));
    assertEquals("SPS: chroma_format_idc out of range 0..3: 4", e.getMessage());
  }

  @Test
  void parse_enhancementLayerSps_isRejected() {
    byte[] nal = {0x42, 0x09, 0x01}; // nal_unit_type 33, nuh_layer_id 1
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> H265Sps.parse(ByteBuffer.wrap(nal)));
    assertEquals("SPS: nuh_layer_id must be 0 (base layer): 1", e.getMessage());
  }

  @Test
  void parse_vps_namesNalUnitType() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> H265Sps.parse(ByteBuffer.wrap(new byte[] {0x40, 0x01, 0x0c})));
    assertEquals("SPS: nal_unit_type must be 33: 32", e.getMessage());
  }

  static int profileIdc(String ffprobeProfile) {
    switch (ffprobeProfile) {
      case "Main":
        return 1;
      case "Main 10":
        return 2;
      case "Main Still Picture":
        return 3;
      case "Rext":
        return 4;
      default:
        throw new AssertionError("unmapped profile " + ffprobeProfile);
    }
  }

  /** Compares every field ffmpeg's own SPS reader printed that this class exposes. */
  static void assertTraceMatches(Map<String, Long> trace, H265Sps sps) {
    assertEquals(trace.get("sps_video_parameter_set_id"), (long) sps.videoParameterSetId());
    assertEquals(trace.get("sps_max_sub_layers_minus1") + 1, sps.maxSubLayers());
    assertEquals(trace.get("sps_temporal_id_nesting_flag") == 1, sps.temporalIdNesting());
    assertEquals(trace.get("general_profile_space"), (long) sps.generalProfileSpace());
    assertEquals(trace.get("general_tier_flag") == 1, sps.generalTierFlag());
    assertEquals(trace.get("general_profile_idc"), (long) sps.generalProfileIdc());
    for (int j = 0; j < 32; j++) {
      assertEquals(
          trace.get("general_profile_compatibility_flag[" + j + "]"),
          (long) (sps.generalProfileCompatibilityFlags() >>> (31 - j) & 1), "compat flag " + j);
    }
    assertEquals(
        trace.get("general_progressive_source_flag"),
        sps.generalConstraintIndicatorFlags() >>> 47 & 1);
    assertEquals(
        trace.get("general_frame_only_constraint_flag"),
        sps.generalConstraintIndicatorFlags() >>> 44 & 1);
    assertEquals(trace.get("general_level_idc"), (long) sps.generalLevelIdc());
    assertEquals(trace.get("sps_seq_parameter_set_id"), (long) sps.seqParameterSetId());
    assertEquals(trace.get("chroma_format_idc"), (long) sps.chromaFormatIdc());
    assertEquals(trace.get("pic_width_in_luma_samples"), (long) sps.codedWidth());
    assertEquals(trace.get("pic_height_in_luma_samples"), (long) sps.codedHeight());
    assertEquals(trace.get("bit_depth_luma_minus8") + 8, sps.bitDepthLuma());
    assertEquals(trace.get("bit_depth_chroma_minus8") + 8, sps.bitDepthChroma());
    assertEquals(trace.get("log2_max_pic_order_cnt_lsb_minus4") + 4, sps.log2MaxPicOrderCntLsb());
    assertEquals(trace.get("num_short_term_ref_pic_sets"), (long) sps.numShortTermRefPicSets());
    assertEquals(trace.get("long_term_ref_pics_present_flag") == 1, sps.longTermRefPicsPresent());
    assertEquals(trace.get("vui_parameters_present_flag") == 1, sps.vuiPresent());
    assertEquals(trace.getOrDefault("vui_num_units_in_tick", 0L), sps.numUnitsInTick());
    assertEquals(trace.getOrDefault("vui_time_scale", 0L), sps.timeScale());
    assertEquals(
        trace.getOrDefault("min_spatial_segmentation_idc", 0L),
        (long) sps.minSpatialSegmentationIdc());
  }

  private static BitWriter spsHeader(int maxSubLayersMinus1) {
    BitWriter w = new BitWriter();
    w.writeBits(0, 4).writeBits(maxSubLayersMinus1, 3).writeFlag(true); // vps id, nesting
    w.writeBits(0, 2).writeFlag(false).writeBits(1, 5); // Main
    w.writeBits(0x6000_0000L, 32).writeBits(0x9000_0000_0000L, 48).writeBits(93, 8);
    w.writeUe(0); // sps_seq_parameter_set_id
    return w;
  }

  static byte[] nal(int type, BitWriter rbsp) {
    byte[] body = EncodedStreams.escape(rbsp.toByteArray());
    byte[] nal = new byte[2 + body.length];
    nal[0] = (byte) (type << 1);
    nal[1] = 1; // nuh_layer_id 0, nuh_temporal_id_plus1 1
    System.arraycopy(body, 0, nal, 2, body.length);
    return nal;
  }

  /**
   * An SPS with everything between the bit depths and the VUI that changes its length: two
   * sub-layers (sub-layer profile and level), scaling_list_data with both prediction modes, PCM,
   * five short-term RPSs of which three are predicted from the one before (one from an empty set),
   * two long-term pictures, then a VUI with default display window, timing, HRD with sub-picture
   * parameters for both sub-layers, and a bitstream restriction with min_spatial_segmentation_idc.
   */
  static byte[] syntheticSps() {
    BitWriter w = new BitWriter();
    w.writeBits(0, 4).writeBits(1, 3).writeFlag(false); // vps 0, two sub-layers, not nested
    // profile_tier_level(1, 1): Main 4:2:2 10 (format range extensions)
    w.writeBits(0, 2).writeFlag(false).writeBits(4, 5);
    w.writeBits(0x0800_0000L, 32); // general_profile_compatibility_flag[4]
    w.writeBits(0x9000_0000_0000L | 0x0c00_0000_0000L, 48).writeBits(120, 8);
    w.writeFlag(true).writeFlag(true); // sub_layer_profile/level_present_flag[0]
    for (int i = 1; i < 8; i++) {
      w.writeBits(0, 2); // reserved_zero_2bits
    }
    w.writeBits(0, 2).writeFlag(false).writeBits(4, 5).writeBits(0x0800_0000L, 32);
    w.writeBits(0x9000_0000_0000L, 48).writeBits(90, 8); // sub-layer 0 profile and level
    w.writeUe(0); // sps_seq_parameter_set_id
    w.writeUe(2); // chroma_format_idc 4:2:2
    w.writeUe(1920).writeUe(1088);
    w.writeFlag(true).writeUe(1).writeUe(2).writeUe(0).writeUe(8); // conformance window
    w.writeUe(2).writeUe(2); // 10-bit
    w.writeUe(4); // log2_max_pic_order_cnt_lsb_minus4: 8 bits
    w.writeFlag(true); // sps_sub_layer_ordering_info_present_flag
    w.writeUe(4).writeUe(2).writeUe(0); // sub-layer 0
    w.writeUe(5).writeUe(3).writeUe(0); // sub-layer 1
    w.writeUe(0).writeUe(3); // CB 8..64
    w.writeUe(0).writeUe(3); // TB 4..32
    w.writeUe(1).writeUe(2); // transform hierarchy depths
    w.writeFlag(true).writeFlag(true); // scaling_list_enabled, sps_scaling_list_data_present
    for (int sizeId = 0; sizeId < 4; sizeId++) {
      for (int matrixId = 0; matrixId < 6; matrixId += sizeId == 3 ? 3 : 1) {
        boolean explicit = matrixId == 0 || matrixId == 4;
        w.writeFlag(explicit); // scaling_list_pred_mode_flag
        if (!explicit) {
          w.writeUe(1); // scaling_list_pred_matrix_id_delta: the matrix before
        } else {
          int coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
          if (sizeId > 1) {
            w.writeSe(8); // scaling_list_dc_coef_minus8
          }
          for (int i = 0; i < coefNum; i++) {
            w.writeSe(i % 3 - 1); // scaling_list_delta_coef
          }
        }
      }
    }
    w.writeFlag(true).writeFlag(true); // amp, sao
    w.writeFlag(true).writeBits(7, 4).writeBits(7, 4).writeUe(0).writeUe(1).writeFlag(false); // pcm
    w.writeUe(5); // num_short_term_ref_pic_sets
    // 0: explicit (no inter_ref_pic_set_prediction_flag for the first), S0 = {-1, -3}, S1 = {+2}
    w.writeUe(2).writeUe(1);
    w.writeUe(0).writeFlag(true).writeUe(1).writeFlag(true).writeUe(1).writeFlag(false);
    // 1: predicted from 0 with deltaRps -1: S0 = {-1, -2, -4}, S1 = {+1}
    w.writeFlag(true).writeFlag(true).writeUe(0);
    w.writeFlag(true).writeFlag(true).writeFlag(false).writeFlag(true).writeFlag(true);
    // 2: predicted from 1 with deltaRps +2, S0[0] of 1 dropped: S0 = {-2}, S1 = {+2, +3}
    w.writeFlag(true).writeFlag(false).writeUe(1);
    w.writeFlag(false).writeFlag(false); // j 0: not used, no delta
    w.writeFlag(true).writeFlag(true).writeFlag(true).writeFlag(true); // j 1..4
    // 3: explicit and empty
    w.writeFlag(false).writeUe(0).writeUe(0);
    // 4: predicted from the empty set: only deltaRps -5 itself
    w.writeFlag(true).writeFlag(true).writeUe(4).writeFlag(true);
    w.writeFlag(true).writeUe(2); // long_term_ref_pics_present_flag, two of them
    w.writeBits(17, 8).writeFlag(true).writeBits(200, 8).writeFlag(false);
    w.writeFlag(true).writeFlag(false); // temporal MVP, strong intra smoothing
    w.writeFlag(true); // vui_parameters_present_flag
    w.writeFlag(true).writeBits(255, 8).writeBits(16, 16).writeBits(9, 16); // SAR 16:9
    w.writeFlag(false); // overscan
    w.writeFlag(true).writeBits(5, 3).writeFlag(false).writeFlag(true); // video signal
    w.writeBits(1, 8).writeBits(1, 8).writeBits(1, 8); // BT.709
    w.writeFlag(true).writeUe(0).writeUe(0); // chroma_loc_info
    w.writeFlag(false).writeFlag(false).writeFlag(false); // neutral, field_seq, frame_field
    w.writeFlag(true).writeUe(4).writeUe(4).writeUe(0).writeUe(0); // default display window
    w.writeFlag(true).writeBits(1001, 32).writeBits(60000, 32); // timing
    w.writeFlag(true).writeUe(0); // poc proportional
    w.writeFlag(true); // vui_hrd_parameters_present_flag
    w.writeFlag(true).writeFlag(true).writeFlag(true); // NAL, VCL, sub_pic_hrd_params
    w.writeBits(88, 8).writeBits(20, 5).writeFlag(true).writeBits(20, 5);
    w.writeBits(3, 4).writeBits(4, 4).writeBits(5, 4); // scales
    w.writeBits(23, 5).writeBits(23, 5).writeBits(23, 5);
    w.writeFlag(true).writeUe(0).writeUe(1); // sub-layer 0: fixed rate, two CPBs
    writeSubLayerHrd(w, 2);
    writeSubLayerHrd(w, 2);
    w.writeFlag(false).writeFlag(false).writeFlag(true); // sub-layer 1: low delay, one CPB
    writeSubLayerHrd(w, 1);
    writeSubLayerHrd(w, 1);
    w.writeFlag(true).writeFlag(false).writeFlag(true).writeFlag(true); // bitstream_restriction
    w.writeUe(200).writeUe(2).writeUe(1).writeUe(15).writeUe(15);
    w.writeFlag(false); // sps_extension_present_flag
    w.writeFlag(true).alignWithZeros();
    return nal(33, w);
  }

  private static void writeSubLayerHrd(BitWriter w, int cpbCount) {
    for (int i = 0; i < cpbCount; i++) {
      w.writeUe(1000 + i).writeUe(2000 + i).writeUe(300 + i).writeUe(400 + i).writeFlag(i == 0);
    }
  }
}
