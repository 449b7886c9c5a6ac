package io.livemux.rtmp.flv;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * The body of a video tag or RTMP video message, parsed: legacy AVC (FLV 10.1 E.4.3.1, CodecID 7)
 * or enhanced RTMP v2 ("Enhanced Video": IsExHeader set, a VideoPacketType and a FourCC).
 *
 * <p>{@link #data()} is what follows the headers: the decoder configuration record for {@link
 * Type#SEQUENCE_START} (AVCDecoderConfigurationRecord, HEVCDecoderConfigurationRecord,
 * AV1CodecConfigurationRecord), the coded frame for {@link Type#CODED_FRAMES} (length-prefixed NAL
 * units for AVC and HEVC, OBUs of one temporal unit for AV1), nothing for {@link
 * Type#SEQUENCE_END}.
 *
 * <p>Immutable. The data is a read-only view of the bytes it was made from, not a copy: those must
 * not change while the packet is in use. {@link #data()} hands out a fresh view each call.
 */
public final class FlvVideoPacket {
  /** FrameType 1: a key frame (a seekable frame: IDR, IRAP, AV1 key frame). */
  public static final int FRAME_KEY = 1;
  /** FrameType 2: an inter frame (not seekable). */
  public static final int FRAME_INTER = 2;
  /** FrameType 3: a disposable inter frame (H.263 only in the spec; read as non-reference). */
  public static final int FRAME_DISPOSABLE_INTER = 3;

  /** The video codecs this module parses. */
  public enum Codec {
    /** H.264: legacy CodecID 7, or FourCC {@code avc1} in an enhanced header. */
    AVC("avc1"),
    /** H.265: FourCC {@code hvc1} (enhanced RTMP only). */
    HEVC("hvc1"),
    /** AV1: FourCC {@code av01} (enhanced RTMP only); parsed, not yet turned into samples. */
    AV1("av01");

    private final String fourCc;

    Codec(String fourCc) {
      this.fourCc = fourCc;
    }

    /** The enhanced RTMP FourCC. */
    public String fourCc() {
      return fourCc;
    }

    /** The FourCC as a big-endian number, as onMetaData's videocodecid carries it. */
    public int fourCcValue() {
      return fourCc.charAt(0) << 24 | fourCc.charAt(1) << 16 | fourCc.charAt(2) << 8 | fourCc.charAt(3);
    }
  }

  /** What the packet carries. */
  public enum Type {
    /** The decoder configuration (AVCPacketType 0, VideoPacketType.SequenceStart). */
    SEQUENCE_START,
    /**
     * A coded frame (AVCPacketType 1, VideoPacketType.CodedFrames, or CodedFramesX, whose
     * composition time is implicitly 0).
     */
    CODED_FRAMES,
    /** End of sequence (AVCPacketType 2, VideoPacketType.SequenceEnd): no data. */
    SEQUENCE_END,
    /** VideoPacketType.Metadata: AMF0 (colorInfo…) in {@link #data()}, no picture. */
    METADATA
  }

  private final Codec codec;
  private final boolean enhanced;
  private final Type type;
  private final int frameType;
  private final int compositionTimeMs;
  private final ByteBuffer data;

  private FlvVideoPacket(
      Codec codec, boolean enhanced, Type type, int frameType, int compositionTimeMs, ByteBuffer data) {
    this.codec = codec;
    this.enhanced = enhanced;
    this.type = type;
    this.frameType = frameType;
    this.compositionTimeMs = compositionTimeMs;
    this.data = data;
  }

  /**
   * A packet; {@code data} is the remaining bytes of the buffer, kept as a read-only view.
   *
   * @param enhanced whether the wire form is the enhanced RTMP header; HEVC and AV1 always are
   * @param frameType {@link #FRAME_KEY}, {@link #FRAME_INTER}, {@link #FRAME_DISPOSABLE_INTER} for
   *     pictures; any UB[4] (legacy) or UB[3] (enhanced) value for {@link Type#METADATA}, whose
   *     FrameType the spec says to ignore
   * @param compositionTimeMs PTS − DTS in milliseconds, an SI24; 0 unless {@link
   *     Type#CODED_FRAMES} of AVC or HEVC
   */
  public static FlvVideoPacket of(
      Codec codec, boolean enhanced, Type type, int frameType, int compositionTimeMs, ByteBuffer data) {
    if (codec == null || type == null) {
      throw new NullPointerException(codec == null ? "codec" : "type");
    }
    if (!enhanced && codec != Codec.AVC) {
      throw new IllegalArgumentException(codec + " exists only in the enhanced RTMP header");
    }
    if (frameType < 0 || frameType > (enhanced ? 7 : 15)) {
      throw new IllegalArgumentException(
          "FrameType out of range 0.." + (enhanced ? 7 : 15) + ": " + frameType);
    }
    if (compositionTimeMs < -(1 << 23) || compositionTimeMs >= 1 << 23) {
      throw new IllegalArgumentException("CompositionTime out of SI24 range: " + compositionTimeMs);
    }
    if (compositionTimeMs != 0 && (type != Type.CODED_FRAMES || codec == Codec.AV1)) {
      throw new IllegalArgumentException(
          "CompositionTime " + compositionTimeMs + " on a " + codec + " " + type + " packet");
    }
    return new FlvVideoPacket(
        codec, enhanced, type, frameType, compositionTimeMs, data.slice().asReadOnlyBuffer());
  }

  public Codec codec() {
    return codec;
  }

  /** True for the enhanced RTMP v2 wire form (IsExHeader). */
  public boolean isEnhanced() {
    return enhanced;
  }

  public Type type() {
    return type;
  }

  /** FrameType: 1..3 for pictures. */
  public int frameType() {
    return frameType;
  }

  /** True for FrameType 1 (key frame). */
  public boolean isKeyFrame() {
    return frameType == FRAME_KEY;
  }

  /** PTS − DTS in milliseconds (SI24). */
  public int compositionTimeMs() {
    return compositionTimeMs;
  }

  /** A fresh read-only view of the data, position 0. */
  public ByteBuffer data() {
    ByteBuffer view = data.duplicate();
    ((Buffer) view).clear();
    return view;
  }

  /** Size of {@link #data()} in bytes. */
  public int dataSize() {
    return data.capacity();
  }

  @Override
  public String toString() {
    return "FlvVideoPacket{" + codec + (enhanced ? " (enhanced)" : "") + ", " + type
        + ", frameType=" + frameType + ", cts=" + compositionTimeMs + " ms, " + dataSize()
        + " bytes}";
  }
}
