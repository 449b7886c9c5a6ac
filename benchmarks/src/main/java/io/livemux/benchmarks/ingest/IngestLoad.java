package io.livemux.benchmarks.ingest;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Limits;
import io.livemux.rtmp.chunk.ChunkDecoder;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.ChunkLimits;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.command.RtmpCommand;
import io.livemux.rtmp.command.RtmpUrl;
import io.livemux.rtmp.flv.FlvLimits;
import io.livemux.rtmp.flv.FlvTag;
import io.livemux.rtmp.flv.FlvTagDecoder;
import io.livemux.rtmp.handshake.Handshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * A load generator, not a test: replays one FLV file over N RTMP connections at real-time pace
 * (looping it), from one thread with non-blocking sockets so that the generator itself stays cheap.
 * Each connection does the publisher's handshake and commands (connect, createStream, publish),
 * then sends every tag when its timestamp comes due; connection {@code i} starts {@code i * 2000 /
 * N} ms late so keyframes do not all arrive at once.
 *
 * <p>A connection <b>falls behind</b> when data that is due cannot be written because the server
 * does not read it fast enough (TCP backpressure): its lag is how late (ms) the oldest unsent due
 * tag is. The run prints the number of publishers, how many were refused, and the worst and mean
 * lag at the end, plus the bytes sent.
 *
 * <pre>java -cp benchmarks.jar io.livemux.benchmarks.ingest.IngestLoad rtmp://127.0.0.1:1935/live FILE.flv N SECONDS</pre>
 */
public final class IngestLoad {
  private static final int OUT_CHUNK_SIZE = 4096;
  private static final int OUT_BUFFER = 1 << 20;

  /** One FLV tag to send. */
  private static final class Tag {
    final int type;
    final long timestampMs;
    final byte[] body;

    Tag(int type, long timestampMs, byte[] body) {
      this.type = type;
      this.timestampMs = timestampMs;
      this.body = body;
    }
  }

  private static final class Publisher {
    final SocketChannel channel;
    final int streamId;
    final long startMs;
    final ChunkEncoder encoder = new ChunkEncoder();
    final ByteBuffer out = ByteBuffer.allocate(OUT_BUFFER);
    final ByteBuffer discard = ByteBuffer.allocate(1 << 16);
    int next;
    long loopOffsetMs;
    long bytesSent;
    /** The timestamp (media ms) of the tag in {@link #out}. */
    long outTs;
    long pumps;
    long lagMs;
    long maxLagMs;
    boolean dead;

    Publisher(SocketChannel channel, int streamId, long startMs) {
      this.channel = channel;
      this.streamId = streamId;
      this.startMs = startMs;
      out.flip();
    }
  }

  private IngestLoad() {}

