package io.livemux.rtmp.handshake;

import io.livemux.rtmp.RtmpException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * One side of the simple RTMP handshake (RTMP 5.2.1 - 5.2.5): a state machine that says what to send
 * and takes the peer's bytes in slices of any size. Use {@link #client} or {@link #server}.
 *
 * <ul>
 *   <li>Client: send {@link #start()} (C0 + C1); feed S0, S1, S2 to {@link #receive}, which returns
 *       C2 to send as soon as S1 is complete.
 *   <li>Server: {@link #start()} returns nothing; feed C0 + C1 to {@link #receive}, which returns
 *       S0 + S1 + S2 (S2 echoing C1); then feed C2.
 * </ul>
 *
 * <p>C0/S0 must be version 3, anything else is an {@link RtmpException} naming the value. Our C1/S1
 * has a zero version field (the simple handshake nginx-rtmp accepts, as from ffmpeg's
 * non-digest mode). The peer's S1/C1 is accepted in either style and the echo in S2/C2 is not
 * enforced (digest servers do not echo C1 byte for byte); {@link #peerPacket()} and {@link
 * #peerEcho()} expose them. Bytes after the handshake stay in the input buffer, unread: they are the
 * first chunks. Timeouts are the caller's: the handshake never blocks.
 *
 * <p>Returned buffers are new and owned by the caller. Not thread-safe: one per connection.
 */
public final class Handshake {
  /** C0/S0: RTMP version 3 (RTMP 5.2.2). */
  public static final int VERSION = 3;

  private enum State {
    START,
    /** C0 or S0: one byte. */
    VERSION,
    /** C1 or S1. */
    PEER_PACKET,
    /** C2 or S2. */
    PEER_ECHO,
    DONE,
    FAILED
  }

  private final boolean client;
  private final HandshakePacket ours;
  private final byte[] scratch = new byte[HandshakePacket.LENGTH];
  private final LongSupplier clock;
  private State state = State.START;
  private int have;
  private HandshakePacket peerPacket;
  private HandshakePacket peerEcho;
  private String failure;

  private Handshake(boolean client, long epochMs, byte[] random, LongSupplier clock) {
    this.client = client;
    this.ours = HandshakePacket.of(epochMs & 0xFFFFFFFFL, 0, random.clone());
    this.clock = clock;
  }

  /**
   * A client. {@code epochMs}: our C1 time; {@code random}: 1528 bytes for C1 (a SecureRandom's, or
   * fixed in tests); {@code clock}: milliseconds for the time2 field of C2.
   */
  public static Handshake client(long epochMs, byte[] random, LongSupplier clock) {
    return new Handshake(true, epochMs, checkRandom(random), clock);
  }

  /** A server; {@code random}: 1528 bytes for S1. */
  public static Handshake server(long epochMs, byte[] random, LongSupplier clock) {
    return new Handshake(false, epochMs, checkRandom(random), clock);
  }

  private static byte[] checkRandom(byte[] random) {
    if (random.length != HandshakePacket.RANDOM_LENGTH) {
      throw new IllegalArgumentException("random must be 1528 bytes: " + random.length);
    }
    return random;
  }

  /** The bytes to send first: C0 + C1 for a client, nothing for a server. Call once. */
  public ByteBuffer start() {
    if (state != State.START) {
      throw new IllegalStateException("start() already called");
    }
    state = State.VERSION;
    if (!client) {
      return ByteBuffer.allocate(0);
    }
    ByteBuffer out = ByteBuffer.allocate(1 + HandshakePacket.LENGTH);
    out.put((byte) VERSION).put(ours.bytes());
    ((Buffer) out).flip();
    return out;
  }

  /**
   * Consumes handshake bytes from {@code in} (never more than the handshake needs) and returns the
   * bytes to send now, possibly none.
   */
  public ByteBuffer receive(ByteBuffer in) throws RtmpException {
    if (state == State.FAILED) {
      throw new RtmpException(failure);
    }
    if (state == State.START) {
      throw new IllegalStateException("call start() first");
    }
    ByteBuffer out = ByteBuffer.allocate(0);
    while (in.hasRemaining() && state != State.DONE) {
      switch (state) {
        case VERSION:
          int version = in.get() & 0xFF;
          if (version != VERSION) {
            state = State.FAILED;
            failure = "RTMP handshake: " + (client ? "S0" : "C0") + " version " + version + " is not 3";
            throw new RtmpException(failure);
          }
          state = State.PEER_PACKET;
          break;
        case PEER_PACKET:
          if (fill(in)) {
            peerPacket = HandshakePacket.parse(ByteBuffer.wrap(scratch));
            out = reply();
            state = State.PEER_ECHO;
          }
          break;
        case PEER_ECHO:
          if (fill(in)) {
            peerEcho = HandshakePacket.parse(ByteBuffer.wrap(scratch));
            state = State.DONE;
          }
          break;
        default:
          throw new IllegalStateException(state.name());
      }
    }
    return out;
  }

  /** RTMP 5.2.4: C2/S2 echoes the peer's time and random bytes, time2 is when we read it. */
  private ByteBuffer reply() {
    ByteBuffer echo = ByteBuffer.allocate(HandshakePacket.LENGTH);
    echo.putInt((int) peerPacket.time()).putInt((int) clock.getAsLong()).put(peerPacket.random());
    ((Buffer) echo).flip();
    if (client) {
      return echo;
    }
    ByteBuffer out = ByteBuffer.allocate(1 + 2 * HandshakePacket.LENGTH);
    out.put((byte) VERSION).put(ours.bytes()).put(echo);
    ((Buffer) out).flip();
    return out;
  }

  private boolean fill(ByteBuffer in) {
    int n = Math.min(HandshakePacket.LENGTH - have, in.remaining());
    in.get(scratch, have, n);
    have += n;
    if (have < HandshakePacket.LENGTH) {
      return false;
    }
    have = 0;
    return true;
  }

  /** True once the peer's C2/S2 has been read: chunks may flow. */
  public boolean isDone() {
    return state == State.DONE;
  }

  /** Our C1/S1. */
  public HandshakePacket ourPacket() {
    return ours;
  }

  /** The peer's C1/S1 once read, else null. */
  public HandshakePacket peerPacket() {
    return peerPacket;
  }

  /** The peer's C2/S2 once read, else null; {@code peerEcho().echoes(ourPacket())} checks it. */
  public HandshakePacket peerEcho() {
    return peerEcho;
  }
}
