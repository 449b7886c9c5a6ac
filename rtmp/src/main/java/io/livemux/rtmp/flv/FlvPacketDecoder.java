package io.livemux.rtmp.flv;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Decoder;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Parses the bodies of FLV tags and RTMP media messages: video (legacy AVC, FLV 10.1 E.4.3.1;
 * enhanced RTMP v2 "Enhanced Video" for {@code avc1}, {@code hvc1} and {@code av01}), AAC audio
 * (E.4.2.1) and script data (E.4.4.1, AMF0).
 *
 * <p>Everything it does not carry is refused with an {@link RtmpException} that names the value and
 * what is supported, e.g. "FLV audio: SoundFormat 2 (MP3) is not supported, only 10 (AAC)": other
 * CodecIDs and FourCCs, enhanced audio, multitrack and MPEG-2 TS sequence starts. A ModEx prefix
 * (enhanced RTMP: TimestampOffsetNano) is skipped; its sub-millisecond offset is not applied.
 *
 * <p>Packets are views of the body, not copies (see {@link FlvVideoPacket}); the body's position
 * is not moved. Immutable and thread-safe.
 */
public final class FlvPacketDecoder {
  private static final String[] SOUND_FORMATS = {
    "Linear PCM, platform-endian", "ADPCM", "MP3", "Linear PCM, little-endian",
    "Nellymoser 16 kHz mono", "Nellymoser 8 kHz mono", "Nellymoser", "G.711 A-law",
    "G.711 mu-law", "enhanced audio ExHeader", "AAC", "Speex", "reserved", "reserved", "MP3 8 kHz",
    "device-specific"
  };
  private static final String[] VIDEO_CODECS = {
    "reserved", "reserved", "Sorenson H.263", "Screen video", "On2 VP6", "On2 VP6 with alpha",
    "Screen video v2", "AVC", "reserved", "reserved", "reserved", "reserved",
    "HEVC, non-standard", "reserved", "reserved", "reserved"
  };

  // Enhanced RTMP v2, enum VideoPacketType.
  private static final int SEQUENCE_START = 0;
  private static final int CODED_FRAMES = 1;
  private static final int SEQUENCE_END = 2;
  private static final int CODED_FRAMES_X = 3;
  private static final int METADATA = 4;
  private static final int MPEG2TS_SEQUENCE_START = 5;
  private static final int MULTITRACK = 6;
  private static final int MOD_EX = 7;
  private static final int FRAME_COMMAND = 5;

  private final Amf0Decoder amf0;

  public FlvPacketDecoder(FlvLimits limits) {
    this.amf0 = new Amf0Decoder(limits.amf0Limits());
  }

  /**
   * The video packet in {@code body}, or null for a video info/command frame (FrameType 5), which
   * carries no picture.
   */
  public FlvVideoPacket video(ByteBuffer body) throws RtmpException {
    ByteBuffer in = body.slice();
    need(in, 1, "the VideoTagHeader");
    int first = in.get() & 0xFF;
    if ((first & 0x80) != 0) {
      return enhancedVideo(in, first);
    }
    int frameType = first >>> 4;
    int codecId = first & 0x0F;
    if (codecId != 7) {
      throw new RtmpException(
          "FLV video: CodecID " + codecId + " (" + VIDEO_CODECS[codecId] + ") is not supported,"
              + " only 7 (AVC); HEVC and AV1 are read in enhanced RTMP headers");
    }
    if (frameType == FRAME_COMMAND) {
      return null;
    }
    checkFrameType(frameType);
    need(in, 4, "AVCPacketType and CompositionTime");
    int avcPacketType = in.get() & 0xFF;
    int cts = si24(in);
    switch (avcPacketType) {
      case 0:
        return FlvVideoPacket.of(
            FlvVideoPacket.Codec.AVC, false, FlvVideoPacket.Type.SEQUENCE_START, frameType, 0, in);
      case 1:
        return FlvVideoPacket.of(
            FlvVideoPacket.Codec.AVC, false, FlvVideoPacket.Type.CODED_FRAMES, frameType, cts, in);
      case 2:
        return FlvVideoPacket.of(
            FlvVideoPacket.Codec.AVC, false, FlvVideoPacket.Type.SEQUENCE_END, frameType, 0, in);
      default:
        throw new RtmpException("FLV video: AVCPacketType " + avcPacketType + " is not 0, 1 or 2");
    }
  }

