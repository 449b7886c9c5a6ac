package io.livemux.rtmp.chunk;

import io.livemux.rtmp.RtmpException;
import java.nio.ByteBuffer;

/**
 * Builds and parses the protocol control messages of RTMP 5.4 (Set Chunk Size, Abort,
 * Acknowledgement, Window Acknowledgement Size, Set Peer Bandwidth). Built messages go on chunk
 * stream 2 and message stream 0 with timestamp 0 (RTMP 5.4); parsers check the type id and the exact
 * payload length and name any bad value in the {@link RtmpException}. Stateless; any thread.
 */
public final class ProtocolControl {
  /** RTMP 5.4.1. */
  public static final int SET_CHUNK_SIZE = 1;
  /** RTMP 5.4.2. */
  public static final int ABORT = 2;
  /** RTMP 5.4.3. */
  public static final int ACKNOWLEDGEMENT = 3;
  /** RTMP 6.2 / 7.1.7, see {@link UserControl}. */
  public static final int USER_CONTROL = 4;
  /** RTMP 5.4.4. */
  public static final int WINDOW_ACKNOWLEDGEMENT_SIZE = 5;
  /** RTMP 5.4.5. */
  public static final int SET_PEER_BANDWIDTH = 6;

  private ProtocolControl() {}

  /** RTMP 5.4.1: 31 bits, the top bit zero; 1..0x7FFFFFFF. */
  public static RtmpMessage setChunkSize(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize out of range 1..2147483647: " + chunkSize);
    }
    return control(SET_CHUNK_SIZE, chunkSize);
  }

  /** The chunk size of a Set Chunk Size message, 1..0x7FFFFFFF. */
  public static int parseSetChunkSize(RtmpMessage message) throws RtmpException {
    long value = uint32(message, SET_CHUNK_SIZE, "Set Chunk Size");
    // RTMP 5.4.1: "The first bit MUST be zero"; a chunk size of 0 could never carry a byte.
    if (value > 0x7FFFFFFFL || value == 0) {
      throw new RtmpException("RTMP Set Chunk Size: chunk size 0x" + Long.toHexString(value)
          + " out of range 1..0x7FFFFFFF");
    }
    return (int) value;
  }

  /** RTMP 5.4.2: discard the partly received message of {@code chunkStreamId}. */
  public static RtmpMessage abort(int chunkStreamId) {
    return control(ABORT, chunkStreamId);
  }

  /** The chunk stream id an Abort message names (any 32-bit value; not checked against 2..65599). */
  public static int parseAbort(RtmpMessage message) throws RtmpException {
    return (int) uint32(message, ABORT, "Abort");
  }

  /** RTMP 5.4.3: the bytes received so far, 0..0xFFFFFFFF (it wraps). */
  public static RtmpMessage acknowledgement(long sequenceNumber) {
    return control(ACKNOWLEDGEMENT, checkUint32(sequenceNumber, "sequenceNumber"));
  }

  public static long parseAcknowledgement(RtmpMessage message) throws RtmpException {
    return uint32(message, ACKNOWLEDGEMENT, "Acknowledgement");
  }

  /** RTMP 5.4.4: acknowledge after this many bytes, 0..0xFFFFFFFF. */
  public static RtmpMessage windowAcknowledgementSize(long windowSize) {
    return control(WINDOW_ACKNOWLEDGEMENT_SIZE, checkUint32(windowSize, "windowSize"));
  }

  public static long parseWindowAcknowledgementSize(RtmpMessage message) throws RtmpException {
    return uint32(message, WINDOW_ACKNOWLEDGEMENT_SIZE, "Window Acknowledgement Size");
  }

  /** RTMP 5.4.5: window size then limit type ({@link PeerBandwidth#LIMIT_HARD} etc.). */
  public static RtmpMessage setPeerBandwidth(PeerBandwidth bandwidth) {
    ByteBuffer payload = ByteBuffer.allocate(5);
    payload.putInt((int) bandwidth.windowSize());
    payload.put((byte) bandwidth.limitType());
    return RtmpMessage.of(
        RtmpMessage.CONTROL_CHUNK_STREAM_ID, SET_PEER_BANDWIDTH, 0, 0, payload.array());
  }

  public static PeerBandwidth parseSetPeerBandwidth(RtmpMessage message) throws RtmpException {
    checkShape(message, SET_PEER_BANDWIDTH, "Set Peer Bandwidth", 5);
    ByteBuffer p = message.payload();
    long windowSize = p.getInt(0) & 0xFFFFFFFFL;
    int limitType = p.get(4) & 0xFF;
    if (limitType > PeerBandwidth.LIMIT_DYNAMIC) {
      throw new RtmpException("RTMP Set Peer Bandwidth: limit type " + limitType
          + " is not 0 (hard), 1 (soft) or 2 (dynamic)");
    }
    return PeerBandwidth.of(windowSize, limitType);
  }

  static long checkUint32(long value, String name) {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new IllegalArgumentException(name + " out of range 0..0xFFFFFFFF: " + value);
    }
    return value;
  }

  static void checkShape(RtmpMessage message, int typeId, String name, int length)
      throws RtmpException {
    if (message.typeId() != typeId) {
      throw new RtmpException(
          "RTMP " + name + ": message type " + message.typeId() + " is not " + typeId);
    }
    if (message.length() != length) {
      throw new RtmpException("RTMP " + name + ": payload of " + message.length()
          + " bytes, expected " + length);
    }
  }

  private static long uint32(RtmpMessage message, int typeId, String name) throws RtmpException {
    checkShape(message, typeId, name, 4);
    return message.payload().getInt(0) & 0xFFFFFFFFL;
  }

  private static RtmpMessage control(int typeId, long value) {
    byte[] payload = {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
    return RtmpMessage.of(RtmpMessage.CONTROL_CHUNK_STREAM_ID, typeId, 0, 0, payload);
  }
}
