package io.livemux.rtmp.publish;

import io.livemux.format.AacFormat;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.flv.FlvPacketEncoder;
import io.livemux.rtmp.flv.FlvSamples;
import io.livemux.sample.Sample;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Turns one sample into the payload of an RTMP audio or video message — the FLV packet header
 * (E.4.2.1 / E.4.3.1, or the enhanced RTMP v2 header for HEVC) followed by the sample's bytes — and
 * hands it to the chunk encoder piece by piece, so the payload is copied once, straight into the
 * send buffer, and nothing is allocated per message.
 *
 * <p>Not thread-safe: one per connection, used by the sending thread.
 */
final class MediaPacketizer implements ChunkEncoder.PayloadSource {
  private final ByteBuffer header = ByteBuffer.allocate(16);
  private int headerLength;
  private Sample sample;

  /**
   * The message timestamp of {@code sample}: its DTS in ms, less its AAC priming ({@link
   * #primingMs}), plus {@code offsetMs}, modulo 2^32 (RTMP message timestamps are 32 bits and wrap,
   * RTMP 5.3.1.3).
   *
   * @throws RtmpException if the shifted DTS is negative
   */
  static long messageTimestampMs(Sample sample, long offsetMs) throws RtmpException {
    long dtsMs = FlvSamples.decodeTimeMs(sample) - primingMs(sample.format()) + offsetMs;
    if (dtsMs < 0) {
      throw new RtmpException(
          "RTMP: decode time " + (dtsMs - offsetMs) + " ms of " + sample + " is before the stream's"
              + " first decode time (shifted by " + offsetMs + " ms to start at 0); RTMP timestamps"
              + " cannot be negative");
    }
    return dtsMs & 0xFFFFFFFFL;
  }

  /**
   * An AAC format's encoder delay ({@link AacFormat#encoderDelaySamples()}) in whole ms, rounded
   * to the nearest: an MP4 hides the priming with an edit list, RTMP has none, so the access unit
   * is stamped that much earlier and its first real sample plays at the sample's time, in sync
   * with the video (as ffmpeg stamps FLV from such an MP4). 0 for other formats.
   */
  static long primingMs(MediaFormat format) {
    return format instanceof AacFormat ? ((AacFormat) format).encoderDelayTicks(FlvSamples.TIMESCALE) : 0;
  }

  /** Prepares {@code sample} of {@code format}; returns the message length. */
  int prepare(Sample sample, MediaFormat format) throws RtmpException {
    ((Buffer) header).clear();
    if (format instanceof VideoFormat) {
      boolean enhanced = format instanceof H265Format;
      FlvPacketEncoder.writeVideoFrameHeader(
          header, enhanced, sample.isSync(), FlvSamples.compositionTimeMs(sample));
    } else {
      FlvPacketEncoder.writeAudioFrameHeader(header);
    }
    headerLength = header.position();
    this.sample = sample;
    long length = (long) headerLength + sample.size();
    if (length > io.livemux.rtmp.chunk.RtmpMessage.MAX_PAYLOAD_LENGTH) {
      throw new RtmpException(
          "RTMP: a " + (format instanceof VideoFormat ? "video" : "audio") + " message of " + length
              + " bytes exceeds the 3-byte message length field (16777215): " + sample);
    }
    return (int) length;
  }

  @Override
  public void copyTo(int offset, int length, ByteBuffer out) {
    int end = offset + length;
    if (offset < headerLength) {
      int n = Math.min(end, headerLength) - offset;
      out.put(header.array(), offset, n);
      offset += n;
      length -= n;
    }
    if (length > 0) {
      sample.copyPayloadTo(out, offset - headerLength, length);
    }
  }

  /** Forgets the sample, so its payload is not held. */
  void clear() {
    sample = null;
  }
}
