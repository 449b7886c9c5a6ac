package io.livemux.codec.h264;

import static io.livemux.codec.EncodedStreams.annexB;
import static io.livemux.codec.EncodedStreams.bitDepthOf;
import static io.livemux.codec.EncodedStreams.chromaFormatOf;
import static io.livemux.codec.EncodedStreams.escape;
import static io.livemux.codec.EncodedStreams.firstH264Nal;
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
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class H264SpsTest {
  @TempDir Path dir;

  /** name, size, rate, asked pix_fmt, coded size, x264 options. */
  static Stream<Arguments> x264Streams() {
    return Stream.of(
        Arguments.of("high-642x362", "642x362", "30", "yuv420p", "656x368", new String[] {}),
        Arguments.of("high-1080p", "1920x1080", "25", "yuv420p", "1920x1088", new String[] {}),
        Arguments.of(
            "main-720p-ntsc", "1280x720", "24000/1001", "yuv420p", "1280x720",
            new String[] {"-profile:v", "main"}),
        Arguments.of(
            "baseline-320x240", "320x240", "30", "yuv420p", "320x240",
            new String[] {"-profile:v", "baseline"}),
        Arguments.of(
            "high422", "642x362", "50", "yuv422p", "656x368",
            new String[] {"-pix_fmt", "yuv422p", "-profile:v", "high422"}),
        Arguments.of(
            "high444", "642x362", "30", "yuv444p", "656x368",
            new String[] {"-pix_fmt", "yuv444p", "-profile:v", "high444"}),
        Arguments.of(
            "high10", "642x362", "30000/1001", "yuv420p10le", "656x368",
            new String[] {"-pix_fmt", "yuv420p10le", "-profile:v", "high10"}),
        Arguments.of(
            "high444-10", "320x240", "30", "yuv444p10le", "320x240",
            new String[] {"-pix_fmt", "yuv444p10le"}),
        // x264 puts its quantisation matrices in the PPS, so scaling lists in an SPS are only in
        // the synthetic SPSs below; this one brings the VUI's NAL HRD parameters.
        Arguments.of(
            "high-hrd", "642x362", "30", "yuv420p", "656x368",
            new String[] {
              "-x264-params", "nal-hrd=vbr", "-b:v", "500k", "-maxrate", "500k", "-bufsize", "1000k"
            }),
        Arguments.of("gray", "642x362", "30", "gray", "656x368", new String[] {"-pix_fmt", "gray"}),
        Arguments.of(
            "interlaced", "642x364", "30", "yuv420p", "656x384", new String[] {"-flags", "+ildct"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("x264Streams")
  void parse_x264Stream_matchesFfprobeAndTraceHeaders(
      String name, String size, String rate, String pixFmt, String codedSize, String[] args)
      throws IOException {
    Path file = EncodedStreams.encode(dir, name + ".h264", "libx264", size, rate, args);

    H264Sps sps = H264Sps.parse(ByteBuffer.wrap(firstH264Nal(file, 7)));

    Map<String, String> probe = Peers.ffprobeStream(file, "v:0");
    assertEquals(probe.get("width"), String.valueOf(sps.width()), "width");
    assertEquals(probe.get("height"), String.valueOf(sps.height()), "height");
    assertEquals(size, sps.width() + "x" + sps.height());
    // ffprobe 5.1 reports the cropped size as coded_width/height for H.264; the SPS has the MBs.
    assertEquals(codedSize, sps.codedWidth() + "x" + sps.codedHeight(), "coded size");
    assertEquals(profileIdc(probe.get("profile")), sps.profileIdc(), "profile");
    assertEquals(probe.get("level"), String.valueOf(sps.levelIdc()), "level");
    assertEquals(chromaFormatOf(pixFmt), sps.chromaFormatIdc(), "chroma_format_idc");
    assertEquals(bitDepthOf(pixFmt), sps.bitDepthLuma(), "bit depth");
    assertEquals(bitDepthOf(pixFmt), sps.bitDepthChroma(), "bit depth");
    if (!pixFmt.equals("gray")) { // ffmpeg 5.1 decodes 4:0:0 H.264 to yuvj420p
      assertEquals(chromaFormatOf(probe.get("pix_fmt")), sps.chromaFormatIdc(), "pix_fmt");
      assertEquals(bitDepthOf(probe.get("pix_fmt")), sps.bitDepthLuma(), "pix_fmt");
    }
    assertTrue(sps.timingInfoPresent());
    assertEquals(
        probe.get("r_frame_rate"), fraction(sps.timeScale(), 2 * sps.numUnitsInTick()),
        "r_frame_rate");

    Map<String, Long> trace = traceHeaders(file, "h264").get("Sequence Parameter Set");
    assertTraceMatches(trace, sps);
  }

  @Test
  void parse_picOrderCntType1WithHrdAndExplicitSar_matchesTraceHeaders() throws IOException {
    byte[] nal = syntheticHighSps();
    Path file = dir.resolve("synthetic.h264");
    Files.write(file, annexB(nal));

    H264Sps sps = H264Sps.parse(ByteBuffer.wrap(nal));

    assertTraceMatches(traceHeaders(file, "h264").get("Sequence Parameter Set"), sps);
    assertEquals(1, sps.picOrderCntType());
    assertEquals(1270, sps.width());
    assertEquals(710, sps.height());
    assertEquals(1280, sps.codedWidth());
    assertEquals(720, sps.codedHeight());
    assertEquals(4, sps.sarWidth());
    assertEquals(3, sps.sarHeight());
    assertTrue(sps.videoFullRange());
    assertEquals(9, sps.colourPrimaries());
    assertEquals(16, sps.transferCharacteristics());
    assertEquals(9, sps.matrixCoefficients());
    assertEquals(1001, sps.numUnitsInTick());
    assertEquals(60000, sps.timeScale());
    assertTrue(sps.fixedFrameRate());
    assertEquals(2, sps.maxNumReorderFrames());
    assertEquals(4, sps.maxDecFrameBuffering());
  }

  @Test
  void parse_separateColourPlanesAndFields_cropsInLumaUnitsAndFieldPairs() throws IOException {
    byte[] nal = syntheticSeparatePlanesSps();
    Path file = dir.resolve("planes.h264");
    Files.write(file, annexB(nal));

    H264Sps sps = H264Sps.parse(ByteBuffer.wrap(nal));

    assertTraceMatches(traceHeaders(file, "h264").get("Sequence Parameter Set"), sps);
    assertEquals(3, sps.chromaFormatIdc());
    assertTrue(sps.separateColourPlane());
    assertEquals(10, sps.bitDepthLuma());
    assertEquals(12, sps.bitDepthChroma());
    assertFalse(sps.frameMbsOnly());
    assertEquals(2, sps.picOrderCntType());
    // ChromaArrayType 0: CropUnitX 1; fields: CropUnitY 2 (7-19, 7-20).
    assertEquals(320, sps.codedWidth());
    assertEquals(256, sps.codedHeight());
    assertEquals(320 - 4, sps.width());
    assertEquals(256 - 2 * 3, sps.height());
    assertFalse(sps.vuiPresent());
    assertFalse(sps.timingInfoPresent());
    assertEquals(H264Sps.UNSET, sps.maxNumReorderFrames());
  }

  @Test
  void parse_spsCutShortInsideBitstreamRestriction_dropsOnlyTheRestriction()
      throws LivemuxException {
    byte[] whole = syntheticHighSps();
    byte[] cut = Arrays.copyOf(whole, whole.length - 2);

    H264Sps sps = H264Sps.parse(ByteBuffer.wrap(cut));

    assertEquals(1270, sps.width());
    assertEquals(60000, sps.timeScale());
    assertEquals(H264Sps.UNSET, sps.maxNumReorderFrames());
    assertEquals(H264Sps.UNSET, sps.maxDecFrameBuffering());
    LivemuxException cutEarlier =
        assertThrows(
            LivemuxException.class, () -> H264Sps.parse(ByteBuffer.wrap(Arrays.copyOf(whole, 40))));
    assertTrue(cutEarlier.getMessage().startsWith("truncated data"), cutEarlier.getMessage());
  }

  @Test
  void parse_picOrderCntTypeOutOfRange_namesFieldAndValue() {
    BitWriter w = spsStart(66, 30, 0);
    w.writeUe(0); // log2_max_frame_num_minus4
    w.writeUe(7); // pic_order_cnt_type
    LivemuxException e = assertThrows(LivemuxException.class, () -> parse(w));
    assertEquals("SPS: pic_order_cnt_type out of range 0..2: 7", e.getMessage());
  }

  @Test
  void parse_notAnSps_namesNalUnitType() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class, () -> H264Sps.parse(ByteBuffer.wrap(new byte[] {0x68, 1, 2})));
    assertEquals("SPS: nal_unit_type must be 7: 8", e.getMessage());
  }

  @Test
  void parse_truncatedSps_namesTheFieldItStoppedAt() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> H264Sps.parse(ByteBuffer.wrap(new byte[] {0x67, 100, 0})));
    assertTrue(e.getMessage().contains("SPS: level_idc"), e.getMessage());
  }

  @Test
  void parse_croppingWiderThanPicture_isRejectedWithOffsets() {
    BitWriter w = spsStart(66, 30, 0);
    w.writeUe(0).writeUe(2).writeUe(1).writeFlag(false); // frame_num, POC type 2, refs, gaps
    w.writeUe(9).writeUe(9).writeFlag(true).writeFlag(true); // 160x160, frame_mbs_only, 8x8
    w.writeFlag(true).writeUe(40).writeUe(40).writeUe(0).writeUe(0); // crop 2 * 80 of 160
    w.writeFlag(false);
    LivemuxException e = assertThrows(LivemuxException.class, () -> parse(w));
    assertEquals(
        "SPS: frame_crop_left_offset 40 + frame_crop_right_offset 40 (x2) leave no width of 160",
        e.getMessage());
  }

  @Test
  void parse_doesNotMoveThePosition() throws LivemuxException {
    ByteBuffer nal = ByteBuffer.wrap(syntheticHighSps());
    H264Sps.parse(nal);
    assertEquals(0, nal.position());
  }

  private static H264Sps parse(BitWriter w) throws LivemuxException {
    w.writeFlag(true).alignWithZeros(); // rbsp_trailing_bits
    return H264Sps.parse(ByteBuffer.wrap(nal(0x67, w)));
  }

  static int profileIdc(String ffprobeProfile) {
    switch (ffprobeProfile) {
      case "Baseline":
      case "Constrained Baseline":
        return 66;
      case "Main":
        return 77;
      case "High":
        return 100;
      case "High 10":
        return 110;
      case "High 4:2:2":
        return 122;
      case "High 4:4:4 Predictive":
        return 244;
      default:
        throw new AssertionError("unmapped profile " + ffprobeProfile);
    }
  }

  /** Compares every field ffmpeg's own SPS reader printed that this class exposes. */
  static void assertTraceMatches(Map<String, Long> trace, H264Sps sps) {
    assertEquals(trace.get("profile_idc"), (long) sps.profileIdc(), "profile_idc");
    assertEquals(trace.get("level_idc"), (long) sps.levelIdc(), "level_idc");
    assertEquals(trace.get("seq_parameter_set_id"), (long) sps.seqParameterSetId(), "sps id");
    assertEquals(trace.getOrDefault("chroma_format_idc", 1L), (long) sps.chromaFormatIdc());
    assertEquals(trace.getOrDefault("bit_depth_luma_minus8", 0L) + 8, sps.bitDepthLuma());
    assertEquals(trace.getOrDefault("bit_depth_chroma_minus8", 0L) + 8, sps.bitDepthChroma());
    assertEquals(trace.get("log2_max_frame_num_minus4") + 4, sps.log2MaxFrameNum());
    assertEquals(trace.get("pic_order_cnt_type"), (long) sps.picOrderCntType());
    assertEquals(trace.get("max_num_ref_frames"), (long) sps.maxNumRefFrames());
    assertEquals((trace.get("pic_width_in_mbs_minus1") + 1) * 16, sps.codedWidth());
    assertEquals(trace.get("frame_mbs_only_flag") == 1, sps.frameMbsOnly());
    assertEquals(
        (trace.get("pic_height_in_map_units_minus1") + 1) * 16 * (sps.frameMbsOnly() ? 1 : 2),
        sps.codedHeight());
    assertEquals(trace.get("vui_parameters_present_flag") == 1, sps.vuiPresent());
    assertEquals(trace.getOrDefault("num_units_in_tick", 0L), sps.numUnitsInTick());
    assertEquals(trace.getOrDefault("time_scale", 0L), sps.timeScale());
    assertEquals(
        trace.getOrDefault("max_num_reorder_frames", -1L), (long) sps.maxNumReorderFrames());
    assertEquals(
        trace.getOrDefault("max_dec_frame_buffering", -1L), (long) sps.maxDecFrameBuffering());
  }

  private static BitWriter spsStart(int profileIdc, int levelIdc, int spsId) {
    BitWriter w = new BitWriter();
    w.writeBits(profileIdc, 8).writeBits(0, 8).writeBits(levelIdc, 8).writeUe(spsId);
    return w;
  }

  static byte[] nal(int header, BitWriter rbsp) {
    byte[] body = escape(rbsp.toByteArray());
    byte[] nal = new byte[1 + body.length];
    nal[0] = (byte) header;
    System.arraycopy(body, 0, nal, 1, body.length);
    return nal;
  }

  /**
   * High profile, scaling lists (one ending early through a zero nextScale, one flat, one 8x8),
   * POC type 1 with a cycle, cropping on all sides, and a VUI with everything: extended SAR,
   * colour description, chroma location, timing, NAL and VCL HRD, bitstream restriction.
   */
  static byte[] syntheticHighSps() {
    BitWriter w = spsStart(100, 40, 0);
    w.writeUe(1).writeUe(0).writeUe(0).writeFlag(false); // 4:2:0, 8-bit, no bypass
    w.writeFlag(true); // seq_scaling_matrix_present_flag
    for (int i = 0; i < 8; i++) {
      boolean present = i == 0 || i == 2 || i == 6;
      w.writeFlag(present);
      if (i == 0) {
        w.writeSe(2).writeSe(-10); // 8 -> 10 -> 0: stops after two
      } else if (i == 2) {
        for (int j = 0; j < 16; j++) {
          w.writeSe(0);
        }
      } else if (i == 6) {
        for (int j = 0; j < 64; j++) {
          w.writeSe(1);
        }
      }
    }
    w.writeUe(2); // log2_max_frame_num_minus4
    w.writeUe(1); // pic_order_cnt_type
    w.writeFlag(false).writeSe(-3).writeSe(5); // delta_pic_order_always_zero, offsets
    w.writeUe(3).writeSe(2).writeSe(-1).writeSe(4); // cycle of three
    w.writeUe(4).writeFlag(false); // max_num_ref_frames, gaps
    w.writeUe(79).writeUe(44); // 80 x 45 MBs: 1280x720
    w.writeFlag(true).writeFlag(true); // frame_mbs_only, direct_8x8_inference
    w.writeFlag(true).writeUe(2).writeUe(3).writeUe(1).writeUe(4); // cropping, CropUnit 2x2
    w.writeFlag(true); // vui_parameters_present_flag
    w.writeFlag(true).writeBits(255, 8).writeBits(4, 16).writeBits(3, 16); // Extended_SAR 4:3
    w.writeFlag(true).writeFlag(false); // overscan
    w.writeFlag(true).writeBits(5, 3).writeFlag(true); // video_format, full range
    w.writeFlag(true).writeBits(9, 8).writeBits(16, 8).writeBits(9, 8); // BT.2020 PQ
    w.writeFlag(true).writeUe(1).writeUe(2); // chroma_loc_info
    w.writeFlag(true).writeBits(1001, 32).writeBits(60000, 32).writeFlag(true); // timing
    w.writeFlag(true); // nal_hrd_parameters_present_flag
    writeHrd(w, 2);
    w.writeFlag(true); // vcl_hrd_parameters_present_flag
    writeHrd(w, 1);
    w.writeFlag(false); // low_delay_hrd_flag
    w.writeFlag(true); // pic_struct_present_flag
    w.writeFlag(true).writeFlag(true).writeUe(2).writeUe(1).writeUe(15).writeUe(15); // restriction
    w.writeUe(2).writeUe(4); // max_num_reorder_frames, max_dec_frame_buffering
    w.writeFlag(true).alignWithZeros();
    return nal(0x67, w);
  }

  private static void writeHrd(BitWriter w, int cpbCount) {
    w.writeUe(cpbCount - 1).writeBits(3, 4).writeBits(4, 4);
    for (int i = 0; i < cpbCount; i++) {
      w.writeUe(12345 + i).writeUe(54321 + i).writeFlag(i == 1);
    }
    w.writeBits(23, 5).writeBits(23, 5).writeBits(23, 5).writeBits(24, 5);
  }

  /** High 4:4:4 with separate colour planes, 10/12 bits, 12 scaling lists, fields, POC type 2. */
  static byte[] syntheticSeparatePlanesSps() {
    BitWriter w = spsStart(244, 51, 0);
    w.writeUe(3).writeFlag(true); // chroma_format_idc 3, separate_colour_plane_flag
    w.writeUe(2).writeUe(4).writeFlag(false); // bit depths 10 and 12, no bypass
    w.writeFlag(true); // seq_scaling_matrix_present_flag
    for (int i = 0; i < 12; i++) {
      w.writeFlag(i >= 6);
      if (i >= 6) {
        for (int j = 0; j < 64; j++) {
          w.writeSe(j % 2 == 0 ? 3 : -2);
        }
      }
    }
    w.writeUe(12).writeUe(2).writeUe(1).writeFlag(true); // frame_num, POC type 2, refs, gaps
    w.writeUe(19).writeUe(7); // 20 MBs x 8 map units (16 MB rows of fields): 320x256
    w.writeFlag(false).writeFlag(true).writeFlag(true); // fields, MBAFF, direct_8x8_inference
    w.writeFlag(true).writeUe(3).writeUe(1).writeUe(1).writeUe(2); // cropping
    w.writeFlag(false); // no VUI
    w.writeFlag(true).alignWithZeros();
    return nal(0x67, w);
  }
}
