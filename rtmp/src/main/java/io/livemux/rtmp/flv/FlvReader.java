package io.livemux.rtmp.flv;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.MediaFormat;
import io.livemux.rtmp.RtmpException;
import io.livemux.sample.Sample;
import java.io.Closeable;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Reads an FLV file (H.264, H.265 in enhanced RTMP form, AAC) as livemux samples in file order:
 * video samples with their PTS and DTS, audio samples with their time, all in milliseconds
 * (timescale 1000, see {@link FlvSamples}); formats come from the sequence headers, so a new one
 * mid-file gives the samples after it a new format. Sync flags come from FrameType.
 *
 * <p>A file that ends inside a tag (a recording cut short by a crash) ends after its last whole
 * tag: {@link #next()} returns null and {@link #truncatedBytes()} says what was dropped. Anything
 * malformed is an {@link RtmpException} naming what and where, within the {@link FlvLimits}; a
 * coded frame before its sequence header, or a codec without a livemux format (AV1), too.
 *
 * <p>Samples are views of the tags' bodies, which the reader allocated for them: they belong to
 * the caller. Not thread-safe: one thread reads. {@link #close()} closes the channel.
 */
public final class FlvReader implements Closeable {
  private static final int CHUNK = 64 << 10;

  private final ReadableByteChannel channel;
  private final FlvTagDecoder tags;
  private final FlvPacketDecoder packets;
  private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
  private MediaFormat videoFormat;
  private AacFormat audioFormat;
  private Map<String, Object> metadata = Collections.emptyMap();
  private boolean endOfFile;
  private long truncatedBytes;

  /** A reader of {@code channel}, which it owns from now on. */
  public FlvReader(ReadableByteChannel channel, FlvLimits limits) {
    if (channel == null || limits == null) {
      throw new NullPointerException(channel == null ? "channel" : "limits");
    }
    this.channel = channel;
    this.tags = new FlvTagDecoder(limits);
    this.packets = new FlvPacketDecoder(limits);
    ((Buffer) buffer).limit(0);
  }

  /** Opens {@code path} for reading. */
  public static FlvReader open(Path path, FlvLimits limits) throws RtmpException {
    try {
      return new FlvReader(FileChannel.open(path, StandardOpenOption.READ), limits);
    } catch (IOException e) {
      throw new RtmpException("cannot open " + path + ": " + e, e);
    }
  }

  /** The next sample, or null after the last whole tag. */
  public Sample next() throws IOException {
    while (true) {
      FlvTag tag = nextTag();
      if (tag == null) {
        return null;
      }
      Sample sample = toSample(tag);
      if (sample != null) {
        return sample;
      }
    }
  }

  /** The properties of the last onMetaData read so far; empty if there was none. */
  public Map<String, Object> metadata() {
    return metadata;
  }

  /** The video format announced so far, or null. */
  public MediaFormat videoFormat() {
    return videoFormat;
  }

  /** The audio format announced so far, or null. */
  public AacFormat audioFormat() {
    return audioFormat;
  }

  /** Bytes of a partial last tag that were ignored at the end of the file (0 if none, or not yet). */
  public long truncatedBytes() {
    return truncatedBytes;
  }

  private FlvTag nextTag() throws IOException {
    while (true) {
      FlvTag tag = tags.decode(buffer);
      if (tag != null) {
        return tag;
      }
      if (endOfFile) {
        return null;
      }
      ((Buffer) buffer).clear();
      int n = channel.read(buffer);
      ((Buffer) buffer).flip();
      if (n < 0) {
        endOfFile = true;
        if (tags.offset() < 9) {
          throw new RtmpException(
              "FLV: the file ends after " + tags.offset() + " bytes, inside its 9-byte header");
        }
        truncatedBytes = tags.pendingBytes();
      }
    }
  }

  private Sample toSample(FlvTag tag) throws RtmpException {
    switch (tag.type()) {
      case FlvTag.SCRIPT_DATA: {
        List<Object> values = packets.script(tag.body());
        if (values.size() >= 2 && "onMetaData".equals(values.get(0)) && values.get(1) instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> properties = (Map<String, Object>) values.get(1);
          metadata = Collections.unmodifiableMap(properties);
        }
        return null;
      }
      case FlvTag.VIDEO: {
        FlvVideoPacket packet = packets.video(tag.body());
        if (packet == null) {
          return null; // a command frame
        }
        switch (packet.type()) {
          case SEQUENCE_START:
            videoFormat = FlvSamples.videoFormat(packet);
            return null;
          case CODED_FRAMES:
            if (videoFormat == null) {
              throw new RtmpException(
                  "FLV video: a coded frame at " + tag.timestampMs() + " ms before any sequence start");
            }
            if (packet.codec() != codecOf(videoFormat)) {
              throw new RtmpException(
                  "FLV video: a " + packet.codec() + " frame at " + tag.timestampMs()
                      + " ms after a sequence start for " + videoFormat);
            }
            return FlvSamples.videoSample(packet, tag.timestampMs(), videoFormat);
          default:
            return null; // sequence end, metadata
        }
      }
      default: {
        FlvAudioPacket packet = packets.audio(tag.body());
        if (packet.type() == FlvAudioPacket.Type.SEQUENCE_HEADER) {
          audioFormat = FlvSamples.audioFormat(packet);
          return null;
        }
        if (audioFormat == null) {
          throw new RtmpException(
              "FLV audio: an AAC frame at " + tag.timestampMs() + " ms before any sequence header");
        }
        return FlvSamples.audioSample(packet, tag.timestampMs(), audioFormat);
      }
    }
  }

  private static FlvVideoPacket.Codec codecOf(MediaFormat format) {
    return format instanceof H264Format ? FlvVideoPacket.Codec.AVC : FlvVideoPacket.Codec.HEVC;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
