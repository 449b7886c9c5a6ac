package io.livemux.codec.h265;

import static io.livemux.codec.EncodedStreams.firstH265Nal;
import static io.livemux.codec.EncodedStreams.hex;
import static io.livemux.codec.EncodedStreams.unhex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import io.livemux.codec.EncodedStreams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HevcConfigTest {
  @TempDir Path dir;

  static Stream<Arguments> x265Streams() {
    return Stream.of(
        Arguments.of("main", "642x362", new String[] {}),
        Arguments.of("main10", "1280x720", new String[] {"-pix_fmt", "yuv420p10le"}),
        Arguments.of("rext-422-10", "642x362", new String[] {"-pix_fmt", "yuv422p10le"}),
        Arguments.of(
            "sublayers", "320x240",
            new String[] {"-x265-params", "log-level=error:temporal-layers=1"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("x265Streams")
  void of_x265ParameterSets_equalsTheHvcCFfmpegWritesForHvc1(
      String name, String size, String[] args) throws IOException {
    Path file = EncodedStreams.encode(dir, name + ".hevc", "libx265", size, "30", args);
    byte[] vps = firstH265Nal(file, 32);
    byte[] sps = firstH265Nal(file, 33);
    byte[] pps = firstH265Nal(file, 34);
    // ffmpeg sets array_completeness only for the hvc1 sample entry; hev1 (its default) gets 0.
    byte[] ffmpegHvcC =
        EncodedStreams.boxPayload(EncodedStreams.remuxToMp4(file, "-tag:v", "hvc1"), "hvcC");

    HevcConfig config =
        HevcConfig.of(
            List.of(ByteBuffer.wrap(vps)), List.of(ByteBuffer.wrap(sps)),
            List.of(ByteBuffer.wrap(pps)));

    assertEquals(hex(ffmpegHvcC), hex(config.toBytes()));
    HevcConfig parsed = HevcConfig.parse(ByteBuffer.wrap(ffmpegHvcC));
    assertEquals(config, parsed);
    assertEquals(config.hashCode(), parsed.hashCode());
    H265Sps parsedSps = H265Sps.parse(ByteBuffer.wrap(sps));
    assertEquals(parsedSps.generalProfileIdc(), parsed.generalProfileIdc());
    assertEquals(parsedSps.generalLevelIdc(), parsed.generalLevelIdc());
    assertEquals(parsedSps.generalProfileCompatibilityFlags(),
        parsed.generalProfileCompatibilityFlags());
    assertEquals(parsedSps.generalConstraintIndicatorFlags(),
        parsed.generalConstraintIndicatorFlags());
    assertEquals(parsedSps.chromaFormatIdc(), parsed.chromaFormatIdc());
    assertEquals(parsedSps.bitDepthLuma(), parsed.bitDepthLuma());
    assertEquals(parsedSps.maxSubLayers(), parsed.numTemporalLayers());
    assertEquals(parsedSps.temporalIdNesting(), parsed.temporalIdNested());
    assertEquals(4, parsed.nalLengthSize());
    assertEquals(3, parsed.arrays().size());
    assertEquals(ByteBuffer.wrap(vps), parsed.vps().get(0));
    assertEquals(ByteBuffer.wrap(sps), parsed.sps().get(0));
    assertEquals(ByteBuffer.wrap(pps), parsed.pps().get(0));
  }

  /**
   * ffmpeg 5.1's hvcC writer (libavformat/hevc.c skip_hrd_parameters) does not infer
   * fixed_pic_rate_within_cvs_flag = 1 when fixed_pic_rate_general_flag is 1 (H.265 E.3.2), so it
   * reads a VUI with HRD parameters out of step and puts whatever it lands on into
   * min_spatial_segmentation_idc and parallelismType. Everything else must still agree.
   */
  @Test
  void of_x265StreamWithHrd_differsFromFfmpegOnlyWhereFfmpegMisreadsTheHrd() throws IOException {
    Path file = EncodedStreams.encode(dir, "hrd.hevc", "libx265", "320x240", "30",
        "-x265-params", "log-level=error:temporal-layers=1:hrd=1:vbv-bufsize=1000:vbv-maxrate=1000");
    HevcConfig ffmpeg =
        HevcConfig.parse(ByteBuffer.wrap(
            EncodedStreams.boxPayload(EncodedStreams.remuxToMp4(file, "-tag:v", "hvc1"), "hvcC")));

    HevcConfig ours =
        HevcConfig.of(
            List.of(ByteBuffer.wrap(firstH265Nal(file, 32))),
            List.of(ByteBuffer.wrap(firstH265Nal(file, 33))),
            List.of(ByteBuffer.wrap(firstH265Nal(file, 34))));

    // The SPS has no bitstream_restriction (trace_headers agrees), so the value is 0 and
    // parallelismType is 0 with it (ISO/IEC 14496-15 8.3.3.1.3).
    assertEquals(0, ours.minSpatialSegmentationIdc());
    assertEquals(0, ours.parallelismType());
    assertTrue(
        ffmpeg.minSpatialSegmentationIdc() != 0,
        "ffmpeg got this right: its hvcC HRD bug is fixed, tighten this test to byte equality");
    byte[] a = ours.toBytes();
    byte[] b = ffmpeg.toBytes();
    a[13] = b[13]; // min_spatial_segmentation_idc (with its reserved bits)
    a[14] = b[14];
    a[15] = b[15]; // parallelismType
    assertEquals(hex(b), hex(a));
  }

  @Test
  void of_spsWithMinSpatialSegmentation_takesParallelismTypeFromThePps() throws IOException {
    Path file = EncodedStreams.encode(dir, "layers.hevc", "libx265", "320x240", "30",
        "-x265-params", "log-level=error:temporal-layers=1");
    byte[] vps = firstH265Nal(file, 32);
    byte[] pps = firstH265Nal(file, 34); // x265's default wavefront: entropy_coding_sync_enabled

    HevcConfig config =
        HevcConfig.of(
            List.of(ByteBuffer.wrap(vps)), List.of(ByteBuffer.wrap(H265SpsTest.syntheticSps())),
            List.of(ByteBuffer.wrap(pps)));

    assertEquals(200, config.minSpatialSegmentationIdc());
    assertEquals(3, config.parallelismType());
    assertEquals(2, config.chromaFormatIdc());
    assertEquals(10, config.bitDepthLuma());
    assertEquals(2, config.numTemporalLayers());
    assertFalse(config.temporalIdNested());
    assertEquals(config, HevcConfig.parse(ByteBuffer.wrap(config.toBytes())));
  }

  /** ffmpeg's hvcC (hvc1) of x265's Main profile 642x362 stream. */
  static final String FFMPEG_HVCC =
      "0101600000009000000000003ff000fcfdf8f800000f03a00001001840010c01ffff01600000030090000003000003"
          + "003f959809a10001002c42010101600000030090000003000003003fa005120171c9265959a4932bc05a02"
          + "0000030002000003003c10a2000100074401c172b46240";

  @Test
  void codecString_followsIso14496Part15AnnexE() throws LivemuxException {
    HevcConfig main = HevcConfig.parse(ByteBuffer.wrap(unhex(FFMPEG_HVCC)));
    assertEquals("hvc1.1.6.L63.90", main.codecString());
    // Main 10, high tier, level 5.1, progressive + non-packed + frame-only: the RFC 6381 example.
    String main10 = "01" + "22" + "20000000" + "b00000000000" + "99" + FFMPEG_HVCC.substring(26);
    assertEquals("hvc1.2.4.H153.B0",
        HevcConfig.parse(ByteBuffer.wrap(unhex(main10))).codecString());
    // Profile space 1, a constraint byte after a zero byte, trailing zero bytes left out.
    String spaced = "01" + "41" + "40000000" + "00a000000000" + "5d" + FFMPEG_HVCC.substring(26);
    assertEquals("hvc1.A1.2.L93.00.A0",
        HevcConfig.parse(ByteBuffer.wrap(unhex(spaced))).codecString());
  }

  @Test
  void parse_keepsSeiArraysAndIncompleteArrays() throws LivemuxException {
    String record =
        FFMPEG_HVCC.substring(0, 44) + "04" + FFMPEG_HVCC.substring(46) + "27" + "0001" + "0004"
            + "4e01050a";
    HevcConfig config = HevcConfig.parse(ByteBuffer.wrap(unhex(record)));
    assertEquals(4, config.arrays().size());
    HevcConfig.NalArray sei = config.arrays().get(3);
    assertFalse(sei.arrayCompleteness());
    assertEquals(39, sei.nalUnitType());
    assertEquals(1, config.vps().size());
    assertEquals(record, hex(config.toBytes()));
  }

  @Test
  void parse_badRecords_sayWhatIsWrong() {
    assertParseFails("0101", "hvcC: truncated, 2 bytes, the fixed part alone is 23");
    assertParseFails("02" + FFMPEG_HVCC.substring(2), "hvcC: configurationVersion must be 1: 2");
    assertParseFails(
        FFMPEG_HVCC.substring(0, 42) + "0e" + FFMPEG_HVCC.substring(44),
        "hvcC: lengthSizeMinusOne must be 0, 1 or 3: 2");
    assertParseFails(
        FFMPEG_HVCC.substring(0, 44) + "04" + FFMPEG_HVCC.substring(46),
        "hvcC: truncated at array 3 of 4, bytes left: 0");
    assertParseFails(
        FFMPEG_HVCC.substring(0, 46) + "a10001" + FFMPEG_HVCC.substring(52),
        "hvcC: array 0 NAL unit 0 nal_unit_type must be 33: 32");
    assertParseFails(
        FFMPEG_HVCC.substring(0, 52) + "ffff" + FFMPEG_HVCC.substring(56),
        "hvcC: nalUnitLength 65535 of NAL unit 0 in array 0 exceeds the 85 bytes left");
    assertParseFails(
        FFMPEG_HVCC.substring(0, 52) + "0001" + FFMPEG_HVCC.substring(56),
        "hvcC: nalUnitLength of NAL unit 0 in array 0 below 2: 1");
    assertParseFails(
        FFMPEG_HVCC.substring(0, 46) + "a0ffff" + FFMPEG_HVCC.substring(52, 56 + 48),
        "hvcC: truncated at the length of NAL unit 1 of 65535 in array 0, bytes left: 0");
  }

  private static void assertParseFails(String hexRecord, String message) {
    LivemuxException e =
        assertThrows(
            LivemuxException.class, () -> HevcConfig.parse(ByteBuffer.wrap(unhex(hexRecord))));
    assertEquals(message, e.getMessage());
  }

  @Test
  void of_missingOrMisplacedParameterSets_sayWhatIsWrong() {
    ByteBuffer vps = ByteBuffer.wrap(unhex("40010c01ffff01600000030090000003000003003f959809"));
    ByteBuffer sps = ByteBuffer.wrap(H265SpsTest.syntheticSps());
    ByteBuffer pps = ByteBuffer.wrap(unhex("4401c172b46240"));
    LivemuxException noVps =
        assertThrows(LivemuxException.class, () -> HevcConfig.of(List.of(), List.of(sps),
            List.of(pps)));
    assertEquals("hvcC: VPS count out of range 1..16: 0", noVps.getMessage());
    LivemuxException swapped =
        assertThrows(LivemuxException.class, () -> HevcConfig.of(List.of(vps), List.of(pps),
            List.of(sps)));
    assertEquals("hvcC: SPS 0 nal_unit_type must be 33: 34", swapped.getMessage());
  }

  @Test
  void arrays_handOutReadOnlyCopies() throws LivemuxException {
    HevcConfig config = HevcConfig.parse(ByteBuffer.wrap(unhex(FFMPEG_HVCC)));
    assertThrows(ReadOnlyBufferException.class, () -> config.sps().get(0).put(0, (byte) 0));
    assertThrows(UnsupportedOperationException.class, () -> config.arrays().clear());
    assertTrue(config.arrays().get(0).arrayCompleteness());
    assertEquals(32, config.arrays().get(0).nalUnitType());
    assertTrue(config.toString().contains("hvc1.1.6.L63.90"), config.toString());
  }
}
