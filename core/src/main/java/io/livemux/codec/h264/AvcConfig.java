package io.livemux.codec.h264;

import io.livemux.LivemuxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1), the payload of an MP4 {@code avcC}
 * box and of the RTMP/FLV AVC sequence header: profile, level, NAL length size and the SPS, PPS and
 * SPS extension NAL units.
 *
 * <p>{@link #parse} reads a record; {@link #of} builds the record for a list of parameter sets the
 * way ffmpeg's muxers do; {@link #toBytes} writes it back. The high-profile fields (chroma_format,
 * bit depths, SPS extensions) are written for every profile except Baseline (66), Main (77) and
 * Extended (88), as ffmpeg, x264 and Apple's encoders do; on parsing they are read when present.
 *
 * <p>Immutable and thread-safe: parameter sets are copied in, and handed out as read-only buffers.
 * Two records are {@linkplain #equals equal} when {@link #toBytes} gives the same bytes.
 */
public final class AvcConfig {
  /** numOfSequenceParameterSets is 5 bits. */
  public static final int MAX_SPS = 31;
  /** numOfPictureParameterSets is 8 bits. */
  public static final int MAX_PPS = 255;

  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;
  private static final int NAL_SPS_EXT = 13;
  private static final int MAX_NAL_LENGTH = 0xFFFF;

  private final int profileIndication;
  private final int profileCompatibility;
  private final int levelIndication;
  private final int nalLengthSize;
  private final List<byte[]> sps;
  private final List<byte[]> pps;
  private final boolean highProfileFields;
  private final int chromaFormatIdc;
  private final int bitDepthLuma;
  private final int bitDepthChroma;
  private final List<byte[]> spsExt;
  private final byte[] bytes;

  private AvcConfig(
      int profileIndication,
      int profileCompatibility,
      int levelIndication,
      int nalLengthSize,
      List<byte[]> sps,
      List<byte[]> pps,
      boolean highProfileFields,
      int chromaFormatIdc,
      int bitDepthLuma,
      int bitDepthChroma,
      List<byte[]> spsExt) {
    this.profileIndication = profileIndication;
    this.profileCompatibility = profileCompatibility;
    this.levelIndication = levelIndication;
    this.nalLengthSize = nalLengthSize;
    this.sps = sps;
    this.pps = pps;
    this.highProfileFields = highProfileFields;
    this.chromaFormatIdc = chromaFormatIdc;
    this.bitDepthLuma = bitDepthLuma;
    this.bitDepthChroma = bitDepthChroma;
    this.spsExt = spsExt;
    this.bytes = write();
  }

  /**
   * Parses the record in the remaining bytes of {@code record} (the {@code avcC} box payload, without
   * the box header). Bytes after the record are ignored; the buffer's position is not moved.
   *
   * @throws LivemuxException if the record is truncated, a count or length runs past its end, the
   *     version or NAL length size is invalid, or a parameter set has the wrong NAL unit type
   */
  public static AvcConfig parse(ByteBuffer record) throws LivemuxException {
    Cursor in = new Cursor(record);
    int version = in.u8("configurationVersion");
    if (version != 1) {
      throw new LivemuxException("avcC: configurationVersion must be 1: " + version);
    }
    int profile = in.u8("AVCProfileIndication");
    int compatibility = in.u8("profile_compatibility");
    int level = in.u8("AVCLevelIndication");
    int lengthSizeMinusOne = in.u8("lengthSizeMinusOne") & 0x3;
    if (lengthSizeMinusOne == 2) {
      throw new LivemuxException("avcC: lengthSizeMinusOne must be 0, 1 or 3: 2");
    }
    int numSps = in.u8("numOfSequenceParameterSets") & 0x1F;
    List<byte[]> sps = in.nalUnits(numSps, "SPS", NAL_SPS);
    int numPps = in.u8("numOfPictureParameterSets");
    List<byte[]> pps = in.nalUnits(numPps, "PPS", NAL_PPS);
    // The high-profile fields are 4 bytes at least; fewer trailing bytes are padding, not a record.
    if (hasHighProfileFields(profile) && in.remaining() >= 4) {
      int chroma = in.u8("chroma_format") & 0x3;
      int lumaMinus8 = in.u8("bit_depth_luma_minus8") & 0x7;
      int chromaMinus8 = in.u8("bit_depth_chroma_minus8") & 0x7;
      if (lumaMinus8 > 6) {
        throw new LivemuxException("avcC: bit_depth_luma_minus8 out of range 0..6: " + lumaMinus8);
      }
      if (chromaMinus8 > 6) {
        throw new LivemuxException(
            "avcC: bit_depth_chroma_minus8 out of range 0..6: " + chromaMinus8);
      }
      int numExt = in.u8("numOfSequenceParameterSetExt");
      List<byte[]> ext = in.nalUnits(numExt, "SPS extension", NAL_SPS_EXT);
      return new AvcConfig(
          profile, compatibility, level, lengthSizeMinusOne + 1, sps, pps, true, chroma,
          8 + lumaMinus8, 8 + chromaMinus8, ext);
    }
    return new AvcConfig(
        profile, compatibility, level, lengthSizeMinusOne + 1, sps, pps, false, 1, 8, 8,
        Collections.emptyList());
  }

  /**
   * The record for {@code sps} and {@code pps} (NAL units without start codes or length prefixes,
   * each read from its position to its limit), with 4-byte NAL lengths. Profile, compatibility and
   * level come from the first SPS, as do chroma format and bit depths; every SPS is parsed and must
   * be valid.
   *
   * @throws LivemuxException if a list is empty or too long, a NAL unit is empty, longer than 65535
   *     bytes or of the wrong type, or an SPS does not parse
   */
  public static AvcConfig of(List<ByteBuffer> sps, List<ByteBuffer> pps)
      throws LivemuxException {
    if (sps.isEmpty() || sps.size() > MAX_SPS) {
      throw new LivemuxException("avcC: SPS count out of range 1.." + MAX_SPS + ": " + sps.size());
    }
    if (pps.isEmpty() || pps.size() > MAX_PPS) {
      throw new LivemuxException("avcC: PPS count out of range 1.." + MAX_PPS + ": " + pps.size());
    }
    List<byte[]> spsBytes = copyNalUnits(sps, "SPS", NAL_SPS);
    List<byte[]> ppsBytes = copyNalUnits(pps, "PPS", NAL_PPS);
    H264Sps first = null;
    for (byte[] nal : spsBytes) {
      H264Sps parsed = H264Sps.parse(ByteBuffer.wrap(nal));
      if (first == null) {
        first = parsed;
      }
    }
    int profile = first.profileIdc();
    boolean high = hasHighProfileFields(profile);
    return new AvcConfig(
        profile, first.constraintFlags(), first.levelIdc(), 4, spsBytes, ppsBytes, high,
        high ? first.chromaFormatIdc() : 1, high ? first.bitDepthLuma() : 8,
        high ? first.bitDepthChroma() : 8, Collections.emptyList());
  }

  /** 5.3.3.1.2: every profile but Baseline, Main and Extended carries the extra fields. */
  private static boolean hasHighProfileFields(int profileIndication) {
    return profileIndication != 66 && profileIndication != 77 && profileIndication != 88;
  }

  private static List<byte[]> copyNalUnits(List<ByteBuffer> nals, String name, int type)
      throws LivemuxException {
    List<byte[]> copies = new ArrayList<>(nals.size());
    for (int i = 0; i < nals.size(); i++) {
      ByteBuffer nal = nals.get(i);
      int length = nal.remaining();
      if (length < 1 || length > MAX_NAL_LENGTH) {
        throw new LivemuxException(
            "avcC: " + name + " " + i + " length out of range 1.." + MAX_NAL_LENGTH + ": " + length);
      }
      byte[] copy = new byte[length];
      nal.duplicate().get(copy);
      checkNalType(copy, name, i, type);
      copies.add(copy);
    }
    return Collections.unmodifiableList(copies);
  }

  private static void checkNalType(byte[] nal, String name, int index, int type)
      throws LivemuxException {
    int actual = nal[0] & 0x1F;
    if (actual != type) {
      throw new LivemuxException(
          "avcC: " + name + " " + index + " nal_unit_type must be " + type + ": " + actual);
    }
  }

  /** AVCProfileIndication: the profile_idc of the SPS. */
  public int profileIndication() {
    return profileIndication;
  }

  /** profile_compatibility: the SPS byte holding constraint_set0..5_flag. */
  public int profileCompatibility() {
    return profileCompatibility;
  }

  /** AVCLevelIndication: the level_idc of the SPS. */
  public int levelIndication() {
    return levelIndication;
  }

  /** lengthSizeMinusOne + 1: the size in bytes (1, 2 or 4) of each sample's NAL unit length. */
  public int nalLengthSize() {
    return nalLengthSize;
  }

  /** The SPS NAL units, each a read-only buffer of its own. */
  public List<ByteBuffer> sps() {
    return readOnly(sps);
  }

  /** The PPS NAL units, each a read-only buffer of its own. */
  public List<ByteBuffer> pps() {
    return readOnly(pps);
  }

  /** True when the record carries chroma_format, the bit depths and the SPS extension list. */
  public boolean hasHighProfileFields() {
    return highProfileFields;
  }

  /** chroma_format, or 1 (4:2:0) when the record has no high-profile fields. */
  public int chromaFormatIdc() {
    return chromaFormatIdc;
  }

  /** bit_depth_luma_minus8 + 8, or 8 when the record has no high-profile fields. */
  public int bitDepthLuma() {
    return bitDepthLuma;
  }

  /** bit_depth_chroma_minus8 + 8, or 8 when the record has no high-profile fields. */
  public int bitDepthChroma() {
    return bitDepthChroma;
  }

  /** The SPS extension NAL units (type 13), each a read-only buffer; usually none. */
  public List<ByteBuffer> spsExt() {
    return readOnly(spsExt);
  }

  /** The record's bytes, a fresh array. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The RFC 6381 codecs parameter, e.g. {@code avc1.64001f} (ISO/IEC 14496-15 Annex E). */
  public String codecString() {
    // By hand rather than String.format, whose first use costs a short command tens of ms.
    StringBuilder s = new StringBuilder("avc1.");
    for (int v : new int[] {profileIndication, profileCompatibility, levelIndication}) {
      s.append(Character.forDigit((v >> 4) & 0xF, 16)).append(Character.forDigit(v & 0xF, 16));
    }
    return s.toString();
  }

  private byte[] write() {
    int size = 7 + nalListSize(sps) + nalListSize(pps);
    if (highProfileFields) {
      size += 4 + nalListSize(spsExt);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) 1); // configurationVersion
    out.put((byte) profileIndication); // AVCProfileIndication
    out.put((byte) profileCompatibility); // profile_compatibility
    out.put((byte) levelIndication); // AVCLevelIndication
    out.put((byte) (0xFC | (nalLengthSize - 1))); // reserved '111111'b, lengthSizeMinusOne
    out.put((byte) (0xE0 | sps.size())); // reserved '111'b, numOfSequenceParameterSets
    putNalUnits(out, sps);
    out.put((byte) pps.size()); // numOfPictureParameterSets
    putNalUnits(out, pps);
    if (highProfileFields) {
      out.put((byte) (0xFC | chromaFormatIdc)); // reserved '111111'b, chroma_format
      out.put((byte) (0xF8 | (bitDepthLuma - 8))); // reserved '11111'b, bit_depth_luma_minus8
      out.put((byte) (0xF8 | (bitDepthChroma - 8))); // reserved '11111'b, bit_depth_chroma_minus8
      out.put((byte) spsExt.size()); // numOfSequenceParameterSetExt
      putNalUnits(out, spsExt);
    }
    return out.array();
  }

  private static int nalListSize(List<byte[]> nals) {
    int size = 0;
    for (byte[] nal : nals) {
      size += 2 + nal.length;
    }
    return size;
  }

  private static void putNalUnits(ByteBuffer out, List<byte[]> nals) {
    for (byte[] nal : nals) {
      out.putShort((short) nal.length); // ...ParameterSetLength: unsigned int(16)
      out.put(nal);
    }
  }

  private static List<ByteBuffer> readOnly(List<byte[]> nals) {
    List<ByteBuffer> buffers = new ArrayList<>(nals.size());
    for (byte[] nal : nals) {
      buffers.add(ByteBuffer.wrap(nal).asReadOnlyBuffer());
    }
    return Collections.unmodifiableList(buffers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvcConfig && Arrays.equals(((AvcConfig) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "AvcConfig{" + codecString() + ", nalLengthSize=" + nalLengthSize + ", sps="
        + sps.size() + ", pps=" + pps.size()
        + (highProfileFields
            ? ", chroma_format=" + chromaFormatIdc + ", bit depth " + bitDepthLuma + "/"
                + bitDepthChroma + ", spsExt=" + spsExt.size()
            : "")
        + "}";
  }

  /** Reads the record with every count and length checked against what is left. */
  private static final class Cursor {
    private final ByteBuffer data;
    private int position;
    private final int limit;

    Cursor(ByteBuffer data) {
      this.data = data;
      this.position = data.position();
      this.limit = data.limit();
    }

    int remaining() {
      return limit - position;
    }

    int u8(String field) throws LivemuxException {
      if (position >= limit) {
        throw new LivemuxException("avcC: truncated at " + field + ", no bytes left");
      }
      return data.get(position++) & 0xFF;
    }

    List<byte[]> nalUnits(int count, String name, int type) throws LivemuxException {
      List<byte[]> nals = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        if (remaining() < 2) {
          throw new LivemuxException(
              "avcC: truncated at the length of " + name + " " + i + " of " + count
                  + ", bytes left: " + remaining());
        }
        // Big-endian whatever the caller's buffer order is.
        int length = (data.get(position) & 0xFF) << 8 | (data.get(position + 1) & 0xFF);
        position += 2;
        if (length == 0) {
          throw new LivemuxException("avcC: " + name + " " + i + " has length 0");
        }
        if (length > remaining()) {
          throw new LivemuxException(
              "avcC: " + name + " " + i + " length " + length + " exceeds the " + remaining()
                  + " bytes left");
        }
        byte[] nal = new byte[length];
        for (int j = 0; j < length; j++) {
          nal[j] = data.get(position + j);
        }
        position += length;
        checkNalType(nal, name, i, type);
        nals.add(nal);
      }
      return Collections.unmodifiableList(nals);
    }
  }
}
