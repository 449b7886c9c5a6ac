package io.livemux.rtmp.handshake;

import java.nio.ByteBuffer;

/**
 * One 1536-byte C1, S1, C2 or S2 packet (RTMP 5.2.3, 5.2.4), parsed without validation: its first
 * 4-byte time, its second 4-byte field and its 1528 random bytes.
 *
 * <p>In C1/S1 the second field is zero in the simple handshake of the spec; in the digest-style
 * handshake of Flash, ffmpeg and nginx-rtmp it carries a version (nginx-rtmp: 0x0D0E0A0D) and a
 * HMAC-SHA256 digest sits somewhere in the random bytes; {@link #isDigestStyle()} tells which, and
 * nothing here checks the digest. In C2/S2 the second field is "time2", when the peer read our
 * packet.
 *
 * <p>Immutable (it copies the bytes); any thread.
 */
public final class HandshakePacket {
  /** C1, S1, C2 and S2 are 1536 bytes (RTMP 5.2.3). */
  public static final int LENGTH = 1536;
  /** 1536 minus the two 4-byte fields. */
  public static final int RANDOM_LENGTH = 1528;

  private final byte[] bytes;

  private HandshakePacket(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies the next {@value #LENGTH} bytes of {@code packet} (its position is not changed). */
  public static HandshakePacket parse(ByteBuffer packet) {
    if (packet.remaining() < LENGTH) {
      throw new IllegalArgumentException("handshake packet needs 1536 bytes, has " + packet.remaining());
    }
    byte[] copy = new byte[LENGTH];
    packet.duplicate().get(copy);
    return new HandshakePacket(copy);
  }

  /** A packet with the given fields; {@code random} must be {@value #RANDOM_LENGTH} bytes. */
  public static HandshakePacket of(long time, long secondField, byte[] random) {
    if (random.length != RANDOM_LENGTH) {
      throw new IllegalArgumentException("random must be 1528 bytes: " + random.length);
    }
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putInt((int) time).putInt((int) secondField).put(random);
    return new HandshakePacket(b.array());
  }

  /** Unsigned 32-bit: the sender's epoch in C1/S1; the peer's C1/S1 time echoed in C2/S2. */
  public long time() {
    return ByteBuffer.wrap(bytes).getInt(0) & 0xFFFFFFFFL;
  }

  /** Unsigned 32-bit: zero or a version in C1/S1, time2 in C2/S2. */
  public long secondField() {
    return ByteBuffer.wrap(bytes).getInt(4) & 0xFFFFFFFFL;
  }

  /** A C1/S1 whose version field is not zero: the peer speaks the digest handshake. */
  public boolean isDigestStyle() {
    return secondField() != 0;
  }

  /** A read-only view of the 1528 random bytes. */
  public ByteBuffer random() {
    return ByteBuffer.wrap(bytes, 8, RANDOM_LENGTH).slice().asReadOnlyBuffer();
  }

  /** True if this C2/S2 echoes {@code sent}'s time and random bytes (RTMP 5.2.4). */
  public boolean echoes(HandshakePacket sent) {
    return time() == sent.time() && random().equals(sent.random());
  }

  /** A read-only view of all 1536 bytes. */
  public ByteBuffer bytes() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  @Override
  public String toString() {
    return "HandshakePacket{time=" + time() + ", secondField=0x" + Long.toHexString(secondField()) + "}";
  }
}
