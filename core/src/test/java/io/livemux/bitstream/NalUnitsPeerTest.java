package io.livemux.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NAL framing against the streams x264/x265 write and the MP4 samples ffmpeg makes from them. */
class NalUnitsPeerTest {
  /** An independent oracle for Annex B framing: split on start codes with a regular expression. */
  private static final Pattern START_CODE = Pattern.compile("\u0000?\u0000\u0000\u0001");

  @TempDir Path dir;

  @Test
  void x264AnnexB_convertsToTheSamplesFfmpegWritesIntoMp4_andBack() throws Exception {
    Path h264 = dir.resolve("in.h264");
    Path mp4 = dir.resolve("out.mp4");
    Peers.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x120:rate=25",
        "-t",
        "1",
        "-c:v",
        "libx264",
        "-f",
        "h264",
        h264.toString());
    Peers.ffmpeg("-i", h264.toString(), "-c", "copy", "-f", "mp4", mp4.toString());
    byte[] annexB = Files.readAllBytes(h264);

    ByteBuffer lengthPrefixed = NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(annexB), 4);
    ByteBuffer back = NalUnits.lengthPrefixedToAnnexB(lengthPrefixed.duplicate(), 4);

    // One track, so mdat is every sample in order: ffmpeg's length-prefixed stream.
    byte[] file = Files.readAllBytes(mp4);
    byte[] mdat = boxPayload(file, "mdat");
    assertArrayEquals(mdat, NalUnitsTest.array(lengthPrefixed));
    // The first sample, by stsz and stco, holds SPS, PPS, x264's SEI and the IDR slice.
    int firstSampleSize = readInt(file, boxPayloadOffset(file, "stsz") + 12);
    int firstChunkOffset = readInt(file, boxPayloadOffset(file, "stco") + 8);
    List<Integer> types = new ArrayList<>();
    NalUnits.Cursor ours = NalUnits.lengthPrefixedCursor(4).reset(lengthPrefixed);
    NalUnits.Cursor ffmpegs =
        NalUnits.lengthPrefixedCursor(4)
            .reset(ByteBuffer.wrap(file, firstChunkOffset, firstSampleSize));
    while (ffmpegs.next()) {
      assertTrue(ours.next());
      assertEquals(ffmpegs.slice(), ours.slice());
      types.add(NalUnits.h264NalType(ours.slice().get(0)));
    }
    assertEquals(List.of(7, 8, 6, 5), types);
    // Back to Annex B: the input with each start code written as 4 bytes (x264 uses 3 for some).
    assertArrayEquals(normalize(annexB), NalUnitsTest.array(back));
    assertTrue(countThreeByteStartCodes(annexB) > 0, "x264 no longer writes 3-byte start codes?");
  }

  @Test
  void x265AnnexB_convertsToTheSamplesFfmpegWritesIntoMp4() throws Exception {
    Path hevc = dir.resolve("in.hevc");
    Path mp4 = dir.resolve("out.mp4");
    Peers.ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x128:rate=25",
        "-t",
        "0.4",
        "-c:v",
        "libx265",
        "-x265-params",
        "log-level=error",
        "-f",
        "hevc",
        hevc.toString());
    Peers.ffmpeg("-i", hevc.toString(), "-c", "copy", "-f", "mp4", mp4.toString());
    byte[] annexB = Files.readAllBytes(hevc);

    ByteBuffer lengthPrefixed = NalUnits.annexBToLengthPrefixed(ByteBuffer.wrap(annexB), 4);

    // ffmpeg 5.1's hevc parser ends each packet with the zero_byte of the next start code, and its
    // mp4 muxer keeps it in the last NAL unit of each sample; B.1 says it belongs to no NAL unit.
    NalUnits.Cursor ours = NalUnits.lengthPrefixedCursor(4).reset(lengthPrefixed);
    NalUnits.Cursor ffmpegs =
        NalUnits.lengthPrefixedCursor(4)
            .reset(ByteBuffer.wrap(boxPayload(Files.readAllBytes(mp4), "mdat")));
    int nalCount = 0;
    while (ffmpegs.next()) {
      assertTrue(ours.next());
      assertEquals(withoutTrailingZeros(ffmpegs.slice()), ours.slice(), "NAL " + nalCount);
      nalCount++;
    }
    assertTrue(!ours.next() && nalCount > 3, nalCount + " NAL units");
    List<Integer> types = new ArrayList<>();
    NalUnits.Cursor cursor = NalUnits.annexBCursor().reset(ByteBuffer.wrap(annexB));
    while (cursor.next() && types.size() < 3) {
      types.add(NalUnits.h265NalType(annexB[cursor.offset()]));
    }
    assertEquals(List.of(32, 33, 34), types, "VPS, SPS, PPS");
    assertArrayEquals(
        normalize(annexB), NalUnitsTest.array(NalUnits.lengthPrefixedToAnnexB(lengthPrefixed, 4)));
  }

  private static ByteBuffer withoutTrailingZeros(ByteBuffer nal) {
    int end = nal.limit();
    while (end > nal.position() && nal.get(end - 1) == 0) {
      end--;
    }
    nal.limit(end);
    return nal;
  }

  private static byte[] normalize(byte[] annexB) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : START_CODE.split(new String(annexB, StandardCharsets.ISO_8859_1))) {
      String nal = part.replaceAll("\u0000+$", "");
      if (!nal.isEmpty()) {
        out.writeBytes(new byte[] {0, 0, 0, 1});
        out.writeBytes(nal.getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    return out.toByteArray();
  }

  private static int countThreeByteStartCodes(byte[] annexB) {
    int count = 0;
    for (int i = 0; i + 2 < annexB.length; i++) {
      if (annexB[i] == 0
          && annexB[i + 1] == 0
          && annexB[i + 2] == 1
          && (i == 0 || annexB[i - 1] != 0)) {
        count++;
      }
    }
    return count;
  }

  /** The payload of the first top-level or nested box of {@code type}, found by walking boxes. */
  static byte[] boxPayload(byte[] file, String type) {
    int offset = boxPayloadOffset(file, type);
    int size = readInt(file, offset - 8);
    byte[] payload = new byte[size - 8];
    System.arraycopy(file, offset, payload, 0, payload.length);
    return payload;
  }

  static int boxPayloadOffset(byte[] file, String type) {
    int found = find(file, 0, file.length, type);
    if (found < 0) {
      throw new AssertionError("no " + type + " box");
    }
    return found;
  }

  private static final List<String> CONTAINERS = List.of("moov", "trak", "mdia", "minf", "stbl");

  private static int find(byte[] file, int from, int to, String type) {
    int offset = from;
    while (offset + 8 <= to) {
      int size = readInt(file, offset);
      String boxType = new String(file, offset + 4, 4, StandardCharsets.ISO_8859_1);
      if (size < 8) {
        throw new AssertionError("box " + boxType + " at " + offset + " has size " + size);
      }
      if (boxType.equals(type)) {
        return offset + 8;
      }
      if (CONTAINERS.contains(boxType)) {
        int inner = find(file, offset + 8, offset + size, type);
        if (inner >= 0) {
          return inner;
        }
      }
      offset += size;
    }
    return -1;
  }

  static int readInt(byte[] data, int offset) {
    return ((data[offset] & 0xFF) << 24)
        | ((data[offset + 1] & 0xFF) << 16)
        | ((data[offset + 2] & 0xFF) << 8)
        | (data[offset + 3] & 0xFF);
  }
}