  /** Enhanced RTMP v2, ExVideoTagHeader and ExVideoTagBody, single track. */
  private FlvVideoPacket enhancedVideo(ByteBuffer in, int first) throws RtmpException {
    int frameType = (first >>> 4) & 0x07; // UB[3] after IsExHeader
    int packetType = first & 0x0F;
    while (packetType == MOD_EX) {
      need(in, 1, "modExDataSize");
      int size = (in.get() & 0xFF) + 1;
      if (size == 256) {
        need(in, 2, "the 16-bit modExDataSize");
        size = (in.getShort() & 0xFFFF) + 1;
      }
      need(in, size + 1, "modExData and the next VideoPacketType");
      ((Buffer) in).position(in.position() + size); // TimestampOffsetNano or unknown: not applied
      packetType = in.get() & 0x0F; // UB[4] VideoPacketModExType, UB[4] VideoPacketType
    }
    if (frameType == FRAME_COMMAND && packetType != METADATA) {
      return null; // videoCommand UI8 follows, and no FourCC
    }
    if (packetType == MULTITRACK) {
      throw new RtmpException("FLV video: enhanced RTMP multitrack (VideoPacketType 6) is not supported");
    }
    need(in, 4, "the video FourCC");
    FlvVideoPacket.Codec codec = codec(in.getInt());
    if (packetType != METADATA) {
      checkFrameType(frameType);
    }
    switch (packetType) {
      case SEQUENCE_START:
        return FlvVideoPacket.of(codec, true, FlvVideoPacket.Type.SEQUENCE_START, frameType, 0, in);
      case CODED_FRAMES: {
        int cts = 0;
        if (codec != FlvVideoPacket.Codec.AV1) { // AV1 frames carry no composition time
          need(in, 3, "CompositionTime");
          cts = si24(in);
        }
        return FlvVideoPacket.of(codec, true, FlvVideoPacket.Type.CODED_FRAMES, frameType, cts, in);
      }
      case CODED_FRAMES_X:
        if (codec == FlvVideoPacket.Codec.AV1) {
          throw new RtmpException("FLV video: CodedFramesX (VideoPacketType 3) is not defined for av01");
        }
        return FlvVideoPacket.of(codec, true, FlvVideoPacket.Type.CODED_FRAMES, frameType, 0, in);
      case SEQUENCE_END:
        return FlvVideoPacket.of(codec, true, FlvVideoPacket.Type.SEQUENCE_END, frameType, 0, in);
      case METADATA:
        return FlvVideoPacket.of(codec, true, FlvVideoPacket.Type.METADATA, frameType, 0, in);
      case MPEG2TS_SEQUENCE_START:
        throw new RtmpException(
            "FLV video: MPEG2TSSequenceStart (VideoPacketType 5) is not supported");
      default:
        throw new RtmpException("FLV video: VideoPacketType " + packetType + " is reserved");
    }
  }

  private static FlvVideoPacket.Codec codec(int fourCc) throws RtmpException {
    for (FlvVideoPacket.Codec c : FlvVideoPacket.Codec.values()) {
      if (c.fourCcValue() == fourCc) {
        return c;
      }
    }
    throw new RtmpException(
        "FLV video: FourCC " + fourCcName(fourCc) + " is not supported, only 'avc1', 'hvc1', 'av01'");
  }

  private static void checkFrameType(int frameType) throws RtmpException {
    if (frameType < FlvVideoPacket.FRAME_KEY || frameType > 4) {
      throw new RtmpException("FLV video: FrameType " + frameType + " is reserved");
    }
  }

  /** The AAC packet in {@code body}. */
  public FlvAudioPacket audio(ByteBuffer body) throws RtmpException {
    ByteBuffer in = body.slice();
    need(in, 1, "the AudioTagHeader");
    int first = in.get() & 0xFF;
    int soundFormat = first >>> 4;
    if (soundFormat != FlvAudioPacket.SOUND_FORMAT_AAC) {
      throw new RtmpException(
          "FLV audio: SoundFormat " + soundFormat + " (" + SOUND_FORMATS[soundFormat]
              + ") is not supported, only 10 (AAC)");
    }
    need(in, 1, "AACPacketType");
    int aacPacketType = in.get() & 0xFF;
    if (aacPacketType > 1) {
      throw new RtmpException("FLV audio: AACPacketType " + aacPacketType + " is not 0 or 1");
    }
    return FlvAudioPacket.aac(
        aacPacketType == 0 ? FlvAudioPacket.Type.SEQUENCE_HEADER : FlvAudioPacket.Type.RAW,
        first & 0x0F,
        in);
  }

  /**
   * The AMF0 values of a script data body (E.4.4.1: a name such as "onMetaData", then its value),
   * within the {@link FlvLimits#amf0Limits()}.
   */
  public List<Object> script(ByteBuffer body) throws RtmpException {
    return amf0.decodeAll(body.slice());
  }

  private static int si24(ByteBuffer in) {
    int v = (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | (in.get() & 0xFF);
    return v << 8 >> 8; // sign-extend the SI24
  }

  private static void need(ByteBuffer in, int bytes, String what) throws RtmpException {
    if (in.remaining() < bytes) {
      throw new RtmpException(
          "FLV packet truncated: " + what + " needs " + bytes + " bytes, " + in.remaining()
              + " left");
    }
  }

  static String fourCcName(int v) {
    StringBuilder s = new StringBuilder("'");
    for (int shift = 24; shift >= 0; shift -= 8) {
      int c = (v >>> shift) & 0xFF;
      s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return s.append("' (0x").append(String.format("%08x", v)).append(')').toString();
  }
}
