package io.livemux.rtmp.publish;

import io.livemux.benchmarks.BenchmarkMedia;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.sample.Sample;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the publisher does per sample before the socket: the FLV packet header written in place
 * and the sample chunked (4096-byte chunks, RTMP headers between) into the send buffer — the
 * publisher's own {@link MediaPacketizer} and {@link ChunkEncoder}, on the real H.264 + AAC clip of
 * {@link BenchmarkMedia} (1539 samples, 7.9 MB). {@code copyOnly} is the floor: the same payloads
 * copied into the same buffer with nothing else.
 *
 * <p>One operation is one sample (one RTMP message): {@code -prof gc}'s {@code gc.alloc.rate.norm}
 * is bytes allocated per message, and the {@code payloadBytes} counter is payload bytes per second.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RtmpPacketizeBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xmx1g"})
public class RtmpPacketizeBenchmark {
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Payload {
    public long payloadBytes;

    @Setup(Level.Iteration)
    public void reset() {
      payloadBytes = 0;
    }
  }

  private Sample[] samples;
  private int next;
  private final MediaPacketizer packetizer = new MediaPacketizer();
  private final ChunkEncoder encoder = new ChunkEncoder();
  private final ByteBuffer out = ByteBuffer.allocate(4 << 20);

  @Setup(Level.Trial)
  public void load() throws Exception {
    samples = BenchmarkMedia.load(20).orderSample;
    encoder.setChunkSize(4096);
  }

  @Benchmark
  public int packetizeAndChunk(Payload payload) throws Exception {
    Sample s = samples[next];
    next = next + 1 == samples.length ? 0 : next + 1;
    boolean video = s.format() instanceof io.livemux.format.VideoFormat;
    int length = packetizer.prepare(s, s.format());
    int csid = video ? RtmpConnection.CSID_VIDEO : RtmpConnection.CSID_AUDIO;
    int type = video ? RtmpConnection.TYPE_VIDEO : RtmpConnection.TYPE_AUDIO;
    long timestamp = MediaPacketizer.messageTimestampMs(s, 1000);
    if (out.remaining() < encoder.encodedLength(csid, type, 1, timestamp, length)) {
      ((Buffer) out).clear();
    }
    encoder.encode(csid, type, 1, timestamp, length, packetizer, out);
    payload.payloadBytes += s.size();
    return out.position();
  }

  @Benchmark
  public int copyOnly(Payload payload) {
    Sample s = samples[next];
    next = next + 1 == samples.length ? 0 : next + 1;
    if (out.remaining() < s.size()) {
      ((Buffer) out).clear();
    }
    s.copyPayloadTo(out);
    payload.payloadBytes += s.size();
    return out.position();
  }
}
