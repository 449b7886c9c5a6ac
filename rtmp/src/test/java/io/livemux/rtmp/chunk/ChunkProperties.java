package io.livemux.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.Fuzz;
import io.livemux.rtmp.Rejects;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * ChunkEncoder -> ChunkDecoder identity on random message sequences (chunk streams with 1-, 2- and
 * 3-byte basic headers, chunk size changes mid-stream, extended and wrapping timestamps, any
 * fragmentation), and the decoder on random and mutated bytes.
 */
class ChunkProperties {
  /** One generated step: a message, or (typeId < 0) a Set Chunk Size to {@code length}. */
  static final class Step {
    final int csid;
    final int typeId;
    final int streamId;
    /** 0: previous + delta; 1: absolute {@code time}; 2: same delta as the previous message. */
    final int timeMode;
    final long time;
    /** -1: the previous length of this chunk stream. */
    final int length;

    Step(int csid, int typeId, int streamId, int timeMode, long time, int length) {
      this.csid = csid;
      this.typeId = typeId;
      this.streamId = streamId;
      this.timeMode = timeMode;
      this.time = time;
      this.length = length;
    }

    @Override
    public String toString() {
      return typeId < 0 ? "chunkSize " + length
          : "csid " + csid + " type " + typeId + " stream " + streamId + " mode " + timeMode + " t " + time
              + " len " + length;
    }
  }

  /** Type id or stream id: the one of the previous message on the chunk stream. */
  static final int SAME = 1000;

  /** Turns steps into messages, encoding them as it goes; returns the messages in order. */
  static List<RtmpMessage> play(List<Step> steps, ByteArrayOutputStream wire) {
    return play(steps, wire, COPY);
  }

  static final int COPY = 0;
  static final int GATHER = 1;
  static final int SOURCE = 2;

