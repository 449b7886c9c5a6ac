package io.livemux.rtmp.flv;

import io.livemux.rtmp.amf.Amf0EcmaArray;
import io.livemux.rtmp.amf.Amf0Encoder;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Writes the bodies of FLV tags and RTMP media messages, the inverse of {@link FlvPacketDecoder}:
 * legacy AVC video (FLV 10.1 E.4.3.1), enhanced RTMP v2 video (CodedFramesX whenever the
 * composition time is 0, CodedFrames with its SI24 otherwise), AAC audio (E.4.2.1) and script data
 * (AMF0). Each call returns a new buffer, positioned at 0, that the caller owns. Stateless and
 * thread-safe.
 */
public final class FlvPacketEncoder {
  private FlvPacketEncoder() {}

  /** The body of {@code packet}. */
  public static ByteBuffer video(FlvVideoPacket packet) {
    ByteBuffer data = packet.data();
    ByteBuffer out = ByteBuffer.allocate(videoHeaderSize(packet) + data.remaining());
    writeVideoHeader(out, packet);
    out.put(data);
    ((Buffer) out).flip();
    return out;
  }

  /** Bytes before the data in {@link #video}: 5 legacy; 5, 8 (CodedFrames with a time) enhanced. */
  static int videoHeaderSize(FlvVideoPacket packet) {
    if (!packet.isEnhanced()) {
      return 5;
    }
    return 5 + (hasCompositionTime(packet) ? 3 : 0);
  }

  private static boolean hasCompositionTime(FlvVideoPacket p) {
    return p.type() == FlvVideoPacket.Type.CODED_FRAMES
        && p.codec() != FlvVideoPacket.Codec.AV1
        && p.compositionTimeMs() != 0;
  }

  static void writeVideoHeader(ByteBuffer out, FlvVideoPacket p) {
    if (!p.isEnhanced()) {
      out.put((byte) (p.frameType() << 4 | 7)); // FrameType UB[4], CodecID UB[4] = 7 (AVC)
      int avcPacketType =
          p.type() == FlvVideoPacket.Type.SEQUENCE_START ? 0
              : p.type() == FlvVideoPacket.Type.CODED_FRAMES ? 1 : 2;
      if (p.type() == FlvVideoPacket.Type.METADATA) {
        throw new IllegalArgumentException("legacy AVC tags cannot carry METADATA: " + p);
      }
      out.put((byte) avcPacketType); // AVCPacketType: UI8
      FlvTagEncoder.putU24(out, p.compositionTimeMs()); // CompositionTime: SI24
      return;
    }
    int packetType;
    switch (p.type()) {
      case SEQUENCE_START:
        packetType = 0;
        break;
      case CODED_FRAMES:
        // CodedFramesX (3) saves the SI24 when it is 0; AV1 has no composition time at all.
        packetType = p.codec() == FlvVideoPacket.Codec.AV1 || hasCompositionTime(p) ? 1 : 3;
        break;
      case SEQUENCE_END:
        packetType = 2;
        break;
      default:
        packetType = 4;
        break;
    }
    // IsExHeader UB[1] = 1, FrameType UB[3], VideoPacketType UB[4]
    out.put((byte) (0x80 | (p.frameType() & 7) << 4 | packetType));
    out.putInt(p.codec().fourCcValue()); // FourCC
    if (hasCompositionTime(p)) {
      FlvTagEncoder.putU24(out, p.compositionTimeMs()); // CompositionTime: SI24
    }
  }

  /**
   * Bytes {@link #writeVideoFrameHeader} writes before a coded frame's data: 5 for H.264; 5 or 8
   * (with a composition time) for H.265.
   */
  public static int videoFrameHeaderSize(boolean enhanced, int compositionTimeMs) {
    return enhanced && compositionTimeMs != 0 ? 8 : 5;
  }

  /**
   * Writes the header of a coded video frame without allocating: legacy AVC (E.4.3.1) when {@code
   * enhanced} is false, otherwise an enhanced RTMP v2 HEVC CodedFrames (with the SI24 time) or
   * CodedFramesX (time 0) header. The same bytes {@link #video} writes for the packet {@link
   * FlvSamples#videoFrame} makes.
   */
  public static void writeVideoFrameHeader(
      ByteBuffer out, boolean enhanced, boolean keyFrame, int compositionTimeMs) {
    int frameType = keyFrame ? FlvVideoPacket.FRAME_KEY : FlvVideoPacket.FRAME_INTER;
    if (!enhanced) {
      out.put((byte) (frameType << 4 | 7)); // FrameType UB[4], CodecID UB[4] = 7 (AVC)
      out.put((byte) 1); // AVCPacketType: NALU
      FlvTagEncoder.putU24(out, compositionTimeMs); // CompositionTime: SI24
      return;
    }
    // IsExHeader UB[1] = 1, FrameType UB[3], VideoPacketType UB[4]: CodedFrames (1) or CodedFramesX (3)
    out.put((byte) (0x80 | frameType << 4 | (compositionTimeMs != 0 ? 1 : 3)));
    out.putInt(FlvVideoPacket.Codec.HEVC.fourCcValue()); // FourCC
    if (compositionTimeMs != 0) {
      FlvTagEncoder.putU24(out, compositionTimeMs); // CompositionTime: SI24
    }
  }

  /** Writes the 2-byte header of a raw AAC frame (nominal flags, AACPacketType 1) without allocating. */
  public static void writeAudioFrameHeader(ByteBuffer out) {
    out.put((byte) (FlvAudioPacket.SOUND_FORMAT_AAC << 4 | FlvAudioPacket.AAC_NOMINAL_FLAGS));
    out.put((byte) 1); // AACPacketType: raw
  }

  /** Bytes {@link #writeAudioFrameHeader} writes. */
  public static final int AUDIO_FRAME_HEADER_SIZE = 2;

  /** The body of {@code packet}: the AAC header byte, AACPacketType, then the data. */
  public static ByteBuffer audio(FlvAudioPacket packet) {
    ByteBuffer data = packet.data();
    ByteBuffer out = ByteBuffer.allocate(AUDIO_HEADER_SIZE + data.remaining());
    writeAudioHeader(out, packet);
    out.put(data);
    ((Buffer) out).flip();
    return out;
  }

  /** Bytes before the data in {@link #audio}. */
  static final int AUDIO_HEADER_SIZE = 2;

  static void writeAudioHeader(ByteBuffer out, FlvAudioPacket packet) {
    // SoundFormat UB[4] = 10, SoundRate UB[2], SoundSize UB[1], SoundType UB[1]
    out.put((byte) (FlvAudioPacket.SOUND_FORMAT_AAC << 4 | packet.soundFlags()));
    out.put((byte) (packet.type() == FlvAudioPacket.Type.SEQUENCE_HEADER ? 0 : 1)); // AACPacketType
  }

  /** A script data body: the AMF0 values one after the other (E.4.4.1). */
  public static ByteBuffer script(Object... values) {
    return Amf0Encoder.encode(values);
  }

  /** The onMetaData script body: the string "onMetaData" and an ECMA array of {@code properties}. */
  public static ByteBuffer onMetaData(Map<String, ?> properties) {
    return script("onMetaData", new Amf0EcmaArray(properties));
  }
}
