package io.livemux.rtmp.flv;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.TrackInfo;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0EcmaArray;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Records one H.264 or H.265 video track and/or one AAC audio track to an FLV file, as a pipeline
 * {@link SampleSink}.
 *
 * <p>The file is append-only: the header, an onMetaData script tag, each track's sequence header,
 * then one tag per sample, each written whole with its PreviousTagSize. Nothing is ever rewritten,
 * so after a crash the file is every complete tag plus at most one truncated tag, which {@link
 * FlvReader} (and ffmpeg) ignore. onMetaData therefore has no duration or file size.
 *
 * <p>Times follow {@link FlvSamples}: DTS in ms in the tag timestamp (with its extended byte past
 * 2<sup>24</sup> ms), PTS − DTS in the composition time. A sample whose DTS in ms is negative or
 * beyond 2<sup>31</sup> − 1, or whose composition time overflows the SI24, fails the sink with an
 * {@link RtmpException}. A format change (new SPS/PPS, new AudioSpecificConfig) is written as a new
 * sequence header at the next sample's timestamp.
 *
 * <p>Payloads are written straight from the sample buffers (gathering writes, no copy) before
 * {@link #write} returns.
 *
 * <p><b>Threads.</b> A {@link SampleSink}: {@code start}, {@code formatChanged}, {@code write} and
 * {@code finish} come from one thread; {@link #cancel()} may come from any, and makes a blocked
 * write return by closing the file.
 */
public final class FlvWriter implements SampleSink {
  private static final int NONE = FlvTracks.NONE;

  private final Path path;
  private final FlvWriterOptions options;
  private volatile FileChannel channel;
  private int videoTrack = NONE;
  private int audioTrack = NONE;
  private MediaFormat[] formats;
  private boolean[] pendingSequenceHeader;
  private long bytesWritten;
  private long tags;
  // Reused for every tag (the writer has one thread): the tag header, the packet header, the
  // PreviousTagSize, and the gathering array of a header + payload tag.
  private final ByteBuffer tagHeader = ByteBuffer.allocate(FlvTagEncoder.TAG_HEADER_SIZE);
  private final ByteBuffer packetHeader = ByteBuffer.allocate(16);
  private final ByteBuffer trailer = ByteBuffer.allocate(4);
  private final ByteBuffer[] twoPartBody = new ByteBuffer[2];
  private final ByteBuffer[] twoPartTag = new ByteBuffer[4];
  private volatile boolean cancelled;

  /** A writer of {@code path}, which {@link #start} creates or truncates. */
  public FlvWriter(Path path, FlvWriterOptions options) {
    if (path == null || options == null) {
      throw new NullPointerException(path == null ? "path" : "options");
    }
    this.path = path;
    this.options = options;
  }

  /** Throws unless FLV carries {@code format}: H.264, H.265 or AAC. */
  public static void checkSupported(MediaFormat format) throws RtmpException {
    if (!(format instanceof H264Format || format instanceof H265Format
        || format instanceof AacFormat)) {
      throw new RtmpException(
          "cannot record " + format + " in FLV: livemux writes H.264, H.265 and AAC tracks");
    }
  }

  @Override
  public void start(List<TrackInfo> tracks) throws IOException {
    for (TrackInfo t : tracks) {
      checkSupported(t.format());
    }
    FlvTracks assigned = FlvTracks.of(tracks, "FLV");
    videoTrack = assigned.videoTrack();
    audioTrack = assigned.audioTrack();
    formats = assigned.formats();
    pendingSequenceHeader = new boolean[tracks.size()];
    try {
      channel =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new RtmpException("cannot open " + path + " for writing: " + e, e);
    }
    write(FlvTagEncoder.fileHeader(audioTrack != NONE, videoTrack != NONE));
    ByteBuffer metadata = FlvPacketEncoder.onMetaData(metadata());
    writeTag(FlvTag.SCRIPT_DATA, 0, metadata);
    if (videoTrack != NONE) {
      writeVideo(FlvSamples.videoSequenceStart(formats[videoTrack]), 0);
    }
    if (audioTrack != NONE) {
      writeTag(FlvTag.AUDIO, 0,
          FlvPacketEncoder.audio(FlvSamples.audioSequenceHeader(formats[audioTrack])));
    }
  }

  /** onMetaData: what the tracks say, then the extras. */
  private Map<String, Object> metadata() {
    Amf0EcmaArray m =
        FlvSamples.onMetaData(
            videoTrack != NONE ? formats[videoTrack] : null,
            audioTrack != NONE ? formats[audioTrack] : null);
    m.putAll(options.metadata());
    return m;
  }

  @Override
  public void formatChanged(int track, MediaFormat newFormat) throws IOException {
    checkSupported(newFormat);
    if ((newFormat instanceof VideoFormat) != (formats[track] instanceof VideoFormat)) {
      throw new RtmpException(
          "track " + track + " changed from " + formats[track] + " to " + newFormat);
    }
    if (!newFormat.equals(formats[track])) {
      formats[track] = newFormat;
      pendingSequenceHeader[track] = true;
    }
  }

  @Override
  public void write(int track, Sample sample) throws IOException {
    long dtsMs = FlvSamples.decodeTimeMs(sample);
    if (dtsMs < 0 || dtsMs > Integer.MAX_VALUE) {
      throw new RtmpException(
          "FLV: track " + track + " decode time " + dtsMs + " ms is outside the tag timestamp's"
              + " range 0..2147483647 ms");
    }
    boolean video = track == videoTrack;
    if (pendingSequenceHeader[track]) {
      if (video) {
        writeVideo(FlvSamples.videoSequenceStart(formats[track]), (int) dtsMs);
      } else {
        writeTag(FlvTag.AUDIO, (int) dtsMs,
            FlvPacketEncoder.audio(FlvSamples.audioSequenceHeader(formats[track])));
      }
      pendingSequenceHeader[track] = false;
    }
    // Coded frames: the packet header written in place into a reused buffer (no per-tag objects
    // beyond the gathering array), the payload straight from the sample.
    ((Buffer) packetHeader).clear();
    if (video) {
      FlvPacketEncoder.writeVideoFrameHeader(packetHeader, formats[track] instanceof H265Format,
          sample.isSync(), FlvSamples.compositionTimeMs(sample));
    } else {
      FlvPacketEncoder.writeAudioFrameHeader(packetHeader); // start() admitted AAC only
    }
    ((Buffer) packetHeader).flip();
    twoPartBody[0] = packetHeader;
    twoPartBody[1] = sample.payload();
    try {
      writeTag(video ? FlvTag.VIDEO : FlvTag.AUDIO, (int) dtsMs, twoPartBody);
    } finally {
      twoPartBody[1] = null; // the payload is not kept beyond write
      twoPartTag[2] = null;
    }
  }

  private void writeVideo(FlvVideoPacket packet, int timestampMs) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(FlvPacketEncoder.videoHeaderSize(packet));
    FlvPacketEncoder.writeVideoHeader(header, packet);
    ((Buffer) header).flip();
    writeTag(FlvTag.VIDEO, timestampMs, header, packet.data());
  }

  /** One whole tag: header, body parts, PreviousTagSize, in one gathering write. */
  private void writeTag(int type, int timestampMs, ByteBuffer... body) throws IOException {
    long size = 0;
    for (ByteBuffer b : body) {
      size += b.remaining();
    }
    if (size > FlvTag.MAX_DATA_SIZE) {
      throw new RtmpException(
          "FLV: a " + (type == FlvTag.VIDEO ? "video" : type == FlvTag.AUDIO ? "audio" : "script")
              + " tag of " + size + " bytes at " + timestampMs
              + " ms exceeds DataSize's UI24 maximum 16777215");
    }
    ((Buffer) tagHeader).clear();
    FlvTagEncoder.writeTagHeader(tagHeader, type, (int) size, timestampMs);
    ((Buffer) tagHeader).flip();
    ((Buffer) trailer).clear();
    trailer.putInt(FlvTagEncoder.TAG_HEADER_SIZE + (int) size); // PreviousTagSize
    ((Buffer) trailer).flip();
    ByteBuffer[] parts = body.length == 2 ? twoPartTag : new ByteBuffer[body.length + 2];
    parts[0] = tagHeader;
    System.arraycopy(body, 0, parts, 1, body.length);
    parts[parts.length - 1] = trailer;
    write(parts);
    tags++;
  }

  private void write(ByteBuffer... parts) throws IOException {
    if (cancelled) {
      throw new RtmpException("FLV recording of " + path + " was cancelled");
    }
    long total = 0;
    for (ByteBuffer b : parts) {
      total += b.remaining();
    }
    try {
      long done = 0;
      while (done < total) {
        done += channel.write(parts);
      }
    } catch (IOException e) {
      throw new RtmpException(
          "failed to write FLV tag " + tags + " at offset " + bytesWritten + " of " + path + ": "
              + (cancelled ? "cancelled" : e.toString()), e);
    }
    bytesWritten += total;
  }

  @Override
  public void finish() throws IOException {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      throw new RtmpException("failed to close " + path + ": " + e, e);
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    FileChannel c = channel;
    if (c != null) {
      try {
        c.close(); // what was written stays: whole tags and at most one partial one
      } catch (IOException ignored) {
        // closing is all cancel can do; the file keeps what reached it
      }
    }
  }

  /** Bytes written so far (the file header and whole tags). Only from the sink's thread. */
  public long bytesWritten() {
    return bytesWritten;
  }
}
