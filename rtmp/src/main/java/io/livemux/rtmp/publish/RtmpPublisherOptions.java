package io.livemux.rtmp.publish;

import io.livemux.rtmp.command.RtmpUrl;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * How an {@link RtmpPublisher} connects and behaves on failure. Immutable and validated: each
 * {@code with...} returns a copy and refuses a bad value with a message naming it.
 *
 * <p>Defaults: connect timeout 5 s, handshake timeout 5 s, command timeout 10 s, outgoing chunk
 * size 4096, a ping every 5 s for the round-trip time, a write stall of 10 s counted as a dead
 * connection, no automatic reconnection (when enabled: up to 10 attempts, backoff from 500 ms
 * doubling to 10 s). Plain TCP for {@code rtmp://}, the JDK's default TLS for {@code rtmps://}.
 *
 * <p>Immutable; may be passed between threads.
 */
public final class RtmpPublisherOptions {
  /** The most a chunk may hold (RTMP 5.4.1 allows more; servers such as nginx-rtmp take this). */
  public static final int MAX_CHUNK_SIZE = 1 << 16;

  /** The values; each {@code with...} edits a clone, so an instance's values never change. */
  private static final class Values implements Cloneable {
    RtmpUrl url;
    int connectTimeoutMs = 5000;
    int handshakeTimeoutMs = 5000;
    int commandTimeoutMs = 10_000;
    int chunkSize = 4096;
    int pingIntervalMs = 5000;
    int writeStallTimeoutMs = 10_000;
    int maxReconnectAttempts;
    int reconnectInitialBackoffMs = 500;
    int reconnectMaxBackoffMs = 10_000;
    SocketFactory socketFactory = SocketFactory.getDefault();
    SSLSocketFactory sslSocketFactory;
    String flashVersion = "FMLE/3.0 (compatible; livemux)";

    @Override
    protected Values clone() {
      try {
        return (Values) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private final Values values;

  private RtmpPublisherOptions(Values v) {
    this.values = v;
  }

  /**
   * Options for publishing to {@code url} ({@code rtmp://host[:port]/app[/instance]/key} or {@code
   * rtmps://...}).
   *
   * @throws IllegalArgumentException naming what is wrong with the URL
   */
  public static RtmpPublisherOptions forUrl(String url) {
    Values v = new Values();
    v.url = RtmpUrl.parse(url);
    return new RtmpPublisherOptions(v);
  }

  /** A copy of the values, for one {@code with...} to change. */
  private Values edit() {
    return values.clone();
  }

  /** TCP connect timeout, 1..600000 ms. */
  public RtmpPublisherOptions withConnectTimeoutMs(int connectTimeoutMs) {
    checkRange("connectTimeoutMs", connectTimeoutMs, 1, 600_000);
    Values v = edit();
    v.connectTimeoutMs = connectTimeoutMs;
    return new RtmpPublisherOptions(v);
  }

  /** The most the C0/C1/C2 exchange (and the TLS handshake) may take, 1..600000 ms. */
  public RtmpPublisherOptions withHandshakeTimeoutMs(int handshakeTimeoutMs) {
    checkRange("handshakeTimeoutMs", handshakeTimeoutMs, 1, 600_000);
    Values v = edit();
    v.handshakeTimeoutMs = handshakeTimeoutMs;
    return new RtmpPublisherOptions(v);
  }

  /** The most the server may take to answer connect, createStream or publish, 1..600000 ms. */
  public RtmpPublisherOptions withCommandTimeoutMs(int commandTimeoutMs) {
    checkRange("commandTimeoutMs", commandTimeoutMs, 1, 600_000);
    Values v = edit();
    v.commandTimeoutMs = commandTimeoutMs;
    return new RtmpPublisherOptions(v);
  }

  /** The outgoing chunk size announced with Set Chunk Size (RTMP 5.4.1), 128..{@value #MAX_CHUNK_SIZE}. */
  public RtmpPublisherOptions withChunkSize(int chunkSize) {
    checkRange("chunkSize", chunkSize, 128, MAX_CHUNK_SIZE);
    Values v = edit();
    v.chunkSize = chunkSize;
    return new RtmpPublisherOptions(v);
  }

  /** How often to send a ping request to measure the round-trip time; 0 sends none. 0..3600000 ms. */
  public RtmpPublisherOptions withPingIntervalMs(int pingIntervalMs) {
    checkRange("pingIntervalMs", pingIntervalMs, 0, 3_600_000);
    Values v = edit();
    v.pingIntervalMs = pingIntervalMs;
    return new RtmpPublisherOptions(v);
  }

  /**
   * A write that makes no progress for this long means the server stopped reading: the connection
   * is closed and counts as failed (then reconnected, when enabled). 100..600000 ms.
   */
  public RtmpPublisherOptions withWriteStallTimeoutMs(int writeStallTimeoutMs) {
    checkRange("writeStallTimeoutMs", writeStallTimeoutMs, 100, 600_000);
    Values v = edit();
    v.writeStallTimeoutMs = writeStallTimeoutMs;
    return new RtmpPublisherOptions(v);
  }

  /**
   * Reconnects after a failure, up to {@code maxAttempts} times in a row (0 turns it off), waiting
   * {@code initialBackoffMs} before the first attempt and doubling up to {@code maxBackoffMs}. The
   * stream resumes at the next video keyframe, after the sequence headers are sent again.
   */
  public RtmpPublisherOptions withReconnect(int maxAttempts, int initialBackoffMs, int maxBackoffMs) {
    checkRange("maxAttempts", maxAttempts, 0, 1_000_000);
    checkRange("initialBackoffMs", initialBackoffMs, 1, 600_000);
    checkRange("maxBackoffMs", maxBackoffMs, initialBackoffMs, 600_000);
    Values v = edit();
    v.maxReconnectAttempts = maxAttempts;
    v.reconnectInitialBackoffMs = initialBackoffMs;
    v.reconnectMaxBackoffMs = maxBackoffMs;
    return new RtmpPublisherOptions(v);
  }

  /** The factory of plain sockets (for {@code rtmp://}). */
  public RtmpPublisherOptions withSocketFactory(SocketFactory socketFactory) {
    if (socketFactory == null) {
      throw new NullPointerException("socketFactory");
    }
    Values v = edit();
    v.socketFactory = socketFactory;
    return new RtmpPublisherOptions(v);
  }

  /** The TLS socket factory for {@code rtmps://} (its trust decides which servers are accepted). */
  public RtmpPublisherOptions withSslSocketFactory(SSLSocketFactory sslSocketFactory) {
    if (sslSocketFactory == null) {
      throw new NullPointerException("sslSocketFactory");
    }
    Values v = edit();
    v.sslSocketFactory = sslSocketFactory;
    return new RtmpPublisherOptions(v);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " out of range " + min + ".." + max + ": " + value);
    }
  }

  public RtmpUrl url() {
    return values.url;
  }

  public int connectTimeoutMs() {
    return values.connectTimeoutMs;
  }

  public int handshakeTimeoutMs() {
    return values.handshakeTimeoutMs;
  }

  public int commandTimeoutMs() {
    return values.commandTimeoutMs;
  }

  public int chunkSize() {
    return values.chunkSize;
  }

  public int pingIntervalMs() {
    return values.pingIntervalMs;
  }

  public int writeStallTimeoutMs() {
    return values.writeStallTimeoutMs;
  }

  public int maxReconnectAttempts() {
    return values.maxReconnectAttempts;
  }

  public int reconnectInitialBackoffMs() {
    return values.reconnectInitialBackoffMs;
  }

  public int reconnectMaxBackoffMs() {
    return values.reconnectMaxBackoffMs;
  }

  public SocketFactory socketFactory() {
    return values.socketFactory;
  }

  /** The TLS factory given, or the JDK's default when none was. */
  public SSLSocketFactory sslSocketFactory() {
    return values.sslSocketFactory != null
        ? values.sslSocketFactory
        : (SSLSocketFactory) SSLSocketFactory.getDefault();
  }

  String flashVersion() {
    return values.flashVersion;
  }

  @Override
  public String toString() {
    return "RtmpPublisherOptions{" + values.url + ", chunkSize=" + values.chunkSize
        + ", reconnect=" + values.maxReconnectAttempts + "}";
  }
}