  public static void main(String[] args) throws Exception {
    RtmpUrl base = RtmpUrl.parse(args[0] + "/probe");
    List<Tag> tags = readTags(Path.of(args[1]));
    int count = Integer.parseInt(args[2]);
    long seconds = Long.parseLong(args[3]);
    long durationMs = tags.get(tags.size() - 1).timestampMs + 40;

    List<Publisher> publishers = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < count; i++) {
      try {
        publishers.add(open(base, "load" + i, i * 2000L / count));
      } catch (IOException e) {
        refused++;
        if (refused <= 3) {
          System.out.println("publisher " + i + " refused: " + e.getMessage());
        }
      }
    }
    System.out.println("streaming " + publishers.size() + " publishers");
    System.out.flush();
    long t0 = System.nanoTime();
    long endMs = seconds * 1000;
    while (true) {
      long now = (System.nanoTime() - t0) / 1_000_000;
      if (now >= endMs) {
        break;
      }
      for (Publisher p : publishers) {
        pump(p, tags, durationMs, now);
      }
      LockSupport.parkNanos(10_000_000); // pacing: tags come due every 10..40 ms
    }
    long totalBytes = 0;
    long worst = 0;
    long sumLag = 0;
    int behind = 0;
    int dead = 0;
    for (Publisher p : publishers) {
      totalBytes += p.bytesSent;
      worst = Math.max(worst, p.maxLagMs);
      sumLag += p.lagMs;
      if (p.lagMs > 1000) {
        behind++;
      }
      if (p.dead) {
        dead++;
      }
      p.channel.close();
    }
    System.out.printf("result publishers=%d refused=%d dead=%d behind=%d finalLagMeanMs=%d "
            + "worstLagMs=%d sentMbit/s=%.1f perStreamKbit/s=%.0f%n",
        publishers.size(), refused, dead, behind,
        publishers.isEmpty() ? 0 : sumLag / publishers.size(), worst,
        totalBytes * 8 / 1e6 / seconds,
        publishers.isEmpty() ? 0.0 : totalBytes * 8 / 1e3 / seconds / publishers.size());
  }

  private static void pump(Publisher p, List<Tag> tags, long durationMs, long nowMs) {
    if (p.dead || nowMs < p.startMs) {
      return;
    }
    long mediaNow = nowMs - p.startMs;
    try {
      while (true) {
        if (p.out.hasRemaining()) {
          int n = p.channel.write(p.out);
          p.bytesSent += n;
          if (p.out.hasRemaining()) {
            break; // the server is not reading fast enough
          }
        }
        if (p.next >= tags.size()) {
          p.next = 0;
          p.loopOffsetMs += durationMs;
        }
        Tag tag = tags.get(p.next);
        long ts = tag.timestampMs + p.loopOffsetMs;
        if (ts > mediaNow) {
          break;
        }
        if (p.loopOffsetMs > 0 && isSequenceHeader(tag)) {
          p.next++;
          continue; // sequence headers and metadata once, at the start
        }
        p.out.clear();
        int csid = tag.type == FlvTag.AUDIO ? 4 : tag.type == FlvTag.VIDEO ? 6 : 5;
        RtmpMessage m = RtmpMessage.of(csid, tag.type, p.streamId, ts & 0xFFFFFFFFL, tag.body);
        p.encoder.encode(m, p.out);
        p.out.flip();
        p.outTs = ts;
        p.next++;
      }
      // Lag: how late the oldest due, unsent tag is.
      Tag pending = tags.get(p.next >= tags.size() ? 0 : p.next);
      long pendingTs = pending.timestampMs + (p.next >= tags.size() ? p.loopOffsetMs + durationMs : p.loopOffsetMs);
      long oldestDue = p.out.hasRemaining() ? p.outTs : pendingTs;
      p.lagMs = Math.max(0, mediaNow - oldestDue);
      p.maxLagMs = Math.max(p.maxLagMs, p.lagMs);
      if (++p.pumps % 20 == 0) { // the server sends little (acks): read it now and then
        p.discard.clear();
        if (p.channel.read(p.discard) < 0) {
          p.dead = true;
        }
      }
    } catch (IOException e) {
      p.dead = true;
    }
  }

  private static boolean isSequenceHeader(Tag tag) {
    if (tag.type == FlvTag.SCRIPT_DATA) {
      return true;
    }
    if (tag.type == FlvTag.VIDEO) {
      return tag.body.length > 1 && (tag.body[0] & 0x0F) == 7 && tag.body[1] == 0;
    }
    return tag.type == FlvTag.AUDIO && tag.body.length > 1 && tag.body[1] == 0;
  }

  private static List<Tag> readTags(Path file) throws IOException {
    FlvTagDecoder decoder = new FlvTagDecoder(FlvLimits.defaults());
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    List<Tag> tags = new ArrayList<>();
    for (FlvTag t = decoder.decode(in); t != null; t = decoder.decode(in)) {
      ByteBuffer body = t.body();
      byte[] bytes = new byte[body.remaining()];
      body.get(bytes);
      tags.add(new Tag(t.type(), t.timestampMs() & 0xFFFFFFFFL, bytes));
    }
    return tags;
  }

  /** Handshake, connect, createStream, publish; blocking, then the channel becomes non-blocking. */
  private static Publisher open(RtmpUrl base, String key, long startMs) throws IOException {
    SocketChannel channel = SocketChannel.open(new InetSocketAddress(base.host(), base.port()));
    try {
      channel.socket().setTcpNoDelay(true);
      byte[] random = new byte[1528];
      new Random(key.hashCode()).nextBytes(random);
      Handshake handshake = Handshake.client(0, random, () -> 0);
      writeFully(channel, handshake.start());
      ByteBuffer in = ByteBuffer.allocate(1 << 16);
      while (!handshake.isDone()) {
        if (channel.read(in) < 0) {
          throw new IOException("closed during the handshake");
        }
        in.flip();
        writeFully(channel, handshake.receive(in));
        in.compact();
      }
      in.flip();
      ChunkEncoder encoder = new ChunkEncoder();
      ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
      writeFully(channel, encoder.encode(ProtocolControl.setChunkSize(OUT_CHUNK_SIZE)));
      encoder.setChunkSize(OUT_CHUNK_SIZE);
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("app", base.app());
      object.put("type", "nonprivate");
      object.put("tcUrl", base.tcUrl());
      writeFully(channel, encoder.encode(RtmpCommand.of("connect", 1, object).toMessage(3, 0, 0)));
      expect(channel, decoder, in, "_result");
      writeFully(channel, encoder.encode(RtmpCommand.of("createStream", 2, null).toMessage(3, 0, 0)));
      RtmpCommand created = expect(channel, decoder, in, "_result");
      int streamId = (int) (double) (Double) created.argument(0);
      writeFully(channel, encoder.encode(
          RtmpCommand.of("publish", 3, null, key, "live").toMessage(8, streamId, 0)));
      RtmpCommand status = expect(channel, decoder, in, "onStatus");
      if (status.status() == null || status.status().isError()) {
        throw new IOException("publish refused: " + status.status());
      }
      channel.configureBlocking(false);
      Publisher p = new Publisher(channel, streamId, startMs);
      p.encoder.setChunkSize(OUT_CHUNK_SIZE);
      // The publisher's encoder must continue the chunk-stream state of the one used above only
      // for csids it shares; media use csids 4..6, which the setup never used.
      return p;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
  }

  private static RtmpCommand expect(SocketChannel channel, ChunkDecoder decoder, ByteBuffer in,
      String name) throws IOException {
    while (true) {
      RtmpMessage m;
      while ((m = decoder.decode(in)) != null) {
        if (m.typeId() == RtmpCommand.TYPE_AMF0) {
          RtmpCommand c = RtmpCommand.parse(m, Amf0Limits.defaults());
          if (c.name().equals(name)) {
            return c;
          }
          if (c.name().equals("_error")) {
            throw new RtmpException("refused: " + c.status());
          }
        }
      }
      in.clear();
      if (channel.read(in) < 0) {
        throw new IOException("closed while waiting for " + name);
      }
      in.flip();
    }
  }

  private static void writeFully(SocketChannel channel, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }
}
