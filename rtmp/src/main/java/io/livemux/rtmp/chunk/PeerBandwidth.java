package io.livemux.rtmp.chunk;

/**
 * The content of a Set Peer Bandwidth message (RTMP 5.4.5): an output window in bytes and how the
 * peer should apply it. Immutable; any thread.
 */
public final class PeerBandwidth {
  /** The peer should limit its output bandwidth to the window size. */
  public static final int LIMIT_HARD = 0;
  /** The peer should use the smaller of this window and the one already in force. */
  public static final int LIMIT_SOFT = 1;
  /** Hard if the previous limit was hard, otherwise ignored. */
  public static final int LIMIT_DYNAMIC = 2;

  private final long windowSize;
  private final int limitType;

  private PeerBandwidth(long windowSize, int limitType) {
    this.windowSize = windowSize;
    this.limitType = limitType;
  }

  /** {@code windowSize} 0..0xFFFFFFFF, {@code limitType} 0..2. */
  public static PeerBandwidth of(long windowSize, int limitType) {
    ProtocolControl.checkUint32(windowSize, "windowSize");
    if (limitType < LIMIT_HARD || limitType > LIMIT_DYNAMIC) {
      throw new IllegalArgumentException("limitType out of range 0..2: " + limitType);
    }
    return new PeerBandwidth(windowSize, limitType);
  }

  public long windowSize() {
    return windowSize;
  }

  public int limitType() {
    return limitType;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerBandwidth && ((PeerBandwidth) o).windowSize == windowSize
        && ((PeerBandwidth) o).limitType == limitType;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(windowSize) * 31 + limitType;
  }

  @Override
  public String toString() {
    return "PeerBandwidth{windowSize=" + windowSize + ", limitType=" + limitType + "}";
  }
}
