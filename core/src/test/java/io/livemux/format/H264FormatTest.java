package io.livemux.format;

import static io.livemux.codec.EncodedStreams.annexB;
import static io.livemux.codec.EncodedStreams.fraction;
import static io.livemux.codec.EncodedStreams.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import io.livemux.codec.EncodedStreams;
import io.livemux.codec.RealParameterSets;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class H264FormatTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "high, 642x362, 30, avc1.64001e",
    "high, 1920x1080, 25, avc1.640028",
    "baseline, 320x240, 24000/1001, avc1.42c00d",
  })
  void fromAnnexB_x264Stream_equalsFromAvcCOfFfmpegsMp4AndMatchesFfprobe(
      String profile, String size, String rate, String codecString) throws IOException {
    Path file =
        EncodedStreams.encode(dir, profile + size + ".h264", "libx264", size, rate,
            "-profile:v", profile);
    byte[] avcC = EncodedStreams.boxPayload(EncodedStreams.remuxToMp4(file), "avcC");

    H264Format format = H264Format.fromAnnexB(ByteBuffer.wrap(Files.readAllBytes(file)));

    assertEquals(H264Format.fromAvcC(ByteBuffer.wrap(avcC)), format);
    assertEquals(hex(avcC), hex(bytes(format.avcC())));
    Map<String, String> probe = Peers.ffprobeStream(file, "v:0");
    assertEquals(size, format.width() + "x" + format.height());
    assertEquals(probe.get("width") + "x" + probe.get("height"),
        format.width() + "x" + format.height());
    assertEquals((format.width() + 15) / 16 * 16, format.codedWidth());
    assertEquals((format.height() + 15) / 16 * 16, format.codedHeight());
    assertEquals(probe.get("level"), String.valueOf(format.levelIdc()));
    assertEquals(profile.equals("high") ? 100 : 66, format.profileIdc());
    assertEquals(probe.get("r_frame_rate"),
        format.frameRateNumerator() + "/" + format.frameRateDenominator());
    assertEquals(probe.get("r_frame_rate"),
        fraction(format.timingTimeScale(), 2 * format.timingNumUnitsInTick()));
    assertEquals(codecString, format.codecString());
    assertEquals(1, format.chromaFormatIdc());
    assertEquals(8, format.bitDepthLuma());
    assertEquals(8, format.bitDepthChroma());
    assertEquals(4, format.nalLengthSize());
  }

  @Test
  void fromParameterSets_equalsFromAnnexBOfTheSameUnits() throws LivemuxException {
    ByteBuffer sps = ByteBuffer.wrap(RealParameterSets.X264_HIGH444_10_SPS);
    ByteBuffer pps = ByteBuffer.wrap(RealParameterSets.X264_HIGH444_10_PPS);

    H264Format format = H264Format.fromParameterSets(List.of(sps), List.of(pps));

    assertEquals(
        format,
        H264Format.fromAnnexB(ByteBuffer.wrap(annexB(
            RealParameterSets.X264_HIGH444_10_SPS, RealParameterSets.X264_HIGH444_10_PPS,
            RealParameterSets.X264_IDR_PREFIX))));
    assertEquals(3, format.chromaFormatIdc());
    assertEquals(10, format.bitDepthLuma());
    assertEquals(244, format.profileIdc());
    assertEquals(642, format.width());
    assertEquals(List.of(sps), format.sps());
    assertEquals(List.of(pps), format.pps());
    assertEquals("video/avc", format.mimeType());
    assertFalse(format.isRaw());
    assertEquals(TrackType.VIDEO, format.trackType());
    assertEquals(90_000, format.defaultTimescale());
    assertEquals(
        "H264Format{avc1.f4001e, 642x362, chroma_format_idc=3, 10-bit, 30 fps}",
        format.toString());
  }

  @Test
  void fromAnnexB_takesDistinctParameterSetsUpToTheFirstSliceAfterThem() throws LivemuxException {
    byte[] sps = RealParameterSets.X264_HIGH_HRD_SPS;
    byte[] pps = RealParameterSets.X264_HIGH_CQM_PPS;
    byte[] pps1 = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
    byte[] idr = RealParameterSets.X264_IDR_PREFIX;
    byte[] laterSps = RealParameterSets.X264_BASELINE_SPS;
    byte[] stream = annexB(idr, sps, pps, sps, pps1, idr, laterSps);

    H264Format format = H264Format.fromAnnexB(ByteBuffer.wrap(stream));

    assertEquals(List.of(ByteBuffer.wrap(sps)), format.sps());
    assertEquals(List.of(ByteBuffer.wrap(pps), ByteBuffer.wrap(pps1)), format.pps());
  }

  @Test
  void fromAnnexB_acceptsThreeByteStartCodesTrailingZerosAndAPosition() throws LivemuxException {
    byte[] sps = RealParameterSets.X264_BASELINE_SPS;
    byte[] pps = RealParameterSets.X264_BASELINE_PPS;
    ByteBuffer stream = ByteBuffer.allocate(5 + 3 + sps.length + 2 + 3 + pps.length);
    stream.put(new byte[] {9, 9, 0, 0, 1}).put(sps).put(new byte[] {0, 0}).put(new byte[] {0, 0, 1});
    stream.put(pps).flip();
    stream.position(2);

    H264Format format = H264Format.fromAnnexB(stream);

    assertEquals(2, stream.position());
    assertEquals(ByteBuffer.wrap(sps), format.sps().get(0));
    assertEquals(320, format.width());
  }

  @Test
  void fromAnnexB_withoutWhatItNeeds_saysWhatIsMissing() {
    assertFails(new byte[] {1, 2, 3, 4}, "H.264 Annex B: no start code (00 00 01) in 4 bytes");
    assertFails(
        annexB(RealParameterSets.X264_BASELINE_PPS, RealParameterSets.X264_IDR_PREFIX),
        "H.264 Annex B: no SPS (nal_unit_type 7) in 93 bytes");
    assertFails(
        annexB(RealParameterSets.X264_BASELINE_SPS),
        "H.264 Annex B: no PPS (nal_unit_type 8) in 28 bytes");
  }

  private static void assertFails(byte[] stream, String message) {
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> H264Format.fromAnnexB(ByteBuffer.wrap(stream)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void fromAvcC_withoutSpsOrPps_isRejected() {
    LivemuxException e =
        assertThrows(
            LivemuxException.class,
            () -> H264Format.fromAvcC(ByteBuffer.wrap(new byte[] {1, 66, 0, 30, -1, -32, 0})));
    assertEquals("avcC: numOfSequenceParameterSets is 0, H264Format needs an SPS", e.getMessage());
    byte[] sps = RealParameterSets.X264_BASELINE_SPS;
    byte[] spsOnly = new byte[8 + sps.length + 1];
    System.arraycopy(new byte[] {1, 66, -64, 13, -1, -31, 0, (byte) sps.length}, 0, spsOnly, 0, 8);
    System.arraycopy(sps, 0, spsOnly, 8, sps.length);
    LivemuxException noPps =
        assertThrows(LivemuxException.class, () -> H264Format.fromAvcC(ByteBuffer.wrap(spsOnly)));
    assertEquals("avcC: numOfPictureParameterSets is 0, H264Format needs a PPS", noPps.getMessage());
  }

  @Test
  void accessors_handOutReadOnlyViewsAndEqualityFollowsTheRecord() throws LivemuxException {
    H264Format a = H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    H264Format b = H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    H264Format other =
        H264Format.fromParameterSets(
            List.of(ByteBuffer.wrap(RealParameterSets.X264_BASELINE_SPS)),
            List.of(ByteBuffer.wrap(RealParameterSets.X264_BASELINE_PPS)));

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, other);
    assertThrows(ReadOnlyBufferException.class, () -> a.avcC().put(0, (byte) 0));
    assertThrows(ReadOnlyBufferException.class, () -> a.sps().get(0).put(0, (byte) 0));
    a.avcC().get(new byte[4]);
    assertEquals(0, a.avcC().position());
    assertTrue(a.avcC().isReadOnly());
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
