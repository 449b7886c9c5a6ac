package io.livemux.format;

import static io.livemux.codec.EncodedStreams.annexB;
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

class H265FormatTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "yuv420p, 642x362, 30, 1, hvc1.1.6.L63.90",
    "yuv420p, 1920x1080, 25, 1, hvc1.1.6.L120.90",
    "yuv420p10le, 1280x720, 24000/1001, 2, hvc1.2.4.L93.90",
  })
  void fromAnnexB_x265Stream_equalsFromHvcCOfFfmpegsMp4AndMatchesFfprobe(
      String pixFmt, String size, String rate, int profileIdc, String codecString)
      throws IOException {
    Path file =
        EncodedStreams.encode(dir, pixFmt + size + ".hevc", "libx265", size, rate,
            "-pix_fmt", pixFmt);
    byte[] hvcC =
        EncodedStreams.boxPayload(EncodedStreams.remuxToMp4(file, "-tag:v", "hvc1"), "hvcC");

    H265Format format = H265Format.fromAnnexB(ByteBuffer.wrap(Files.readAllBytes(file)));

    assertEquals(H265Format.fromHvcC(ByteBuffer.wrap(hvcC)), format);
    assertEquals(hex(hvcC), hex(H264FormatTest.bytes(format.hvcC())));
    Map<String, String> probe = Peers.ffprobeStream(file, "v:0");
    assertEquals(size, format.width() + "x" + format.height());
    assertEquals(probe.get("width") + "x" + probe.get("height"),
        format.width() + "x" + format.height());
    assertEquals(probe.get("coded_width") + "x" + probe.get("coded_height"),
        format.codedWidth() + "x" + format.codedHeight());
    assertEquals(probe.get("level"), String.valueOf(format.levelIdc()));
    assertEquals(profileIdc, format.profileIdc());
    assertFalse(format.highTier());
    assertEquals(probe.get("r_frame_rate"),
        format.frameRateNumerator() + "/" + format.frameRateDenominator());
    assertEquals(codecString, format.codecString());
    assertEquals(1, format.chromaFormatIdc());
    assertEquals(pixFmt.contains("10") ? 10 : 8, format.bitDepthLuma());
    assertEquals(pixFmt.contains("10") ? 10 : 8, format.bitDepthChroma());
    assertEquals(4, format.nalLengthSize());
  }

  @Test
  void fromParameterSets_equalsFromAnnexBOfTheSameUnits() throws LivemuxException {
    byte[] vps = RealParameterSets.X265_HRD_VPS;
    byte[] sps = RealParameterSets.X265_HRD_SPS;
    byte[] pps = RealParameterSets.X265_PPS;

    H265Format format =
        H265Format.fromParameterSets(
            List.of(ByteBuffer.wrap(vps)), List.of(ByteBuffer.wrap(sps)),
            List.of(ByteBuffer.wrap(pps)));

    assertEquals(
        format,
        H265Format.fromAnnexB(
            ByteBuffer.wrap(annexB(vps, sps, pps, RealParameterSets.X265_IDR_PREFIX))));
    assertEquals(List.of(ByteBuffer.wrap(vps)), format.vps());
    assertEquals(List.of(ByteBuffer.wrap(sps)), format.sps());
    assertEquals(List.of(ByteBuffer.wrap(pps)), format.pps());
    assertEquals(320, format.width());
    assertEquals(240, format.height());
    assertEquals(30, format.timingTimeScale());
    assertEquals(1, format.timingNumUnitsInTick());
    assertEquals("video/hevc", format.mimeType());
    assertFalse(format.isRaw());
    assertEquals(TrackType.VIDEO, format.trackType());
    assertEquals(
        "H265Format{hvc1.1.6.L60.90, 320x240, chroma_format_idc=1, 8-bit, 30 fps}",
        format.toString());
  }

  @Test
  void fromAnnexB_skipsOtherLayersAndStopsAtTheFirstSliceAfterTheParameterSets()
      throws LivemuxException {
    byte[] vps = RealParameterSets.X265_MAIN_VPS;
    byte[] sps = RealParameterSets.X265_MAIN_SPS;
    byte[] pps = RealParameterSets.X265_PPS;
    byte[] layer1Sps = sps.clone();
    layer1Sps[1] = 0x09; // nuh_layer_id 1
    byte[] idr = RealParameterSets.X265_IDR_PREFIX;
    byte[] laterSps = RealParameterSets.X265_HRD_SPS;
    byte[] stream = annexB(idr, vps, layer1Sps, sps, pps, vps, idr, laterSps);

    H265Format format = H265Format.fromAnnexB(ByteBuffer.wrap(stream));

    assertEquals(List.of(ByteBuffer.wrap(vps)), format.vps());
    assertEquals(List.of(ByteBuffer.wrap(sps)), format.sps());
    assertEquals(642, format.width());
    assertEquals(648, format.codedWidth());
  }

  @Test
  void fromAnnexB_withoutWhatItNeeds_saysWhatIsMissing() {
    assertFails(new byte[0], "H.265 Annex B: no start code (00 00 01) in 0 bytes");
    assertFails(
        annexB(RealParameterSets.X265_MAIN_SPS, RealParameterSets.X265_PPS),
        "H.265 Annex B: no VPS (nal_unit_type 32) in 59 bytes");
    assertFails(
        annexB(RealParameterSets.X265_MAIN_VPS, RealParameterSets.X265_PPS),
        "H.265 Annex B: no SPS (nal_unit_type 33) in 39 bytes");
    assertFails(
        annexB(RealParameterSets.X265_MAIN_VPS, RealParameterSets.X265_MAIN_SPS),
        "H.265 Annex B: no PPS (nal_unit_type 34) in 76 bytes");
  }

  private static void assertFails(byte[] stream, String message) {
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> H265Format.fromAnnexB(ByteBuffer.wrap(stream)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void fromHvcC_withoutAVpsArray_isRejected() {
    byte[] record = RealParameterSets.FFMPEG_HVCC.clone();
    record[23] = (byte) 0xa7; // the VPS array becomes type 39 (prefix SEI)
    LivemuxException e =
        assertThrows(LivemuxException.class, () -> H265Format.fromHvcC(ByteBuffer.wrap(record)));
    assertEquals("hvcC: no VPS array (NAL_unit_type 32), H265Format needs one", e.getMessage());
  }

  @Test
  void accessors_handOutReadOnlyViewsAndEqualityFollowsTheRecord() throws LivemuxException {
    H265Format a = H265Format.fromHvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_HVCC));
    H265Format b = H265Format.fromHvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_HVCC));
    byte[] incomplete = RealParameterSets.FFMPEG_HVCC.clone();
    incomplete[23] &= 0x7f; // array_completeness 0: same parameter sets, another record
    H265Format other = H265Format.fromHvcC(ByteBuffer.wrap(incomplete));

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, other);
    assertThrows(ReadOnlyBufferException.class, () -> a.hvcC().put(0, (byte) 0));
    assertThrows(ReadOnlyBufferException.class, () -> a.vps().get(0).put(0, (byte) 0));
    assertTrue(a.hvcC().isReadOnly());
  }
}
