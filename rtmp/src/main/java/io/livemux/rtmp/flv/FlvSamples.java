package io.livemux.rtmp.flv;

import io.livemux.LivemuxException;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0EcmaArray;
import io.livemux.sample.Sample;
import io.livemux.time.MediaTime;
import java.math.RoundingMode;

/**
 * Maps livemux samples and formats to FLV packets and back; the one place where FLV time rules
 * live, shared by {@link FlvWriter}, {@link FlvReader} and the RTMP publisher.
 *
 * <p><b>Time.</b> FLV counts whole milliseconds. A sample's decode and presentation times are each
 * converted exactly to milliseconds and rounded half up ({@link #toMs}); the tag timestamp is the
 * DTS in ms (its low 24 bits in Timestamp, bits 24..31 in TimestampExtended), and the video
 * packet's CompositionTime is {@code PTS_ms − DTS_ms}. Rounding both ends (rather than the
 * difference) makes the reader's PTS exactly the rounded PTS, and keeps PTS ≥ DTS when it was.
 * Samples read back have timescale 1000: a stream already in milliseconds round-trips exactly.
 *
 * <p><b>Codecs.</b> H.264 is written in the legacy form (CodecID 7, the form every peer reads),
 * H.265 in the enhanced RTMP v2 form (FourCC {@code hvc1}); both carry length-prefixed NAL units as
 * their decoder configuration record says. AAC frames are raw access units.
 *
 * <p><b>Flags.</b> FrameType 1 (key frame) and 4 (generated key frame) read as {@link
 * Sample#FLAG_SYNC}, 3 (disposable inter frame) as {@link Sample#FLAG_DISPOSABLE}. Written, a sync
 * sample is FrameType 1 and any other is 2: the spec reserves 3 for H.263, so {@code
 * FLAG_DISPOSABLE} is not carried.
 *
 * <p>Stateless and thread-safe. Packets made from samples are views of the sample payloads, and
 * samples made from packets are views of the packet data (no copies).
 */
public final class FlvSamples {
  /** The FLV timescale: milliseconds. */
  public static final int TIMESCALE = 1000;

  private FlvSamples() {}

  /** {@code ticks} of {@code timescale} in milliseconds, rounded half up (exact when it can be). */
  public static long toMs(long ticks, int timescale) {
    return MediaTime.rescaleTicks(ticks, timescale, TIMESCALE, RoundingMode.HALF_UP);
  }

  /** The sample's decode time in milliseconds: its tag timestamp. */
  public static long decodeTimeMs(Sample sample) {
    return toMs(sample.decodeTimeTicks(), sample.timescale());
  }

  /** The sequence start that announces {@code format} (H.264, H.265). */
  public static FlvVideoPacket videoSequenceStart(MediaFormat format) throws RtmpException {
    if (format instanceof H264Format) {
      return FlvVideoPacket.of(
          FlvVideoPacket.Codec.AVC, false, FlvVideoPacket.Type.SEQUENCE_START,
          FlvVideoPacket.FRAME_KEY, 0, ((H264Format) format).avcC());
    }
    if (format instanceof H265Format) {
      return FlvVideoPacket.of(
          FlvVideoPacket.Codec.HEVC, true, FlvVideoPacket.Type.SEQUENCE_START,
          FlvVideoPacket.FRAME_KEY, 0, ((H265Format) format).hvcC());
    }
    throw new RtmpException("FLV video: cannot carry " + format + ", only H.264 and H.265");
  }

  /** The AAC sequence header (the AudioSpecificConfig) of {@code format}. */
  public static FlvAudioPacket audioSequenceHeader(MediaFormat format) throws RtmpException {
    if (!(format instanceof AacFormat)) {
      throw new RtmpException("FLV audio: cannot carry " + format + ", only AAC");
    }
    return FlvAudioPacket.aac(
        FlvAudioPacket.Type.SEQUENCE_HEADER, ((AacFormat) format).audioSpecificConfig());
  }

  /**
   * The coded-frame packet of a video sample (H.264 or H.265), its CompositionTime {@code PTS_ms −
   * DTS_ms}.
   *
   * @throws RtmpException if the composition time does not fit the SI24
   */
  public static FlvVideoPacket videoFrame(Sample sample) throws RtmpException {
    MediaFormat format = sample.format();
    int cts = compositionTimeMs(sample);
    int frameType = sample.isSync() ? FlvVideoPacket.FRAME_KEY : FlvVideoPacket.FRAME_INTER;
    if (format instanceof H264Format) {
      return FlvVideoPacket.of(
          FlvVideoPacket.Codec.AVC, false, FlvVideoPacket.Type.CODED_FRAMES, frameType, cts,
          sample.payload());
    }
    if (format instanceof H265Format) {
      return FlvVideoPacket.of(
          FlvVideoPacket.Codec.HEVC, true, FlvVideoPacket.Type.CODED_FRAMES, frameType, cts,
          sample.payload());
    }
    throw new RtmpException("FLV video: cannot carry " + format + ", only H.264 and H.265");
  }

