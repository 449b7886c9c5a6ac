package io.livemux.rtmp.publish;

/**
 * What an {@link RtmpPublisher} has done so far: bytes and frames sent, the recent send bitrate,
 * the round-trip time from pings, reconnections, and the frames it skipped itself (after a
 * reconnection, video waits for the next keyframe). Drops under congestion happen before the
 * publisher, in its pipeline lane, and are counted by reason in that lane's {@code SinkStats}.
 *
 * <p>Immutable; may be passed between threads.
 */
public final class PublishStats {
  private final long bytesSent;
  private final long videoFramesSent;
  private final long audioFramesSent;
  private final long bitrateBps;
  private final long roundTripMs;
  private final int reconnects;
  private final long framesSkippedAwaitingKeyframe;
  private final long framesLostInFailures;
  private final long maxSendBlockedUs;
  private final boolean connected;

  PublishStats(long bytesSent, long videoFramesSent, long audioFramesSent, long bitrateBps,
      long roundTripMs, int reconnects, long framesSkippedAwaitingKeyframe,
      long framesLostInFailures, long maxSendBlockedUs, boolean connected) {
    this.bytesSent = bytesSent;
    this.videoFramesSent = videoFramesSent;
    this.audioFramesSent = audioFramesSent;
    this.bitrateBps = bitrateBps;
    this.roundTripMs = roundTripMs;
    this.reconnects = reconnects;
    this.framesSkippedAwaitingKeyframe = framesSkippedAwaitingKeyframe;
    this.framesLostInFailures = framesLostInFailures;
    this.maxSendBlockedUs = maxSendBlockedUs;
    this.connected = connected;
  }

  /** Bytes written to the connection(s), handshakes and chunk headers included. */
  public long bytesSent() {
    return bytesSent;
  }

  public long videoFramesSent() {
    return videoFramesSent;
  }

  public long audioFramesSent() {
    return audioFramesSent;
  }

  /** Bytes sent over the last whole second, in bits per second; 0 before the first second. */
  public long bitrateBps() {
    return bitrateBps;
  }

  /** The last ping's round-trip time, or -1 before the server answered one. */
  public long roundTripMs() {
    return roundTripMs;
  }

  /** Successful reconnections. */
  public int reconnects() {
    return reconnects;
  }

  /** Video frames not sent after a reconnection, while waiting for the next keyframe. */
  public long framesSkippedAwaitingKeyframe() {
    return framesSkippedAwaitingKeyframe;
  }

  /** Frames whose send failed with the connection (each failure loses the frame being sent). */
  public long framesLostInFailures() {
    return framesLostInFailures;
  }

  /** The longest a single message's write to the socket blocked, in microseconds. */
  public long maxSendBlockedUs() {
    return maxSendBlockedUs;
  }

  /** Whether a connection is up and publishing now. */
  public boolean isConnected() {
    return connected;
  }

  @Override
  public String toString() {
    return "PublishStats{sent " + bytesSent + " B, video " + videoFramesSent + ", audio "
        + audioFramesSent + ", " + bitrateBps + " bit/s, rtt " + roundTripMs + " ms, reconnects "
        + reconnects + ", skipped " + framesSkippedAwaitingKeyframe + ", lost "
        + framesLostInFailures + ", max send block " + maxSendBlockedUs + " us"
        + (connected ? "" : ", disconnected") + "}";
  }
}
