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

  private final RtmpUrl url;
  private final int connectTimeoutMs;
  private final int handshakeTimeoutMs;
  private final int commandTimeoutMs;
  private final int chunkSize;
  private final int pingIntervalMs;
  private final int writeStallTimeoutMs;
  private final int maxReconnectAttempts;
  private final int reconnectInitialBackoffMs;
  private final int reconnectMaxBackoffMs;
  private final SocketFactory socketFactory;
  private final SSLSocketFactory sslSocketFactory;
  private final String flashVersion;

  private RtmpPublisherOptions(
      RtmpUrl url, int connectTimeoutMs, int handshakeTimeoutMs, int commandTimeoutMs,
      int chunkSize, int pingIntervalMs, int writeStallTimeoutMs, int maxReconnectAttempts,
      int reconnectInitialBackoffMs, int reconnectMaxBackoffMs, SocketFactory socketFactory,
      SSLSocketFactory sslSocketFactory, String flashVersion) {
    this.url = url;
    this.connectTimeoutMs = connectTimeoutMs;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.commandTimeoutMs = commandTimeoutMs;
    this.chunkSize = chunkSize;
    this.pingIntervalMs = pingIntervalMs;
    this.writeStallTimeoutMs = writeStallTimeoutMs;
    this.maxReconnectAttempts = maxReconnectAttempts;
    this.reconnectInitialBackoffMs = reconnectInitialBackoffMs;
    this.reconnectMaxBackoffMs = reconnectMaxBackoffMs;
    this.socketFactory = socketFactory;
    this.sslSocketFactory = sslSocketFactory;
    this.flashVersion = flashVersion;
  }

  /**
   * Options for publishing to {@code url} ({@code rtmp://host[:port]/app[/instance]/key} or {@code
   * rtmps://...}).
   *
   * @throws IllegalArgumentException naming what is wrong with the URL
   */
  public static RtmpPublisherOptions forUrl(String url) {
    return new RtmpPublisherOptions(
        RtmpUrl.parse(url), 5000, 5000, 10_000, 4096, 5000, 10_000, 0, 500, 10_000,
        SocketFactory.getDefault(), null, "FMLE/3.0 (compatible; livemux)");
  }

  private RtmpPublisherOptions copy(
      int connectTimeoutMs, int handshakeTimeoutMs, int commandTimeoutMs, int chunkSize,
      int pingIntervalMs, int writeStallTimeoutMs, int maxReconnectAttempts,
      int reconnectInitialBackoffMs, int reconnectMaxBackoffMs, SocketFactory socketFactory,
      SSLSocketFactory sslSocketFactory) {
    return new RtmpPublisherOptions(
        url, connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory, flashVersion);
  }

  /** TCP connect timeout, 1..600000 ms. */
  public RtmpPublisherOptions withConnectTimeoutMs(int connectTimeoutMs) {
    checkRange("connectTimeoutMs", connectTimeoutMs, 1, 600_000);
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  /** The most the C0/C1/C2 exchange (and the TLS handshake) may take, 1..600000 ms. */
  public RtmpPublisherOptions withHandshakeTimeoutMs(int handshakeTimeoutMs) {
    checkRange("handshakeTimeoutMs", handshakeTimeoutMs, 1, 600_000);
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  /** The most the server may take to answer connect, createStream or publish, 1..600000 ms. */
  public RtmpPublisherOptions withCommandTimeoutMs(int commandTimeoutMs) {
    checkRange("commandTimeoutMs", commandTimeoutMs, 1, 600_000);
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  /** The outgoing chunk size announced with Set Chunk Size (RTMP 5.4.1), 128..{@value #MAX_CHUNK_SIZE}. */
  public RtmpPublisherOptions withChunkSize(int chunkSize) {
    checkRange("chunkSize", chunkSize, 128, MAX_CHUNK_SIZE);
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  /** How often to send a ping request to measure the round-trip time; 0 sends none. 0..3600000 ms. */
  public RtmpPublisherOptions withPingIntervalMs(int pingIntervalMs) {
    checkRange("pingIntervalMs", pingIntervalMs, 0, 3_600_000);
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  /**
   * A write that makes no progress for this long means the server stopped reading: the connection
   * is closed and counts as failed (then reconnected, when enabled). 100..600000 ms.
   */
  public RtmpPublisherOptions withWriteStallTimeoutMs(int writeStallTimeoutMs) {
    checkRange("writeStallTimeoutMs", writeStallTimeoutMs, 100, 600_000);
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
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
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxAttempts, initialBackoffMs, maxBackoffMs, socketFactory,
        sslSocketFactory);
  }

  /** The factory of plain sockets (for {@code rtmp://}). */
  public RtmpPublisherOptions withSocketFactory(SocketFactory socketFactory) {
    if (socketFactory == null) {
      throw new NullPointerException("socketFactory");
    }
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  /** The TLS socket factory for {@code rtmps://} (its trust decides which servers are accepted). */
  public RtmpPublisherOptions withSslSocketFactory(SSLSocketFactory sslSocketFactory) {
    if (sslSocketFactory == null) {
      throw new NullPointerException("sslSocketFactory");
    }
    return copy(connectTimeoutMs, handshakeTimeoutMs, commandTimeoutMs, chunkSize, pingIntervalMs,
        writeStallTimeoutMs, maxReconnectAttempts, reconnectInitialBackoffMs,
        reconnectMaxBackoffMs, socketFactory, sslSocketFactory);
  }

  private static void checkRange(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " out of range " + min + ".." + max + ": " + value);
    }
  }

  public RtmpUrl url() {
    return url;
  }

  public int connectTimeoutMs() {
    return connectTimeoutMs;
  }

  public int handshakeTimeoutMs() {
    return handshakeTimeoutMs;
  }

  public int commandTimeoutMs() {
    return commandTimeoutMs;
  }

  public int chunkSize() {
    return chunkSize;
  }

  public int pingIntervalMs() {
    return pingIntervalMs;
  }

  public int writeStallTimeoutMs() {
    return writeStallTimeoutMs;
  }

  public int maxReconnectAttempts() {
    return maxReconnectAttempts;
  }

  public int reconnectInitialBackoffMs() {
    return reconnectInitialBackoffMs;
  }

  public int reconnectMaxBackoffMs() {
    return reconnectMaxBackoffMs;
  }

  public SocketFactory socketFactory() {
    return socketFactory;
  }

  /** The TLS factory given, or the JDK's default when none was. */
  public SSLSocketFactory sslSocketFactory() {
    return sslSocketFactory != null
        ? sslSocketFactory
        : (SSLSocketFactory) SSLSocketFactory.getDefault();
  }

  String flashVersion() {
    return flashVersion;
  }

  @Override
  public String toString() {
    return "RtmpPublisherOptions{" + url + ", chunkSize=" + chunkSize
        + ", reconnect=" + maxReconnectAttempts + "}";
  }
}