  /**
   * A video sample's CompositionTime: {@code PTS_ms − DTS_ms}, each rounded on its own as the tag
   * timestamp is.
   *
   * @throws RtmpException if it does not fit the SI24
   */
  public static int compositionTimeMs(Sample sample) throws RtmpException {
    long cts = toMs(sample.presentationTimeTicks(), sample.timescale()) - decodeTimeMs(sample);
    if (cts < -(1 << 23) || cts >= 1 << 23) {
      throw new RtmpException(
          "FLV video: composition time " + cts + " ms (PTS − DTS) does not fit the SI24");
    }
    return (int) cts;
  }

  /**
   * The onMetaData properties of a stream with {@code video} (H.264 or H.265) and/or {@code audio}
   * (AAC), either may be null (E.5; enhanced RTMP v2 "Enhancing onMetaData" for the FourCC codec
   * id), plus {@code encoder: livemux}. A new array the caller may extend.
   */
  public static Amf0EcmaArray onMetaData(MediaFormat video, MediaFormat audio) {
    Amf0EcmaArray m = new Amf0EcmaArray();
    if (video != null) {
      VideoFormat v = (VideoFormat) video;
      m.put("width", (double) v.width());
      m.put("height", (double) v.height());
      long num = video instanceof H264Format ? ((H264Format) video).frameRateNumerator()
          : video instanceof H265Format ? ((H265Format) video).frameRateNumerator() : 0;
      long den = video instanceof H264Format ? ((H264Format) video).frameRateDenominator()
          : video instanceof H265Format ? ((H265Format) video).frameRateDenominator() : 0;
      if (num != 0 && den != 0) {
        m.put("framerate", (double) num / den);
      }
      // Legacy CodecID for AVC; the FourCC as a big-endian number for enhanced codecs.
      m.put("videocodecid",
          video instanceof H264Format ? 7.0 : (double) FlvVideoPacket.Codec.HEVC.fourCcValue());
    }
    if (audio instanceof AacFormat) {
      AacFormat a = (AacFormat) audio;
      m.put("audiocodecid", (double) FlvAudioPacket.SOUND_FORMAT_AAC);
      m.put("audiosamplerate", (double) a.sampleRateHz());
      m.put("audiosamplesize", 16.0);
      m.put("stereo", a.channelCount() > 1);
    }
    m.put("encoder", "livemux");
    return m;
  }

  /** The raw-frame packet of an AAC sample. */
  public static FlvAudioPacket audioFrame(Sample sample) throws RtmpException {
    if (!(sample.format() instanceof AacFormat)) {
      throw new RtmpException("FLV audio: cannot carry " + sample.format() + ", only AAC");
    }
    return FlvAudioPacket.aac(FlvAudioPacket.Type.RAW, sample.payload());
  }

  /** The format a video sequence start announces. */
  public static MediaFormat videoFormat(FlvVideoPacket sequenceStart) throws RtmpException {
    try {
      switch (sequenceStart.codec()) {
        case AVC:
          return H264Format.fromAvcC(sequenceStart.data());
        case HEVC:
          return H265Format.fromHvcC(sequenceStart.data());
        default:
          throw new RtmpException(
              "FLV video: " + sequenceStart.codec() + " ('" + sequenceStart.codec().fourCc()
                  + "') packets parse, but livemux has no format for its samples yet");
      }
    } catch (RtmpException e) {
      throw e;
    } catch (LivemuxException e) {
      throw new RtmpException("FLV video: bad " + sequenceStart.codec() + " sequence start: "
          + e.getMessage(), e);
    }
  }

  /** The format an AAC sequence header announces. */
  public static AacFormat audioFormat(FlvAudioPacket sequenceHeader) throws RtmpException {
    try {
      return AacFormat.fromAudioSpecificConfig(sequenceHeader.data());
    } catch (LivemuxException e) {
      throw new RtmpException("FLV audio: bad AAC sequence header: " + e.getMessage(), e);
    }
  }

  /** The sample of a coded video frame whose tag timestamp is {@code dtsMs}, timescale 1000. */
  public static Sample videoSample(FlvVideoPacket frame, long dtsMs, MediaFormat format) {
    int frameType = frame.frameType();
    int flags =
        frameType == FlvVideoPacket.FRAME_KEY || frameType == 4 ? Sample.FLAG_SYNC
            : frameType == FlvVideoPacket.FRAME_DISPOSABLE_INTER ? Sample.FLAG_DISPOSABLE : 0;
    return Sample.builder(format)
        .timescale(TIMESCALE)
        .decodeTimeTicks(dtsMs)
        .presentationTimeTicks(dtsMs + frame.compositionTimeMs())
        .flags(flags)
        .payload(frame.data())
        .build();
  }

  /** The sample of a raw AAC frame whose tag timestamp is {@code dtsMs}, timescale 1000. */
  public static Sample audioSample(FlvAudioPacket frame, long dtsMs, AacFormat format) {
    return Sample.builder(format)
        .timescale(TIMESCALE)
        .presentationTimeTicks(dtsMs)
        .flags(Sample.FLAG_SYNC)
        .payload(frame.data())
        .build();
  }
}
