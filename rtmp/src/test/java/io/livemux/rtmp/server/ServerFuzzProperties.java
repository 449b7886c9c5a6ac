package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.RealParameterSets;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.command.RtmpCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A whole publishing session (handshake, connect, createStream, publish, metadata, sequence
 * headers, frames) with random bytes flipped, inserted or cut off after an honest handshake: the server
 * either records or closes the connection within a bounded time, and stays up for the next client.
 */
class ServerFuzzProperties {
  private static Path dir;
  private static RtmpServer server;
  private static byte[] session;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("livemux-fuzz");
    server = RtmpServer.start(RtmpServerOptions.recordingTo(dir)
        .withBindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .withMaxMessageLength(1 << 20)
        .withMaxConnectionMemoryBytes(4 << 20));
    session = honestSession();
  }

  @AfterContainer
  static void stop() throws Exception {
    server.stop();
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 150)
  void mutatedSession_isRecordedOrClosed_andTheServerStaysUp(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
      @ForAll @IntRange(min = 0, max = 2) int kind,
      @ForAll long seed) throws Exception {
    byte[] mutated = mutate(session, positions, kind, new Random(seed));
    try (RawClient c = new RawClient(server.port())) {
      c.handshake();
      try {
        c.send(mutated);
      } catch (IOException closedEarly) {
        // the server may close before it has read everything
      }
      c.socket.shutdownOutput();
      assertTrue(c.closedWithin(5000), "closed within 5 s of the end of the session");
    }
    try (RawClient probe = new RawClient(server.port())) {
      probe.handshake();
      assertEquals("_result", probe.connect("live").name(), "the server still answers");
    }
  }

  @net.jqwik.api.Example
  void unmutatedSession_isRecorded() throws Exception {
    Recordings recordings = new Recordings();
    RtmpServer own = RtmpServer.start(recordings.options(dir.resolve("honest")));
    try (RawClient c = new RawClient(own.port())) {
      c.handshake();
      c.send(session);
      c.socket.shutdownOutput();
      assertTrue(c.closedWithin(5000));
      Recording r = recordings.next(10);
      assertEquals("fuzz", r.app());
      assertEquals(40, r.result().sink(0).written(), r.toString()); // 20 video + 20 audio frames
    } finally {
      own.stop();
    }
  }

  private static byte[] mutate(byte[] in, List<Integer> positions, int kind, Random random) {
    int span = in.length;
    switch (kind) {
      case 0: {
        byte[] out = in.clone();
        for (int p : positions) {
          out[p % span] ^= (byte) (1 + random.nextInt(255));
        }
        return out;
      }
      case 1: {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = positions.get(0) % span;
        out.write(in, 0, at);
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        out.write(junk, 0, junk.length);
        out.write(in, at, in.length - at);
        return out.toByteArray();
      }
      default:
        return java.util.Arrays.copyOf(in, positions.get(0) % span);
    }
  }

  /** The chunk stream of an honest publish (what follows the handshake). */
  private static byte[] honestSession() {
    ChunkEncoder encoder = new ChunkEncoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, encoder, ProtocolControl.setChunkSize(4096));
    encoder.setChunkSize(4096);
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("app", "fuzz");
    object.put("tcUrl", "rtmp://127.0.0.1/fuzz");
    write(out, encoder, RtmpCommand.of("connect", 1, object).toMessage(3, 0, 0));
    write(out, encoder, RtmpCommand.of("createStream", 2, null).toMessage(3, 0, 0));
    write(out, encoder, RtmpCommand.of("publish", 3, null, "key", "live").toMessage(8, 1, 0));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("videocodecid", 7.0);
    metadata.put("audiocodecid", 10.0);
    write(out, encoder, RtmpCommand.of("@setDataFrame", 0, "onMetaData", metadata).toMessage(5, 1, 0));
    byte[] avcc = RealParameterSets.FFMPEG_AVCC;
    ByteBuffer videoHeader = ByteBuffer.allocate(5 + avcc.length).put(new byte[] {0x17, 0, 0, 0, 0}).put(avcc);
    write(out, encoder, RtmpMessage.of(6, 9, 1, 0, videoHeader.array()));
    write(out, encoder, RtmpMessage.of(4, 8, 1, 0, new byte[] {(byte) 0xAF, 0, 0x11, (byte) 0x90}));
    Random random = new Random(1);
    for (int i = 0; i < 20; i++) {
      byte[] frame = new byte[5 + 4 + 200];
      random.nextBytes(frame);
      frame[0] = (byte) (i % 10 == 0 ? 0x17 : 0x27);
      frame[1] = 1;
      frame[2] = 0;
      frame[3] = 0;
      frame[4] = 0;
      frame[5] = 0;
      frame[6] = 0;
      frame[7] = 0;
      frame[8] = (byte) 200; // one 200-byte NAL unit
      write(out, encoder, RtmpMessage.of(6, 9, 1, i * 40L, frame));
      byte[] aac = new byte[2 + 100];
      random.nextBytes(aac);
      aac[0] = (byte) 0xAF;
      aac[1] = 1;
      write(out, encoder, RtmpMessage.of(4, 8, 1, i * 21L, aac));
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, ChunkEncoder encoder, RtmpMessage message) {
    ByteBuffer b = encoder.encode(message);
    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
  }
}
