package io.livemux.codec.h264;

import static io.livemux.codec.EncodedStreams.firstH264Nal;
import static io.livemux.codec.EncodedStreams.hex;
import static io.livemux.codec.EncodedStreams.unhex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import io.livemux.codec.EncodedStreams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvcConfigTest {
  @TempDir Path dir;

  static Stream<Arguments> x264Streams() {
    return Stream.of(
        Arguments.of("high", "642x362", new String[] {}),
        Arguments.of("baseline", "320x240", new String[] {"-profile:v", "baseline"}),
        Arguments.of("main", "1280x720", new String[] {"-profile:v", "main"}),
        Arguments.of("high10", "642x362", new String[] {"-pix_fmt", "yuv420p10le"}),
        Arguments.of("high422", "642x362", new String[] {"-pix_fmt", "yuv422p"}),
        Arguments.of("high444-10", "320x240", new String[] {"-pix_fmt", "yuv444p10le"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("x264Streams")
  void of_x264ParameterSets_equalsTheAvcCFfmpegWritesToMp4(String name, String size, String[] args)
      throws IOException {
    Path file = EncodedStreams.encode(dir, name + ".h264", "libx264", size, "30", args);
    byte[] sps = firstH264Nal(file, 7);
    byte[] pps = firstH264Nal(file, 8);
    byte[] ffmpegAvcC = EncodedStreams.boxPayload(EncodedStreams.remuxToMp4(file), "avcC");

    AvcConfig config =
        AvcConfig.of(
            Collections.singletonList(ByteBuffer.wrap(sps)),
            Collections.singletonList(ByteBuffer.wrap(pps)));

    assertEquals(hex(ffmpegAvcC), hex(config.toBytes()));
    AvcConfig parsed = AvcConfig.parse(ByteBuffer.wrap(ffmpegAvcC));
    assertEquals(config, parsed);
    assertEquals(config.hashCode(), parsed.hashCode());
    assertEquals(sps[1] & 0xFF, parsed.profileIndication());
    assertEquals(sps[2] & 0xFF, parsed.profileCompatibility());
    assertEquals(sps[3] & 0xFF, parsed.levelIndication());
    assertEquals(4, parsed.nalLengthSize());
    assertEquals(ByteBuffer.wrap(sps), parsed.sps().get(0));
    assertEquals(ByteBuffer.wrap(pps), parsed.pps().get(0));
    H264Sps parsedSps = H264Sps.parse(ByteBuffer.wrap(sps));
    assertEquals(parsedSps.profileIdc() != 66 && parsedSps.profileIdc() != 77,
        parsed.hasHighProfileFields());
    assertEquals(parsedSps.chromaFormatIdc(), parsed.chromaFormatIdc());
    assertEquals(parsedSps.bitDepthLuma(), parsed.bitDepthLuma());
    assertEquals(parsedSps.bitDepthChroma(), parsed.bitDepthChroma());
  }

  /** ffmpeg's avcC of x264's High profile 642x362 stream with cqm=jvt and nal-hrd. */
  static final String FFMPEG_AVCC =
      "0164001effe100256764001eacd940a42fe224c044000003000400000300f1810007a10001e84a6c30078b16cb"
          + "01000668ebecb3002cfdf8f800";

  @Test
  void codecString_isProfileCompatibilityLevelInLowerCaseHex() throws LivemuxException {
    assertEquals("avc1.64001e", AvcConfig.parse(ByteBuffer.wrap(unhex(FFMPEG_AVCC))).codecString());
    byte[] baseline = unhex("0142c01fffe100056742c01f00010005" + "68ce3c8000");
    assertEquals("avc1.42c01f", AvcConfig.parse(ByteBuffer.wrap(baseline)).codecString());
  }

  @Test
  void parse_readsFromThePositionBigEndianWithoutMovingIt() throws LivemuxException {
    byte[] record = unhex(FFMPEG_AVCC);
    ByteBuffer buffer = ByteBuffer.allocate(record.length + 7).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(new byte[3]).put(record).put(new byte[] {1, 2, 3, 4});
    buffer.position(3);

    AvcConfig config = AvcConfig.parse(buffer);

    assertEquals(3, buffer.position());
    assertEquals(FFMPEG_AVCC, hex(config.toBytes()));
    assertEquals(37, config.sps().get(0).remaining());
  }

  @Test
  void parse_baselineWithoutHighProfileFields_defaultsTo420And8Bit() throws LivemuxException {
    AvcConfig config =
        AvcConfig.parse(ByteBuffer.wrap(unhex("0142c01fffe100056742c01f00010005" + "68ce3c8000")));
    assertFalse(config.hasHighProfileFields());
    assertEquals(1, config.chromaFormatIdc());
    assertEquals(8, config.bitDepthLuma());
    assertTrue(config.spsExt().isEmpty());
  }

  @Test
  void parse_highProfileWithoutTheExtraFields_isAccepted() throws LivemuxException {
    String withoutExtension = FFMPEG_AVCC.substring(0, FFMPEG_AVCC.length() - 8);
    AvcConfig config = AvcConfig.parse(ByteBuffer.wrap(unhex(withoutExtension)));
    assertFalse(config.hasHighProfileFields());
    assertEquals(withoutExtension, hex(config.toBytes()));
    assertNotEquals(config, AvcConfig.parse(ByteBuffer.wrap(unhex(FFMPEG_AVCC))));
  }

  @Test
  void parse_spsExtensions_areKept() throws LivemuxException {
    String record = FFMPEG_AVCC.substring(0, FFMPEG_AVCC.length() - 2) + "01" + "0002" + "6d01";
    AvcConfig config = AvcConfig.parse(ByteBuffer.wrap(unhex(record)));
    assertEquals(1, config.spsExt().size());
    assertEquals(ByteBuffer.wrap(new byte[] {0x6d, 1}), config.spsExt().get(0));
    assertEquals(record, hex(config.toBytes()));
  }

  @Test
  void parse_twoByteNalLengths_areKept() throws LivemuxException {
    String record = "0142c01ffde100056742c01f00010005" + "68ce3c8000";
    assertEquals(2, AvcConfig.parse(ByteBuffer.wrap(unhex(record))).nalLengthSize());
  }

  @Test
  void parse_badRecords_sayWhatIsWrong() {
    assertParseFails("00" + FFMPEG_AVCC.substring(2), "avcC: configurationVersion must be 1: 0");
    assertParseFails(
        FFMPEG_AVCC.substring(0, 8) + "fe" + FFMPEG_AVCC.substring(10),
        "avcC: lengthSizeMinusOne must be 0, 1 or 3: 2");
    assertParseFails(
        FFMPEG_AVCC.substring(0, 12) + "ff" + FFMPEG_AVCC.substring(14),
        "avcC: SPS 0 length 65317 exceeds the 50 bytes left");
    assertParseFails(
        FFMPEG_AVCC.substring(0, 14) + "0000",
        "avcC: SPS 0 has length 0");
    assertParseFails(
        FFMPEG_AVCC.substring(0, 10) + "e2" + FFMPEG_AVCC.substring(12, 16 + 2 * 37) + "01",
        "avcC: truncated at the length of SPS 1 of 2, bytes left: 1");
    assertParseFails(
        "0164001effe1000568ebecb300",
        "avcC: SPS 0 nal_unit_type must be 7: 8");
    assertParseFails("0164001e", "avcC: truncated at lengthSizeMinusOne, no bytes left");
    assertParseFails(
        FFMPEG_AVCC.substring(0, FFMPEG_AVCC.length() - 8) + "fdfff800",
        "avcC: bit_depth_luma_minus8 out of range 0..6: 7");
  }

  private static void assertParseFails(String hexRecord, String message) {
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> AvcConfig.parse(ByteBuffer.wrap(unhex(hexRecord))));
    assertEquals(message, e.getMessage());
  }

  @Test
  void of_badParameterSets_sayWhatIsWrong() {
    ByteBuffer sps = ByteBuffer.wrap(H264SpsTest.syntheticHighSps());
    ByteBuffer pps = ByteBuffer.wrap(new byte[] {0x68, (byte) 0xce, 0x3c, (byte) 0x80});
    LivemuxException noSps =
        assertThrows(
            LivemuxException.class, () -> AvcConfig.of(List.of(), List.of(pps)));
    assertEquals("avcC: SPS count out of range 1..31: 0", noSps.getMessage());
    LivemuxException swapped =
        assertThrows(LivemuxException.class, () -> AvcConfig.of(List.of(pps), List.of(sps)));
    assertEquals("avcC: SPS 0 nal_unit_type must be 7: 8", swapped.getMessage());
    LivemuxException empty =
        assertThrows(
            LivemuxException.class,
            () -> AvcConfig.of(List.of(sps), List.of(ByteBuffer.allocate(0))));
    assertEquals("avcC: PPS 0 length out of range 1..65535: 0", empty.getMessage());
  }

  @Test
  void of_copiesTheParameterSetsAndHandsOutReadOnlyViews() throws LivemuxException {
    byte[] spsBytes = H264SpsTest.syntheticHighSps();
    byte[] ppsBytes = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
    AvcConfig config =
        AvcConfig.of(List.of(ByteBuffer.wrap(spsBytes)), List.of(ByteBuffer.wrap(ppsBytes)));
    byte[] before = config.toBytes();

    spsBytes[5] ^= 1;
    config.toBytes()[0] = 9;
    ByteBuffer handedOut = config.sps().get(0);
    handedOut.get();

    assertArrayEquals(before, config.toBytes());
    assertEquals(0, config.sps().get(0).position());
    assertThrows(ReadOnlyBufferException.class, () -> config.pps().get(0).put(0, (byte) 0));
    assertThrows(UnsupportedOperationException.class, () -> config.sps().clear());
    assertEquals(100, config.profileIndication());
    assertEquals(40, config.levelIndication());
    assertTrue(config.toString().contains("avc1.640028"), config.toString());
  }
}
