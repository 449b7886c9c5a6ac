package io.livemux.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.Rejects;
import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The simple handshake (RTMP 5.2): exact C0/C1/C2 bytes, client against server, any slicing. */
class HandshakeTest {
  private static byte[] random(int seed) {
    byte[] r = new byte[HandshakePacket.RANDOM_LENGTH];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) (seed + i * 7);
    }
    return r;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void client_sendsVersion3AndC1WithZeroVersionField() {
    // RTMP 5.2.2 C0: version 3; 5.2.3 C1: time, 4 zero bytes, 1528 random bytes.
    byte[] c0c1 = bytes(Handshake.client(0x01020304L, random(1), () -> 0).start());
    assertEquals(1 + 1536, c0c1.length);
    assertArrayEquals(new byte[] {3, 1, 2, 3, 4, 0, 0, 0, 0}, Arrays.copyOf(c0c1, 9));
    assertArrayEquals(random(1), Arrays.copyOfRange(c0c1, 9, c0c1.length));
  }

  @Test
  void client_answersS1WithC2EchoingIt_andLeavesFollowingBytesUnread() throws Exception {
    Handshake client = Handshake.client(0, random(1), () -> 0x0A0B0C0DL);
    client.start();
    // An nginx-rtmp style S1: version field 0x0D0E0A0D (digest style, not validated).
    HandshakePacket s1 = HandshakePacket.of(0x11223344L, 0x0D0E0A0DL, random(2));
    ByteBuffer in = ByteBuffer.allocate(1 + 1536 + 1536 + 3);
    in.put((byte) 3).put(s1.bytes()).put(client.ourPacket().bytes()).put(new byte[] {9, 9, 9});
    in.flip();
    byte[] c2 = bytes(client.receive(in));
    // RTMP 5.2.4 C2: the S1 time, time2 (when we read S1), the S1 random bytes.
    assertArrayEquals(new byte[] {0x11, 0x22, 0x33, 0x44, 0x0A, 0x0B, 0x0C, 0x0D}, Arrays.copyOf(c2, 8));
    assertArrayEquals(random(2), Arrays.copyOfRange(c2, 8, c2.length));
    assertTrue(client.isDone());
    assertTrue(client.peerPacket().isDigestStyle());
    assertTrue(client.peerEcho().echoes(client.ourPacket()));
    assertEquals(3, in.remaining(), "the first chunk bytes are left for the chunk decoder");
  }

  @Test
  void wrongVersion_isRejectedNamingIt() throws Exception {
    Handshake server = Handshake.server(0, random(1), () -> 0);
    server.start();
    RtmpException e = assertThrows(RtmpException.class, () -> server.receive(ByteBuffer.wrap(new byte[] {6})));
    assertEquals("RTMP handshake: C0 version 6 is not 3", e.getMessage());
    assertThrows(RtmpException.class, () -> server.receive(ByteBuffer.wrap(new byte[] {3})));
  }

  @Property(tries = 100)
  void clientAndServer_complete_whateverTheSlicing(@ForAll("slices") List<Integer> slices)
      throws Exception {
    Handshake client = Handshake.client(1000, random(3), () -> 1001);
    Handshake server = Handshake.server(5000, random(4), () -> 5001);
    assertEquals(0, server.start().remaining());
    byte[] s0s1s2 = feed(server, bytes(client.start()), slices);
    assertEquals(1 + 2 * 1536, s0s1s2.length);
    assertFalse(server.isDone());
    byte[] c2 = feed(client, s0s1s2, slices);
    assertTrue(client.isDone());
    assertEquals(0, feed(server, c2, slices).length);
    assertTrue(server.isDone());
    assertTrue(server.peerEcho().echoes(server.ourPacket()), "C2 echoes S1");
    assertTrue(client.peerEcho().echoes(client.ourPacket()), "S2 echoes C1");
    assertEquals(1000, server.peerPacket().time());
    assertFalse(server.peerPacket().isDigestStyle());
  }

  @Property(tries = 300)
  void server_onRandomBytes_endsOrFailsWithRtmpException(@ForAll("junk") byte[] data) {
    Rejects.decodesOrRejects(() -> {
      Handshake server = Handshake.server(0, random(0), () -> 0);
      server.start();
      return server.receive(ByteBuffer.wrap(data));
    });
  }

  @Property(tries = 300)
  void client_onRandomBytes_endsOrFailsWithRtmpException(@ForAll("junk") byte[] data) {
    Rejects.decodesOrRejects(() -> {
      Handshake client = Handshake.client(0, random(1), () -> 0);
      client.start();
      return client.receive(ByteBuffer.wrap(data));
    });
  }

  /** A real server's S0, S1 and S2 with bytes changed: the client completes or names what is wrong. */
  @Property(tries = 300)
  void client_onAMutatedServerReply_completesOrFailsWithRtmpException(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 2 * 1536) int at,
      @ForAll byte value, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3073) int cut) {
    Rejects.decodesOrRejects(() -> {
      Handshake client = Handshake.client(0, random(1), () -> 0);
      Handshake server = Handshake.server(0, random(2), () -> 0);
      byte[] c0c1 = bytes(client.start());
      server.start();
      byte[] reply = bytes(server.receive(ByteBuffer.wrap(c0c1))); // S0 S1 S2
      reply[at] = value;
      ByteBuffer in = ByteBuffer.wrap(reply, 0, Math.min(cut + 1, reply.length));
      ByteBuffer out = client.receive(in);
      return client.isDone() ? out : ByteBuffer.allocate(0);
    });
  }

  private static byte[] feed(Handshake h, byte[] data, List<Integer> slices) throws RtmpException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int at = 0;
    int i = 0;
    while (at < data.length) {
      int n = slices.isEmpty() ? data.length - at : Math.min(slices.get(i++ % slices.size()), data.length - at);
      ByteBuffer in = ByteBuffer.wrap(data, at, n);
      byte[] reply = bytes(h.receive(in));
      out.write(reply, 0, reply.length);
      at += n - in.remaining();
      if (in.hasRemaining()) {
        break;
      }
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<List<Integer>> slices() {
    return Arbitraries.integers().between(1, 2000).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<byte[]> junk() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(4000),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(4000).map(b -> {
          if (b.length > 0) {
            b[0] = 3;
          }
          return b;
        }));
  }
}
