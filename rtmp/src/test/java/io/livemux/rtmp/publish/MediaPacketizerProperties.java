package io.livemux.rtmp.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livemux.codec.RealParameterSets;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.rtmp.chunk.ChunkDecoder;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.ChunkLimits;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvPacketDecoder;
import io.livemux.rtmp.flv.FlvPacketEncoder;
import io.livemux.rtmp.flv.FlvSamples;
import io.livemux.rtmp.flv.FlvVideoPacket;
import io.livemux.sample.Sample;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The publisher's allocation-free path (FLV header written in place, payload copied chunk by
 * chunk) produces exactly the message the FLV packet encoder builds, and the chunk decoder and
 * the FLV packet decoder read it back to the sample's bytes, key flag and composition time.
 */
class MediaPacketizerProperties {
  static final H264Format H264 = h264();
  static final H265Format H265 = h265();
  static final AacFormat AAC = AacFormat.of(48_000, 2);

  @Property(tries = 300)
  void packetizedMessages_decodeBackToTheSamples(
      @ForAll @IntRange(min = 0, max = 2) int kind,
      @ForAll @IntRange(min = 128, max = 5000) int chunkSize,
      @ForAll @IntRange(min = 0, max = 100_000_000) int dtsMs,
      @ForAll @IntRange(min = -500, max = 2000) int ctsMs,
      @ForAll boolean sync,
      @ForAll @Size(max = 12_000) List<Byte> payloadBytes)
      throws Exception {
    MediaFormat format = kind == 0 ? H264 : kind == 1 ? H265 : AAC;
    byte[] payload = new byte[payloadBytes.size()];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = payloadBytes.get(i);
    }
    boolean video = format instanceof VideoFormat;
    int cts = video ? Math.max(ctsMs, -dtsMs) : 0;
    Sample sample = Sample.builder(format).timescale(1000).decodeTimeTicks(dtsMs)
        .presentationTimeTicks((long) dtsMs + cts).flags(sync ? Sample.FLAG_SYNC : 0)
        .payload(ByteBuffer.wrap(payload)).build();

    MediaPacketizer packetizer = new MediaPacketizer();
    int length = packetizer.prepare(sample, format);
    ChunkEncoder encoder = new ChunkEncoder();
    ByteBuffer announce = encoder.encode(ProtocolControl.setChunkSize(chunkSize));
    encoder.setChunkSize(chunkSize);
    int csid = video ? RtmpConnection.CSID_VIDEO : RtmpConnection.CSID_AUDIO;
    int type = video ? RtmpConnection.TYPE_VIDEO : RtmpConnection.TYPE_AUDIO;
    long timestamp = MediaPacketizer.messageTimestampMs(sample, 0);
    ByteBuffer wire = ByteBuffer.allocate(encoder.encodedLength(csid, type, 1, timestamp, length));
    encoder.encode(csid, type, 1, timestamp, length, packetizer, wire);
    ((Buffer) wire).flip();

    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    assertEquals(ProtocolControl.SET_CHUNK_SIZE, decoder.decode(announce).typeId());
    RtmpMessage message = decoder.decode(wire);
    assertEquals(0, wire.remaining());
    assertEquals(dtsMs, message.timestampMs());
    ByteBuffer expected =
        video ? FlvPacketEncoder.video(FlvSamples.videoFrame(sample))
            : FlvPacketEncoder.audio(FlvSamples.audioFrame(sample));
    assertEquals(expected, message.payload(), "the same bytes as the FLV packet encoder");
    FlvPacketDecoder packets = new FlvPacketDecoder(FlvLimits.defaults());
    if (video) {
      FlvVideoPacket back = packets.video(message.payload());
      assertEquals(sync, back.isKeyFrame());
      assertEquals(cts, back.compositionTimeMs());
      assertEquals(ByteBuffer.wrap(payload), back.data());
    } else {
      assertEquals(ByteBuffer.wrap(payload), packets.audio(message.payload()).data());
    }
  }

  private static H264Format h264() {
    try {
      return H264Format.fromAvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_AVCC));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static H265Format h265() {
    try {
      return H265Format.fromHvcC(ByteBuffer.wrap(RealParameterSets.FFMPEG_HVCC));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
