package io.livemux.codec.h265;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * An HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1), the payload of an MP4 {@code hvcC}
 * box and of the enhanced-RTMP HEVC sequence start: profile, tier and level, chroma format, bit
 * depths, NAL length size and arrays of parameter-set (and SEI) NAL units.
 *
 * <p>{@link #parse} reads a record; {@link #of} builds the record for lists of VPS, SPS and PPS NAL
 * units the way ffmpeg's MP4 muxer writes it for an {@code hvc1} sample entry (profile fields from
 * the SPSs, arrays of types 32, 33 and 34 with array_completeness 1, 4-byte NAL lengths, frame rate
 * fields 0); {@link #toBytes} writes it back.
 *
 * <p>Immutable and thread-safe: NAL units are copied in, and handed out as read-only buffers. Two
 * records are {@linkplain #equals equal} when {@link #toBytes} gives the same bytes.
 */
public final class HevcConfig {
  /** nal_unit_type of a video parameter set. */
  public static final int NAL_VPS = 32;
  /** nal_unit_type of a sequence parameter set. */
  public static final int NAL_SPS = 33;
  /** nal_unit_type of a picture parameter set. */
  public static final int NAL_PPS = 34;

  /** vps_video_parameter_set_id is 4 bits. */
  private static final int MAX_VPS = 16;
  /** sps_seq_parameter_set_id is 0..15. */
  private static final int MAX_SPS = 16;
  /** pps_pic_parameter_set_id is 0..63. */
  private static final int MAX_PPS = 64;
  private static final int MAX_NAL_LENGTH = 0xFFFF;
  /** The fixed part of the record, up to and including numOfArrays. */
  private static final int HEADER_SIZE = 23;

  /**
   * One array of the record: NAL units of one type.
   *
   * <p>Immutable and thread-safe.
   */
  public static final class NalArray {
    private final boolean arrayCompleteness;
    private final int nalUnitType;
    private final List<byte[]> nalUnits;

    NalArray(boolean arrayCompleteness, int nalUnitType, List<byte[]> nalUnits) {
      this.arrayCompleteness = arrayCompleteness;
      this.nalUnitType = nalUnitType;
      this.nalUnits = nalUnits;
    }

    /** array_completeness: true when every NAL unit of this type is here, none in the samples. */
    public boolean arrayCompleteness() {
      return arrayCompleteness;
    }

    /** NAL_unit_type, 0..63. */
    public int nalUnitType() {
      return nalUnitType;
    }

    /** The NAL units, each a read-only buffer of its own. */
    public List<ByteBuffer> nalUnits() {
      return readOnly(nalUnits);
    }

    @Override
    public String toString() {
      return "NalArray{type=" + nalUnitType + ", complete=" + arrayCompleteness + ", count="
          + nalUnits.size() + "}";
    }
  }

  private final int generalProfileSpace;
  private final boolean generalTierFlag;
  private final int generalProfileIdc;
  private final int generalProfileCompatibilityFlags;
  private final long generalConstraintIndicatorFlags;
  private final int generalLevelIdc;
  private final int minSpatialSegmentationIdc;
  private final int parallelismType;
  private final int chromaFormatIdc;
  private final int bitDepthLuma;
  private final int bitDepthChroma;
  private final int avgFrameRate;
  private final int constantFrameRate;
  private final int numTemporalLayers;
  private final boolean temporalIdNested;
  private final int nalLengthSize;
  private final List<NalArray> arrays;
  private final byte[] bytes;

  private HevcConfig(
      int generalProfileSpace,
      boolean generalTierFlag,
      int generalProfileIdc,
      int generalProfileCompatibilityFlags,
      long generalConstraintIndicatorFlags,
      int generalLevelIdc,
      int minSpatialSegmentationIdc,
      int parallelismType,
      int chromaFormatIdc,
      int bitDepthLuma,
      int bitDepthChroma,
      int avgFrameRate,
      int constantFrameRate,
      int numTemporalLayers,
      boolean temporalIdNested,
      int nalLengthSize,
      List<NalArray> arrays) {
    this.generalProfileSpace = generalProfileSpace;
    this.generalTierFlag = generalTierFlag;
    this.generalProfileIdc = generalProfileIdc;
    this.generalProfileCompatibilityFlags = generalProfileCompatibilityFlags;
    this.generalConstraintIndicatorFlags = generalConstraintIndicatorFlags;
    this.generalLevelIdc = generalLevelIdc;
    this.minSpatialSegmentationIdc = minSpatialSegmentationIdc;
    this.parallelismType = parallelismType;
    this.chromaFormatIdc = chromaFormatIdc;
    this.bitDepthLuma = bitDepthLuma;
    this.bitDepthChroma = bitDepthChroma;
    this.avgFrameRate = avgFrameRate;
    this.constantFrameRate = constantFrameRate;
    this.numTemporalLayers = numTemporalLayers;
    this.temporalIdNested = temporalIdNested;
    this.nalLengthSize = nalLengthSize;
    this.arrays = arrays;
    this.bytes = write();
  }

  /**
   * Parses the record in the remaining bytes of {@code record} (the {@code hvcC} box payload, without
   * the box header). Bytes after the record are ignored; the buffer's position is not moved.
   * Reserved bits are not checked; configurationVersion 0, written by some early muxers, is read as
   * 1.
   *
   * @throws LivemuxException if the record is truncated, a count or length runs past its end, the
   *     NAL length size is 3, or a parameter-set array holds a NAL unit of another type
   */
  public static HevcConfig parse(ByteBuffer record) throws LivemuxException {
    int start = record.position();
    int limit = record.limit();
    if (limit - start < HEADER_SIZE) {
      throw new LivemuxException(
          "hvcC: truncated, " + (limit - start) + " bytes, the fixed part alone is " + HEADER_SIZE);
    }
    BitReader r = BitReader.of(record, start, HEADER_SIZE);
    int version = r.readInt(8, "hvcC: configurationVersion");
    if (version > 1) {
      throw new LivemuxException("hvcC: configurationVersion must be 1: " + version);
    }
    int profileSpace = r.readInt(2, "hvcC: general_profile_space");
    boolean tier = r.readFlag("hvcC: general_tier_flag");
    int profileIdc = r.readInt(5, "hvcC: general_profile_idc");
    int compatibility = (int) r.readBits(32, "hvcC: general_profile_compatibility_flags");
    long constraints =
        r.readBits(32, "hvcC: general_constraint_indicator_flags") << 16
            | r.readBits(16, "hvcC: general_constraint_indicator_flags");
    int level = r.readInt(8, "hvcC: general_level_idc");
    r.readBits(4, "hvcC: reserved");
    int minSpatialSegmentation = r.readInt(12, "hvcC: min_spatial_segmentation_idc");
    r.readBits(6, "hvcC: reserved");
    int parallelism = r.readInt(2, "hvcC: parallelismType");
    r.readBits(6, "hvcC: reserved");
    int chroma = r.readInt(2, "hvcC: chromaFormat");
    r.readBits(5, "hvcC: reserved");
    int lumaMinus8 = r.readInt(3, "hvcC: bitDepthLumaMinus8");
    r.readBits(5, "hvcC: reserved");
    int chromaMinus8 = r.readInt(3, "hvcC: bitDepthChromaMinus8");
    int avgFrameRate = r.readInt(16, "hvcC: avgFrameRate");
    int constantFrameRate = r.readInt(2, "hvcC: constantFrameRate");
    int temporalLayers = r.readInt(3, "hvcC: numTemporalLayers");
    boolean nested = r.readFlag("hvcC: temporalIdNested");
    int lengthSizeMinusOne = r.readInt(2, "hvcC: lengthSizeMinusOne");
    if (lengthSizeMinusOne == 2) {
      throw new LivemuxException("hvcC: lengthSizeMinusOne must be 0, 1 or 3: 2");
    }
    int numArrays = r.readInt(8, "hvcC: numOfArrays");

    int position = start + HEADER_SIZE;
    List<NalArray> arrays = new ArrayList<>(numArrays);
    for (int j = 0; j < numArrays; j++) {
      if (limit - position < 3) {
        throw new LivemuxException(
            "hvcC: truncated at array " + j + " of " + numArrays + ", bytes left: "
                + (limit - position));
      }
      int typeByte = record.get(position) & 0xFF;
      boolean complete = (typeByte & 0x80) != 0;
      int type = typeByte & 0x3F;
      int numNalus = u16(record, position + 1);
      position += 3;
      List<byte[]> nals = new ArrayList<>(Math.min(numNalus, (limit - position) / 3));
      for (int i = 0; i < numNalus; i++) {
        if (limit - position < 2) {
          throw new LivemuxException(
              "hvcC: truncated at the length of NAL unit " + i + " of " + numNalus + " in array "
                  + j + ", bytes left: " + (limit - position));
        }
        int length = u16(record, position);
        position += 2;
        if (length < 2) {
          throw new LivemuxException(
              "hvcC: nalUnitLength of NAL unit " + i + " in array " + j + " below 2: " + length);
        }
        if (length > limit - position) {
          throw new LivemuxException(
              "hvcC: nalUnitLength " + length + " of NAL unit " + i + " in array " + j
                  + " exceeds the " + (limit - position) + " bytes left");
        }
        byte[] nal = new byte[length];
        for (int k = 0; k < length; k++) {
          nal[k] = record.get(position + k);
        }
        position += length;
        if (type == NAL_VPS || type == NAL_SPS || type == NAL_PPS) {
          checkNalType(nal, type, "array " + j + " NAL unit " + i);
        }
        nals.add(nal);
      }
      arrays.add(new NalArray(complete, type, Collections.unmodifiableList(nals)));
    }
    return new HevcConfig(
        profileSpace, tier, profileIdc, compatibility, constraints, level, minSpatialSegmentation,
        parallelism, chroma, 8 + lumaMinus8, 8 + chromaMinus8, avgFrameRate, constantFrameRate,
        temporalLayers, nested, lengthSizeMinusOne + 1, Collections.unmodifiableList(arrays));
  }

  /**
   * The record for {@code vps}, {@code sps} and {@code pps} (NAL units without start codes or
   * length prefixes, each read from its position to its limit), as ffmpeg writes it for
   * {@code hvc1}: general profile fields from the SPSs' profile_tier_level (the first SPS's profile,
   * the highest level and tier, the compatibility and constraint flags all SPSs share),
   * min_spatial_segmentation_idc the lowest of the SPSs' VUIs (0 when one has none),
   * parallelismType from the PPSs when that is not 0, chroma format and bit depths of the first SPS,
   * numTemporalLayers the most sub-layers of any VPS or SPS, temporalIdNested when every SPS has
   * sps_temporal_id_nesting_flag, 4-byte NAL lengths, avgFrameRate and constantFrameRate 0, and
   * three complete arrays: VPS, SPS, PPS.
   *
   * @throws LivemuxException if a list is empty or too long, a NAL unit is shorter than its header,
   *     longer than 65535 bytes or of the wrong type, or an SPS does not parse
   */
  public static HevcConfig of(List<ByteBuffer> vps, List<ByteBuffer> sps, List<ByteBuffer> pps)
      throws LivemuxException {
    List<byte[]> vpsBytes = copyNalUnits(vps, NAL_VPS, "VPS", MAX_VPS);
    List<byte[]> spsBytes = copyNalUnits(sps, NAL_SPS, "SPS", MAX_SPS);
    List<byte[]> ppsBytes = copyNalUnits(pps, NAL_PPS, "PPS", MAX_PPS);

    int temporalLayers = 0;
    for (byte[] nal : vpsBytes) {
      temporalLayers = Math.max(temporalLayers, vpsMaxSubLayers(nal));
    }
    H265Sps first = null;
    boolean tier = false;
    int level = 0;
    int compatibility = -1;
    long constraints = 0xFFFF_FFFF_FFFFL;
    int minSpatialSegmentation = Integer.MAX_VALUE;
    boolean nested = true;
    for (byte[] nal : spsBytes) {
      H265Sps parsed = H265Sps.parse(ByteBuffer.wrap(nal));
      if (first == null) {
        first = parsed;
      }
      tier |= parsed.generalTierFlag();
      level = Math.max(level, parsed.generalLevelIdc());
      compatibility &= parsed.generalProfileCompatibilityFlags();
      constraints &= parsed.generalConstraintIndicatorFlags();
      minSpatialSegmentation = Math.min(minSpatialSegmentation, parsed.minSpatialSegmentationIdc());
      nested &= parsed.temporalIdNesting();
      temporalLayers = Math.max(temporalLayers, parsed.maxSubLayers());
    }
    // 8.3.3.1.3: parallelismType only means something when min_spatial_segmentation_idc > 0.
    int parallelism = 0;
    if (minSpatialSegmentation > 0) {
      parallelism = -1;
      for (byte[] nal : ppsBytes) {
        int type = ppsParallelismType(nal);
        parallelism = parallelism == -1 || parallelism == type ? type : 0; // mixed: 0
      }
    }
    List<NalArray> arrays = new ArrayList<>(3);
    arrays.add(new NalArray(true, NAL_VPS, vpsBytes));
    arrays.add(new NalArray(true, NAL_SPS, spsBytes));
    arrays.add(new NalArray(true, NAL_PPS, ppsBytes));
    return new HevcConfig(
        first.generalProfileSpace(), tier, first.generalProfileIdc(), compatibility, constraints,
        level, minSpatialSegmentation, parallelism, first.chromaFormatIdc(), first.bitDepthLuma(),
        first.bitDepthChroma(), 0, 0, temporalLayers, nested, 4,
        Collections.unmodifiableList(arrays));
  }

  private static List<byte[]> copyNalUnits(List<ByteBuffer> nals, int type, String name, int max)
      throws LivemuxException {
    if (nals.isEmpty() || nals.size() > max) {
      throw new LivemuxException("hvcC: " + name + " count out of range 1.." + max + ": "
          + nals.size());
    }
    List<byte[]> copies = new ArrayList<>(nals.size());
    for (int i = 0; i < nals.size(); i++) {
      ByteBuffer nal = nals.get(i);
      int length = nal.remaining();
      if (length < 2 || length > MAX_NAL_LENGTH) {
        throw new LivemuxException(
            "hvcC: " + name + " " + i + " length out of range 2.." + MAX_NAL_LENGTH + ": " + length);
      }
      byte[] copy = new byte[length];
      nal.duplicate().get(copy);
      checkNalType(copy, type, name + " " + i);
      copies.add(copy);
    }
    return Collections.unmodifiableList(copies);
  }

  private static void checkNalType(byte[] nal, int type, String what) throws LivemuxException {
    int actual = (nal[0] >> 1) & 0x3F;
    if (actual != type) {
      throw new LivemuxException("hvcC: " + what + " nal_unit_type must be " + type + ": " + actual);
    }
  }

  /** vps_max_sub_layers_minus1 + 1 (7.3.2.1), which follows 16 bits of fixed-length fields. */
  private static int vpsMaxSubLayers(byte[] nal) throws LivemuxException {
    BitReader r = BitReader.rbsp(ByteBuffer.wrap(nal));
    r.skipBits(16, "VPS: nal_unit_header");
    r.readBits(4, "VPS: vps_video_parameter_set_id");
    r.readBits(2, "VPS: vps_base_layer_internal_flag, vps_base_layer_available_flag");
    r.readBits(6, "VPS: vps_max_layers_minus1");
    int maxSubLayersMinus1 = r.readInt(3, "VPS: vps_max_sub_layers_minus1");
    if (maxSubLayersMinus1 > 6) {
      throw new LivemuxException("VPS: vps_max_sub_layers_minus1 out of range 0..6: 7");
    }
    return maxSubLayersMinus1 + 1;
  }

  /**
   * The parallelismType this PPS allows (8.3.3.1.3): 3 wavefront (entropy_coding_sync_enabled_flag),
   * 2 tiles (tiles_enabled_flag), 0 both, 1 slices. Reads pic_parameter_set_rbsp (H.265 7.3.2.3.1)
   * up to those two flags.
   */
  private static int ppsParallelismType(byte[] nal) throws LivemuxException {
    BitReader r = BitReader.rbsp(ByteBuffer.wrap(nal));
    r.skipBits(16, "PPS: nal_unit_header");
    r.readUe("PPS: pps_pic_parameter_set_id", 0, 63);
    r.readUe("PPS: pps_seq_parameter_set_id", 0, 15);
    r.readFlag("PPS: dependent_slice_segments_enabled_flag");
    r.readFlag("PPS: output_flag_present_flag");
    r.readBits(3, "PPS: num_extra_slice_header_bits");
    r.readFlag("PPS: sign_data_hiding_enabled_flag");
    r.readFlag("PPS: cabac_init_present_flag");
    r.readUe("PPS: num_ref_idx_l0_default_active_minus1", 0, 14);
    r.readUe("PPS: num_ref_idx_l1_default_active_minus1", 0, 14);
    r.readSe("PPS: init_qp_minus26");
    r.readFlag("PPS: constrained_intra_pred_flag");
    r.readFlag("PPS: transform_skip_enabled_flag");
    if (r.readFlag("PPS: cu_qp_delta_enabled_flag")) {
      r.readUe("PPS: diff_cu_qp_delta_depth", 0, 3);
    }
    r.readSe("PPS: pps_cb_qp_offset");
    r.readSe("PPS: pps_cr_qp_offset");
    r.readFlag("PPS: pps_slice_chroma_qp_offsets_present_flag");
    r.readFlag("PPS: weighted_pred_flag");
    r.readFlag("PPS: weighted_bipred_flag");
    r.readFlag("PPS: transquant_bypass_enabled_flag");
    boolean tiles = r.readFlag("PPS: tiles_enabled_flag");
    boolean wavefront = r.readFlag("PPS: entropy_coding_sync_enabled_flag");
    if (tiles && wavefront) {
      return 0;
    }
    return wavefront ? 3 : tiles ? 2 : 1;
  }

  private static int u16(ByteBuffer data, int index) {
    // Big-endian whatever the caller's buffer order is.
    return (data.get(index) & 0xFF) << 8 | (data.get(index + 1) & 0xFF);
  }

  /** general_profile_space, 0..3. */
  public int generalProfileSpace() {
    return generalProfileSpace;
  }

  /** general_tier_flag: true for the High tier. */
  public boolean generalTierFlag() {
    return generalTierFlag;
  }

  /** general_profile_idc, 0..31. */
  public int generalProfileIdc() {
    return generalProfileIdc;
  }

  /** general_profile_compatibility_flags, flag[0] in the most significant bit. */
  public int generalProfileCompatibilityFlags() {
    return generalProfileCompatibilityFlags;
  }

  /** general_constraint_indicator_flags: 48 bits, general_progressive_source_flag in bit 47. */
  public long generalConstraintIndicatorFlags() {
    return generalConstraintIndicatorFlags;
  }

  /** general_level_idc: thirty times the level number. */
  public int generalLevelIdc() {
    return generalLevelIdc;
  }

  /** min_spatial_segmentation_idc, 0..4095. */
  public int minSpatialSegmentationIdc() {
    return minSpatialSegmentationIdc;
  }

  /** parallelismType: 0 mixed or unknown, 1 slices, 2 tiles, 3 wavefront. */
  public int parallelismType() {
    return parallelismType;
  }

  /** chromaFormat: chroma_format_idc, 0..3. */
  public int chromaFormatIdc() {
    return chromaFormatIdc;
  }

  /** bitDepthLumaMinus8 + 8. */
  public int bitDepthLuma() {
    return bitDepthLuma;
  }

  /** bitDepthChromaMinus8 + 8. */
  public int bitDepthChroma() {
    return bitDepthChroma;
  }

  /** avgFrameRate in frames per 256 seconds, 0 when unspecified. */
  public int avgFrameRate() {
    return avgFrameRate;
  }

  /** constantFrameRate, 0..3 (0: may not be constant). */
  public int constantFrameRate() {
    return constantFrameRate;
  }

  /** numTemporalLayers, 0..7 (0: unknown, 1: not temporally scalable). */
  public int numTemporalLayers() {
    return numTemporalLayers;
  }

  /** temporalIdNested. */
  public boolean temporalIdNested() {
    return temporalIdNested;
  }

  /** lengthSizeMinusOne + 1: the size in bytes (1, 2 or 4) of each sample's NAL unit length. */
  public int nalLengthSize() {
    return nalLengthSize;
  }

  /** The arrays in record order. */
  public List<NalArray> arrays() {
    return arrays;
  }

  /** The VPS NAL units of every array of type 32, in record order, as read-only buffers. */
  public List<ByteBuffer> vps() {
    return nalUnitsOfType(NAL_VPS);
  }

  /** The SPS NAL units of every array of type 33, in record order, as read-only buffers. */
  public List<ByteBuffer> sps() {
    return nalUnitsOfType(NAL_SPS);
  }

  /** The PPS NAL units of every array of type 34, in record order, as read-only buffers. */
  public List<ByteBuffer> pps() {
    return nalUnitsOfType(NAL_PPS);
  }

  private List<ByteBuffer> nalUnitsOfType(int type) {
    List<ByteBuffer> result = new ArrayList<>();
    for (NalArray array : arrays) {
      if (array.nalUnitType == type) {
        result.addAll(array.nalUnits());
      }
    }
    return Collections.unmodifiableList(result);
  }

  /** The record's bytes, a fresh array. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * The RFC 6381 codecs parameter for an {@code hvc1} sample entry (ISO/IEC 14496-15 E.3), e.g.
   * {@code hvc1.1.6.L93.B0}: profile space letter and profile_idc, the compatibility flags in
   * reverse bit order in hex, tier and level, then the constraint bytes with trailing zero bytes
   * left out.
   */
  public String codecString() {
    StringBuilder s = new StringBuilder("hvc1.");
    if (generalProfileSpace > 0) {
      s.append((char) ('A' + generalProfileSpace - 1));
    }
    s.append(generalProfileIdc).append('.');
    s.append(
        Integer.toHexString(Integer.reverse(generalProfileCompatibilityFlags))
            .toUpperCase(Locale.ROOT));
    s.append('.').append(generalTierFlag ? 'H' : 'L').append(generalLevelIdc);
    int bytesToWrite = 6;
    while (bytesToWrite > 0 && constraintByte(bytesToWrite - 1) == 0) {
      bytesToWrite--;
    }
    for (int i = 0; i < bytesToWrite; i++) {
      int v = constraintByte(i); // two upper-case hex digits, without String.format's start-up
      s.append('.').append(Character.toUpperCase(Character.forDigit((v >> 4) & 0xF, 16)))
          .append(Character.toUpperCase(Character.forDigit(v & 0xF, 16)));
    }
    return s.toString();
  }

  private int constraintByte(int index) {
    return (int) (generalConstraintIndicatorFlags >>> (40 - 8 * index)) & 0xFF;
  }

  private byte[] write() {
    int size = HEADER_SIZE;
    for (NalArray array : arrays) {
      size += 3;
      for (byte[] nal : array.nalUnits) {
        size += 2 + nal.length;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) 1); // configurationVersion
    // general_profile_space u(2), general_tier_flag u(1), general_profile_idc u(5)
    out.put((byte) (generalProfileSpace << 6 | (generalTierFlag ? 0x20 : 0) | generalProfileIdc));
    out.putInt(generalProfileCompatibilityFlags); // general_profile_compatibility_flags u(32)
    // general_constraint_indicator_flags u(48)
    out.putShort((short) (generalConstraintIndicatorFlags >>> 32));
    out.putInt((int) generalConstraintIndicatorFlags);
    out.put((byte) generalLevelIdc); // general_level_idc u(8)
    // '1111'b, min_spatial_segmentation_idc u(12)
    out.putShort((short) (0xF000 | minSpatialSegmentationIdc));
    out.put((byte) (0xFC | parallelismType)); // '111111'b, parallelismType u(2)
    out.put((byte) (0xFC | chromaFormatIdc)); // '111111'b, chromaFormat u(2)
    out.put((byte) (0xF8 | (bitDepthLuma - 8))); // '11111'b, bitDepthLumaMinus8 u(3)
    out.put((byte) (0xF8 | (bitDepthChroma - 8))); // '11111'b, bitDepthChromaMinus8 u(3)
    out.putShort((short) avgFrameRate); // avgFrameRate u(16)
    // constantFrameRate u(2), numTemporalLayers u(3), temporalIdNested u(1), lengthSizeMinusOne u(2)
    out.put((byte) (constantFrameRate << 6 | numTemporalLayers << 3 | (temporalIdNested ? 4 : 0)
        | (nalLengthSize - 1)));
    out.put((byte) arrays.size()); // numOfArrays u(8)
    for (NalArray array : arrays) {
      // array_completeness u(1), reserved = 0 u(1), NAL_unit_type u(6)
      out.put((byte) ((array.arrayCompleteness ? 0x80 : 0) | array.nalUnitType));
      out.putShort((short) array.nalUnits.size()); // numNalus u(16)
      for (byte[] nal : array.nalUnits) {
        out.putShort((short) nal.length); // nalUnitLength u(16)
        out.put(nal);
      }
    }
    return out.array();
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
    return o instanceof HevcConfig && Arrays.equals(((HevcConfig) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "HevcConfig{" + codecString() + ", chroma_format_idc=" + chromaFormatIdc
        + ", bit depth " + bitDepthLuma + "/" + bitDepthChroma + ", nalLengthSize="
        + nalLengthSize + ", arrays=" + arrays + "}";
  }
}