  /**
   * {@code mode}: {@link #COPY} into one buffer, {@link #GATHER} through {@link
   * ChunkEncoder#encodeGathering}, {@link #SOURCE} from a two-part {@link ChunkEncoder.PayloadSource}.
   */
  static List<RtmpMessage> play(List<Step> steps, ByteArrayOutputStream wire, int mode) {
    ChunkEncoder encoder = new ChunkEncoder();
    List<RtmpMessage> sent = new ArrayList<>();
    Map<Integer, long[]> last = new HashMap<>(); // csid -> {timestamp, delta, length}
    int seed = 0;
    for (Step s : steps) {
      RtmpMessage m;
      if (s.typeId < 0) {
        m = ProtocolControl.setChunkSize(s.length);
      } else {
        long[] prev = last.getOrDefault(s.csid, new long[] {0, 0, 0, 9, 1});
        long t;
        if (s.timeMode == 0) {
          t = (prev[0] + s.time) & 0xFFFFFFFFL;
        } else if (s.timeMode == 1) {
          t = s.time;
        } else {
          t = (prev[0] + prev[1]) & 0xFFFFFFFFL;
        }
        int length = s.length < 0 ? (int) prev[2] : s.length;
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
          payload[i] = (byte) (seed++ * 31 + i);
        }
        int typeId = s.typeId == SAME ? (int) prev[3] : s.typeId;
        int streamId = s.streamId == SAME ? (int) prev[4] : s.streamId;
        m = RtmpMessage.of(s.csid, typeId, streamId, t, payload);
        last.put(s.csid, new long[] {t, (t - prev[0]) & 0xFFFFFFFFL, length, typeId, streamId});
        Statistics.label("timestamp").collect(t >= 0xFFFFFF ? ">= 0xFFFFFF" : "< 0xFFFFFF");
        Statistics.label("basic header").collect(ChunkEncoder.basicHeaderLength(s.csid) + " bytes");
      }
      byte[] b;
      if (mode == SOURCE) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(encoder.encodedLength(m));
        byte[] payload = Chunks.bytes(m.payload());
        encoder.encode(m.chunkStreamId(), m.typeId(), m.messageStreamId(), m.timestampMs(),
            payload.length, (offset, length, target) -> target.put(payload, offset, length), out);
        assertEquals(0, out.remaining(), "encodedLength is exact");
        b = out.array();
      } else if (mode == GATHER) {
        ByteArrayOutputStream parts = new ByteArrayOutputStream();
        for (java.nio.ByteBuffer part : encoder.encodeGathering(m)) {
          byte[] pb = Chunks.bytes(part);
          parts.write(pb, 0, pb.length);
        }
        b = parts.toByteArray();
      } else {
        b = Chunks.bytes(encoder.encode(m));
      }
      Statistics.label("header type").collect("type " + ((b[0] & 0xFF) >>> 6));
      wire.write(b, 0, b.length);
      if (s.typeId < 0) {
        encoder.setChunkSize(s.length);
      }
      sent.add(m);
    }
    return sent;
  }

  @Property(tries = 400)
  void decoder_givesBackExactlyTheEncodedMessages_whateverTheFragmentation(
      @ForAll("steps") List<Step> steps, @ForAll("slices") List<Integer> slices) throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<RtmpMessage> sent = play(steps, wire);
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    List<RtmpMessage> got = Chunks.decode(decoder, wire.toByteArray(), slices);
    assertEquals(sent, got);
    assertEquals(0, decoder.bufferedBytes(), "nothing left buffered");
    assertEquals(true, decoder.isAtChunkBoundary());
  }

  @Property(tries = 200)
  void gatheringEncode_writesTheSameBytesAsEncode(@ForAll("steps") List<Step> steps) {
    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    ByteArrayOutputStream gathered = new ByteArrayOutputStream();
    play(steps, copied, COPY);
    play(steps, gathered, GATHER);
    assertEquals(Chunks.hex(copied.toByteArray()), Chunks.hex(gathered.toByteArray()));
  }

  @Property(tries = 200)
  void payloadSourceEncode_writesTheSameBytesAsEncode(@ForAll("steps") List<Step> steps) {
    ByteArrayOutputStream copied = new ByteArrayOutputStream();
    ByteArrayOutputStream sourced = new ByteArrayOutputStream();
    play(steps, copied, COPY);
    play(steps, sourced, SOURCE);
    assertEquals(Chunks.hex(copied.toByteArray()), Chunks.hex(sourced.toByteArray()));
  }

  @Property(tries = 1000)
  void decoder_onMutatedChunkStreams_endsOrFailsWithRtmpException(
      @ForAll("mutated") byte[] data, @ForAll("slices") List<Integer> slices) {
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    Rejects.decodesOrRejects(() -> Chunks.decode(decoder, data, slices));
    assertBuffersFollowTheInput(decoder, data);
  }

  /**
   * Buffers grow only as bytes arrive: at most 256 bytes per chunk stream (each needs a 12-byte type
   * 0 header) or twice the bytes received, whatever lengths the headers claim.
   */
  private static void assertBuffersFollowTheInput(ChunkDecoder decoder, byte[] data) {
    long bound = 24L * data.length + 256;
    assertTrue(decoder.bufferedBytes() <= bound,
        "buffered " + decoder.bufferedBytes() + " bytes after " + data.length + " input bytes");
  }

  @Property(tries = 500)
  void decoder_onRandomBytes_endsOrFailsWithRtmpException(@ForAll("randomBytes") byte[] data) {
    ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
    Rejects.decodesOrRejects(
        () -> Chunks.decode(decoder, data, java.util.Collections.<Integer>emptyList()));
    assertBuffersFollowTheInput(decoder, data);
  }

  @Provide
  Arbitrary<byte[]> randomBytes() {
    return Fuzz.bytes(400);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    List<byte[]> seeds = new ArrayList<>();
    List<Step> a = new ArrayList<>();
    a.add(new Step(3, 20, 0, 1, 1000, 40));
    a.add(new Step(0, -1, 0, 0, 0, 16));
    a.add(new Step(4, 9, 1, 1, 0xFFFFFF, 50));
    a.add(new Step(4, 9, 1, 0, 40, -1));
    a.add(new Step(4, 9, 1, 2, 0, -1));
    a.add(new Step(400, 8, 1, 1, 0xFFFFFFF0L, 3));
    a.add(new Step(400, 8, 1, 0, 0x1000000, 7));
    a.add(new Step(100, 18, 1, 1, 5, 0));
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    play(a, wire);
    seeds.add(wire.toByteArray());
    ByteArrayOutputStream abort = new ByteArrayOutputStream();
    abort.write(Chunks.hex("02 000000 000004 02 00000000 00000003"), 0, 16);
    seeds.add(Fuzz.concat(Chunks.hex("03 000000 00000a 09 01000000 00010203"), abort.toByteArray()));
    return Fuzz.mutationsOf(seeds);
  }

  @Provide
  Arbitrary<List<Integer>> slices() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 200),
            Arbitraries.integers().between(1, 100_000))
        .list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> csids = Arbitraries.oneOf(
        Arbitraries.of(2, 3, 63, 64, 319, 320, 65599),
        Arbitraries.integers().between(2, 63),
        Arbitraries.integers().between(64, 319),
        Arbitraries.integers().between(320, 65599));
    Arbitrary<List<Integer>> pools = csids.list().ofMinSize(1).ofMaxSize(4);
    return pools.flatMap(pool -> step(pool).list().ofMinSize(1).ofMaxSize(25));
  }

  private Arbitrary<Step> step(List<Integer> pool) {
    Arbitrary<Long> deltas = Arbitraries.oneOf(
        Arbitraries.of(0L, 20L, 23L, 33L, 0xFFFFFEL, 0xFFFFFFL, 0x1000000L, 0xFFFFFFFFL),
        Arbitraries.longs().between(0, 0xFFFFFFFFL));
    Arbitrary<Long> absolutes = Arbitraries.oneOf(
        Arbitraries.of(0L, 1000L, 0xFFFFFEL, 0xFFFFFFL, 0x1000000L, 0xFFFFFFF0L, 0xFFFFFFFFL),
        Arbitraries.longs().between(0, 0xFFFFFFFFL));
    Arbitrary<Integer> modes = Arbitraries.of(0, 0, 1, 2, 2, 2);
    Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(-1)),
        net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 300)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 5000)));
    Arbitrary<Step> message = Combinators.combine(
            Arbitraries.of(pool), Arbitraries.of(SAME, SAME, SAME, SAME, 8, 9, 18, 20, 3, 4, 255, 0),
            Arbitraries.of(SAME, SAME, SAME, SAME, 0, 1, 2, -1), modes, deltas, absolutes, lengths)
        .as((csid, type, stream, mode, delta, absolute, length) ->
            new Step(csid, type, stream, mode, mode == 1 ? absolute : delta, length));
    Arbitrary<Step> chunkSize = Arbitraries.oneOf(
            Arbitraries.of(1, 2, 7, 128, 4096, 65536, ChunkEncoder.MAX_CHUNK_SIZE),
            Arbitraries.integers().between(1, 1000))
        .map(size -> new Step(2, -1, 0, 0, 0, size));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, message), net.jqwik.api.Tuple.of(1, chunkSize));
  }
}
