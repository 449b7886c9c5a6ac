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
 * the caller. A reader made by {@link #mapped} instead hands out views of the file's mapped bytes
 * (zero copy). Not thread-safe: one thread reads. {@link #close()} closes the channel.
 */
public final class FlvReader implements Closeable {
  private static final int CHUNK = 64 << 10;
  /** A mapped reader maps this much of the file at a time (a mapping is at most 2 GiB in Java). */
  static final long MAP_WINDOW = 1L << 30;

  private final ReadableByteChannel channel;
  /** The mapped file, or null when reading through {@link #buffer}. */
  private final FileChannel mappedFile;
  private final long mapWindow;
  private long mappedEnd;
  private final FlvTagDecoder tags;
  private final FlvPacketDecoder packets;
  private ByteBuffer buffer;
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
    this.mappedFile = null;
    this.mapWindow = 0;
    this.tags = new FlvTagDecoder(limits);
    this.packets = new FlvPacketDecoder(limits);
    this.buffer = ByteBuffer.allocate(CHUNK);
    ((Buffer) buffer).limit(0);
  }

  private FlvReader(FileChannel file, FlvLimits limits, long mapWindow) {
    if (file == null || limits == null) {
      throw new NullPointerException(file == null ? "file" : "limits");
    }
    if (mapWindow < 16 || mapWindow > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("mapWindow out of range 16.." + Integer.MAX_VALUE + ": " + mapWindow);
    }
    this.channel = file;
    this.mappedFile = file;
    this.mapWindow = mapWindow;
    this.tags = FlvTagDecoder.viewingInput(limits);
    this.packets = new FlvPacketDecoder(limits);
    this.buffer = ByteBuffer.allocate(0);
  }

  /**
   * A reader of {@code file} (owned from now on) through read-only memory mappings of up to 1 GiB
   * at a time: each sample's payload is a view of the mapped file, not a copy, so a remux copies
   * every byte once fewer. The samples keep their mapping alive; the file's bytes must not change
   * and the file must not shrink while they are in use (reading a mapping past a truncated file's
   * end fails the JVM with an {@link InternalError}). A tag that straddles two mappings is copied.
   */
  public static FlvReader mapped(FileChannel file, FlvLimits limits) {
    return new FlvReader(file, limits, MAP_WINDOW);
  }

  /** For tests: mappings of {@code mapWindow} bytes, so that tags straddle them. */
  static FlvReader mapped(FileChannel file, FlvLimits limits, long mapWindow) {
    return new FlvReader(file, limits, mapWindow);
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
      Sample sample;
      try {
        sample = toSample(tag);
      } catch (RtmpException e) {
        throw atTag(tag, e);
      }
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
      int n = mappedFile != null ? mapNext() : readNext();
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

  private int readNext() throws IOException {
    ((Buffer) buffer).clear();
    int n = channel.read(buffer);
    ((Buffer) buffer).flip();
    return n;
  }

  /** Maps the next window of the file into {@link #buffer}; -1 at the end of the file. */
  private int mapNext() throws IOException {
    long size = mappedFile.size();
    if (mappedEnd >= size) {
      ((Buffer) buffer).limit(0);
      return -1;
    }
    long length = Math.min(mapWindow, size - mappedEnd);
    buffer = mappedFile.map(FileChannel.MapMode.READ_ONLY, mappedEnd, length);
    mappedEnd += length;
    return (int) length;
  }

  /** Bytes of the file consumed so far (the header and every whole or partly read tag). */
  public long offset() {
    return tags.offset();
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

  /**
   * A tag body's error with where the tag is, as the tag decoder names its own ("FLV: tag at offset
   * N: ..."): the decoder has just consumed the tag, its 11-byte header and its body.
   */
  private RtmpException atTag(FlvTag tag, RtmpException e) {
    long at = tags.offset() - FlvTagEncoder.TAG_HEADER_SIZE - tag.dataSize();
    String m = String.valueOf(e.getMessage());
    String what = tag.type() == FlvTag.VIDEO ? "video " : tag.type() == FlvTag.AUDIO ? "audio " : "script ";
    for (String prefix : new String[] {"FLV video: ", "FLV audio: ", "FLV: "}) {
      if (m.startsWith(prefix)) {
        m = m.substring(prefix.length());
        break;
      }
    }
    return new RtmpException("FLV: " + what + "tag at offset " + at + ": " + m, e);
  }

  private static FlvVideoPacket.Codec codecOf(MediaFormat format) {
    return format instanceof H264Format ? FlvVideoPacket.Codec.AVC : FlvVideoPacket.Codec.HEVC;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
