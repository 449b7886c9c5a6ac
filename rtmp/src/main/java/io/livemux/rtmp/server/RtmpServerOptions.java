package io.livemux.rtmp.server;

import io.livemux.mp4.Mp4Options;
import io.livemux.pipeline.SampleSink;
import io.livemux.rtmp.publish.RtmpPublisher;
import io.livemux.rtmp.publish.RtmpPublisherOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * How an {@link RtmpServer} listens, what it records and the limits it enforces. Immutable; start
 * from {@link #recordingTo(Path)} and change with the {@code with*} methods, each of which checks
 * its argument and names a bad value.
 *
 * <p>The defaults are safe for an Internet-facing server on a small machine: 2000 connections, 10 s
 * to finish the handshake, 10 s from accept to an accepted {@code publish}, 30 s without media
 * once publishing (30 s without a byte before), chunk sizes up to
 * 16 MiB (above that a peer only means "never split"), messages up to 8 MiB (a keyframe of 64
 * Mbit), 4 streams per connection, 500 live streams, 16 MiB held per connection for unfinished messages and media
 * waiting for its tracks, 1 GiB held by all connections together, and 8 MiB queued per recording
 * before the publisher is slowed down.
 *
 * <p>Thread-safe (immutable).
 */
public final class RtmpServerOptions {
  public static final int DEFAULT_PORT = 1935;
  public static final int DEFAULT_MAX_CONNECTIONS = 2000;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** ffmpeg and OBS get from accept to an accepted publish in well under a second on loopback. */
  public static final Duration DEFAULT_SETUP_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CHUNK_SIZE = 1 << 24;
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 << 20;
  public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 4;
  /** Each live stream costs a thread per sink: 500 is well above what 2 cores record (~300). */
  public static final int DEFAULT_MAX_LIVE_STREAMS = 500;
  public static final int DEFAULT_MAX_CONNECTION_MEMORY_BYTES = 16 << 20;
  public static final long DEFAULT_MAX_QUEUED_BYTES_PER_RECORDING = 8L << 20;
  public static final long DEFAULT_MAX_TOTAL_MEMORY_BYTES = 1L << 30;
  /** Leaves room inside the 2 s of {@link RtmpServer#stop()} for closing connections. */
  public static final Duration DEFAULT_FINISH_TIMEOUT = Duration.ofMillis(1500);

  private final InetSocketAddress bindAddress;
  private final Path recordingDir;
  private final boolean recordMp4;
  private final boolean recordFlv;
  private final Path allowList;
  private final String relayPrefix;
  private final Function<String, SampleSink> relaySinks;
  private final RecordingListener listener;
  private final int maxConnections;
  private final Duration handshakeTimeout;
  private final Duration idleTimeout;
  private final Duration setupTimeout;
  private final int maxChunkSize;
  private final int maxMessageLength;
  private final int maxStreamsPerConnection;
  private final int maxConnectionMemoryBytes;
  private final long maxQueuedBytesPerRecording;
  private final Duration finishTimeout;
  private final long maxTotalMemoryBytes;
  private final Mp4Options mp4Options;
  private final int maxLiveStreams;

  private RtmpServerOptions(Builder b) {
    this.bindAddress = b.bindAddress;
    this.recordingDir = b.recordingDir;
    this.recordMp4 = b.recordMp4;
    this.recordFlv = b.recordFlv;
    this.allowList = b.allowList;
    this.relayPrefix = b.relayPrefix;
    this.relaySinks = b.relaySinks;
    this.listener = b.listener;
    this.maxConnections = b.maxConnections;
    this.handshakeTimeout = b.handshakeTimeout;
    this.idleTimeout = b.idleTimeout;
    this.setupTimeout = b.setupTimeout;
    this.maxChunkSize = b.maxChunkSize;
    this.maxMessageLength = b.maxMessageLength;
    this.maxStreamsPerConnection = b.maxStreamsPerConnection;
    this.maxConnectionMemoryBytes = b.maxConnectionMemoryBytes;
    this.maxQueuedBytesPerRecording = b.maxQueuedBytesPerRecording;
    this.finishTimeout = b.finishTimeout;
    this.maxTotalMemoryBytes = b.maxTotalMemoryBytes;
    this.mp4Options = b.mp4Options;
    this.maxLiveStreams = b.maxLiveStreams;
  }

  /**
   * How each MP4 recording is written (fragment duration, fsync, ending); default {@link
   * Mp4Options#defaults()}. Its finish timeout is replaced by {@link #finishTimeout()}.
   */
  public RtmpServerOptions withMp4Options(Mp4Options mp4Options) {
    if (mp4Options == null) {
      throw new NullPointerException("mp4Options");
    }
    Builder b = toBuilder();
    b.mp4Options = mp4Options;
    return new RtmpServerOptions(b);
  }

  public Mp4Options mp4Options() {
    return mp4Options;
  }

  /**
   * Records every published stream to MP4 under {@code dir} ({@code dir/APP/STREAM.mp4}), listening
   * on 127.0.0.1:1935 (use {@link #withBindAddress} to listen elsewhere, port 0 for any free port).
   */
  public static RtmpServerOptions recordingTo(Path dir) {
    if (dir == null) {
      throw new NullPointerException("dir");
    }
    Builder b = new Builder();
    b.recordingDir = dir;
    return new RtmpServerOptions(b);
  }

  /** Where to listen; port 0 picks a free port ({@link RtmpServer#port()} tells which). */
  public RtmpServerOptions withBindAddress(InetSocketAddress bindAddress) {
    if (bindAddress == null) {
      throw new NullPointerException("bindAddress");
    }
    Builder b = toBuilder();
    b.bindAddress = bindAddress;
    return new RtmpServerOptions(b);
  }

  /** Whether each stream is recorded to {@code APP/STREAM.mp4} (default true). */
  public RtmpServerOptions withMp4(boolean recordMp4) {
    Builder b = toBuilder();
    b.recordMp4 = recordMp4;
    return new RtmpServerOptions(b);
  }

  /** Whether each stream is also recorded to {@code APP/STREAM.flv} (default false). */
  public RtmpServerOptions withFlv(boolean recordFlv) {
    Builder b = toBuilder();
    b.recordFlv = recordFlv;
    return new RtmpServerOptions(b);
  }

  /**
   * Only {@code app/key} pairs listed in {@code file} may publish (see {@link AllowList} for the
   * format); the file is read once when the server starts. Null (the default) allows every key.
   */
  public RtmpServerOptions withAllowList(Path file) {
    Builder b = toBuilder();
    b.allowList = file;
    return new RtmpServerOptions(b);
  }

  /**
   * Relays every stream to {@code upstreamPrefix + "/" + STREAM} (e.g. {@code
   * rtmp://live.example.com/app}) with livemux's {@link RtmpPublisher} and its default options
   * (reconnection with backoff included). See {@link #withRelay(String, Function)}.
   */
  public RtmpServerOptions withRelay(String upstreamPrefix) {
    if (upstreamPrefix == null) {
      throw new NullPointerException("upstreamPrefix");
    }
    return withRelay(upstreamPrefix, url -> new RtmpPublisher(RtmpPublisherOptions.forUrl(url)));
  }

  /**
   * Relays every stream to {@code upstreamPrefix + "/" + STREAM} (e.g. {@code
   * rtmp://live.example.com/app}) through the sink {@code sinks} makes for that URL — normally an
   * RTMP publisher. The relay is a real-time lane: when upstream is slow or dead it drops by policy
   * and never slows the recordings. Null prefix (the default) relays nothing.
   */
  public RtmpServerOptions withRelay(String upstreamPrefix, Function<String, SampleSink> sinks) {
    if ((upstreamPrefix == null) != (sinks == null)) {
      throw new IllegalArgumentException("relay needs both an upstream prefix and a sink factory: "
          + upstreamPrefix + ", " + sinks);
    }
    Builder b = toBuilder();
    b.relayPrefix = upstreamPrefix == null ? null
        : upstreamPrefix.endsWith("/") ? upstreamPrefix.substring(0, upstreamPrefix.length() - 1)
        : upstreamPrefix;
    b.relaySinks = sinks;
    return new RtmpServerOptions(b);
  }

  /** Told about every recording once it has finished; null for none. */
  public RtmpServerOptions withListener(RecordingListener listener) {
    Builder b = toBuilder();
    b.listener = listener;
    return new RtmpServerOptions(b);
  }

  /** Connections open at once, 1..1000000; more are accepted and closed at once. */
  public RtmpServerOptions withMaxConnections(int maxConnections) {
    if (maxConnections < 1 || maxConnections > 1_000_000) {
      throw new IllegalArgumentException("maxConnections out of range 1..1000000: " + maxConnections);
    }
    Builder b = toBuilder();
    b.maxConnections = maxConnections;
    return new RtmpServerOptions(b);
  }

  /** Time from accept to the end of the handshake, 100 ms..10 min. */
  public RtmpServerOptions withHandshakeTimeout(Duration timeout) {
    Builder b = toBuilder();
    b.handshakeTimeout = checkDuration("handshakeTimeout", timeout);
    return new RtmpServerOptions(b);
  }

  /**
   * How long a connection may go without progress before it is dropped, 100 ms..10 min. Before its
   * first {@code publish} is accepted, progress is any byte read. While it publishes, progress is
   * a whole audio, video or data message on a published stream: bytes of an unfinished message,
   * acknowledgements, pings and other control or command messages do not count, so a publisher
   * that trickles a message, or sends only control messages, is dropped after this long. Time
   * during which the server itself stopped reading (a full recording lane) never counts.
   */
  public RtmpServerOptions withIdleTimeout(Duration timeout) {
    Builder b = toBuilder();
    b.idleTimeout = checkDuration("idleTimeout", timeout);
    return new RtmpServerOptions(b);
  }

  /**
   * The setup deadline, 100 ms..10 min: a connection must get from accept (handshake, {@code
   * connect}, {@code createStream}, {@code publish}) to an accepted {@code publish} within it, and
   * after its last stream is unpublished it must publish again within it, however steadily it
   * sends bytes meanwhile; otherwise it is dropped and its slot freed. This is what stops clients
   * that trickle bytes from holding {@link #withMaxConnections connection slots}. The handshake
   * must also end within {@link #withHandshakeTimeout the handshake timeout}.
   */
  public RtmpServerOptions withSetupTimeout(Duration timeout) {
    Builder b = toBuilder();
    b.setupTimeout = checkDuration("setupTimeout", timeout);
    return new RtmpServerOptions(b);
  }

  /** The largest chunk size a client may set, 128..2147483647 (RTMP 5.4.1). */
  public RtmpServerOptions withMaxChunkSize(int maxChunkSize) {
    if (maxChunkSize < 128) {
      throw new IllegalArgumentException("maxChunkSize out of range 128..2147483647: " + maxChunkSize);
    }
    Builder b = toBuilder();
    b.maxChunkSize = maxChunkSize;
    return new RtmpServerOptions(b);
  }

  /** The longest message, 1 KiB..16 MiB - 1. */
  public RtmpServerOptions withMaxMessageLength(int maxMessageLength) {
    if (maxMessageLength < 1024 || maxMessageLength > 0xFFFFFF) {
      throw new IllegalArgumentException(
          "maxMessageLength out of range 1024..16777215: " + maxMessageLength);
    }
    Builder b = toBuilder();
    b.maxMessageLength = maxMessageLength;
    return new RtmpServerOptions(b);
  }

  /** Message streams one connection may create (createStream), 1..64. */
  public RtmpServerOptions withMaxStreamsPerConnection(int maxStreams) {
    if (maxStreams < 1 || maxStreams > 64) {
      throw new IllegalArgumentException("maxStreamsPerConnection out of range 1..64: " + maxStreams);
    }
    Builder b = toBuilder();
    b.maxStreamsPerConnection = maxStreams;
    return new RtmpServerOptions(b);
  }

  /**
   * Streams published at once over all connections, 1..100000; a publish beyond it is refused with
   * {@code NetStream.Publish.BadName}.
   */
  public RtmpServerOptions withMaxLiveStreams(int maxLiveStreams) {
    if (maxLiveStreams < 1 || maxLiveStreams > 100_000) {
      throw new IllegalArgumentException("maxLiveStreams out of range 1..100000: " + maxLiveStreams);
    }
    Builder b = toBuilder();
    b.maxLiveStreams = maxLiveStreams;
    return new RtmpServerOptions(b);
  }

  /**
   * Bytes one connection may hold: unfinished messages in the chunk decoder, plus media waiting for
   * the stream's tracks to be known; 64 KiB..1 GiB and at least the message length limit.
   */
  public RtmpServerOptions withMaxConnectionMemoryBytes(int bytes) {
    if (bytes < 64 << 10 || bytes > 1 << 30) {
      throw new IllegalArgumentException("maxConnectionMemoryBytes out of range 65536..1073741824: " + bytes);
    }
    Builder b = toBuilder();
    b.maxConnectionMemoryBytes = bytes;
    return new RtmpServerOptions(b);
  }

  /**
   * Bytes all connections together may hold (what {@link #withMaxConnectionMemoryBytes} counts,
   * summed): a connection whose read takes the sum above it is closed. 1 MiB..64 GiB, at least the
   * per-connection limit. Recording queues are bounded apart ({@link
   * #withMaxQueuedBytesPerRecording}).
   */
  public RtmpServerOptions withMaxTotalMemoryBytes(long bytes) {
    if (bytes < 1 << 20 || bytes > 64L << 30) {
      throw new IllegalArgumentException("maxTotalMemoryBytes out of range 1 MiB..64 GiB: " + bytes);
    }
    Builder b = toBuilder();
    b.maxTotalMemoryBytes = bytes;
    return new RtmpServerOptions(b);
  }

  /** Bytes queued for each recording before the publisher's reads pause, 64 KiB..1 GiB. */
  public RtmpServerOptions withMaxQueuedBytesPerRecording(long bytes) {
    if (bytes < 64 << 10 || bytes > 1L << 30) {
      throw new IllegalArgumentException("maxQueuedBytesPerRecording out of range 65536..1073741824: " + bytes);
    }
    Builder b = toBuilder();
    b.maxQueuedBytesPerRecording = bytes;
    return new RtmpServerOptions(b);
  }

  /** The bound on finishing one recording (the pipeline's finish timeout), 100 ms..1900 ms. */
  public RtmpServerOptions withFinishTimeout(Duration timeout) {
    if (timeout == null || timeout.toMillis() < 100 || timeout.toMillis() > 1900) {
      throw new IllegalArgumentException("finishTimeout out of range 100..1900 ms: " + timeout);
    }
    Builder b = toBuilder();
    b.finishTimeout = timeout;
    return new RtmpServerOptions(b);
  }

  public InetSocketAddress bindAddress() {
    return bindAddress;
  }

  public Path recordingDir() {
    return recordingDir;
  }

  public boolean recordsMp4() {
    return recordMp4;
  }

  public boolean recordsFlv() {
    return recordFlv;
  }

  public Path allowList() {
    return allowList;
  }

  public String relayPrefix() {
    return relayPrefix;
  }

  public Function<String, SampleSink> relaySinks() {
    return relaySinks;
  }

  public RecordingListener listener() {
    return listener;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration setupTimeout() {
    return setupTimeout;
  }

  public int maxChunkSize() {
    return maxChunkSize;
  }

  public int maxMessageLength() {
    return maxMessageLength;
  }

  public int maxStreamsPerConnection() {
    return maxStreamsPerConnection;
  }

  public int maxConnectionMemoryBytes() {
    return maxConnectionMemoryBytes;
  }

  public long maxQueuedBytesPerRecording() {
    return maxQueuedBytesPerRecording;
  }

  public Duration finishTimeout() {
    return finishTimeout;
  }

  public long maxTotalMemoryBytes() {
    return maxTotalMemoryBytes;
  }

  public int maxLiveStreams() {
    return maxLiveStreams;
  }

  /** Cross-field checks, made when the server starts. */
  void validate() {
    if (maxMessageLength > maxConnectionMemoryBytes) {
      throw new IllegalArgumentException("maxMessageLength " + maxMessageLength
          + " > maxConnectionMemoryBytes " + maxConnectionMemoryBytes);
    }
    if (maxConnectionMemoryBytes > maxTotalMemoryBytes) {
      throw new IllegalArgumentException("maxConnectionMemoryBytes " + maxConnectionMemoryBytes
          + " > maxTotalMemoryBytes " + maxTotalMemoryBytes);
    }
    if (!recordMp4 && !recordFlv && relayPrefix == null) {
      throw new IllegalArgumentException("nothing to do with published streams: no MP4, no FLV, no relay");
    }
  }

  @Override
  public String toString() {
    return "RtmpServerOptions{bind=" + bindAddress + ", dir=" + recordingDir + ", mp4=" + recordMp4
        + ", flv=" + recordFlv + ", allowList=" + allowList + ", relay=" + relayPrefix
        + ", maxConnections=" + maxConnections + ", handshakeTimeout=" + handshakeTimeout
        + ", idleTimeout=" + idleTimeout + ", setupTimeout=" + setupTimeout
        + ", maxChunkSize=" + maxChunkSize
        + ", maxMessageLength=" + maxMessageLength + ", maxStreamsPerConnection="
        + maxStreamsPerConnection + ", maxConnectionMemoryBytes=" + maxConnectionMemoryBytes
        + ", maxQueuedBytesPerRecording=" + maxQueuedBytesPerRecording + ", finishTimeout="
        + finishTimeout + ", maxTotalMemoryBytes=" + maxTotalMemoryBytes + ", maxLiveStreams="
        + maxLiveStreams + "}";
  }

  private static Duration checkDuration(String name, Duration d) {
    if (d == null || d.toMillis() < 100 || d.toMillis() > 600_000) {
      throw new IllegalArgumentException(name + " out of range 100 ms..10 min: " + d);
    }
    return d;
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.bindAddress = bindAddress;
    b.recordingDir = recordingDir;
    b.recordMp4 = recordMp4;
    b.recordFlv = recordFlv;
    b.allowList = allowList;
    b.relayPrefix = relayPrefix;
    b.relaySinks = relaySinks;
    b.listener = listener;
    b.maxConnections = maxConnections;
    b.handshakeTimeout = handshakeTimeout;
    b.idleTimeout = idleTimeout;
    b.setupTimeout = setupTimeout;
    b.maxChunkSize = maxChunkSize;
    b.maxMessageLength = maxMessageLength;
    b.maxStreamsPerConnection = maxStreamsPerConnection;
    b.maxConnectionMemoryBytes = maxConnectionMemoryBytes;
    b.maxQueuedBytesPerRecording = maxQueuedBytesPerRecording;
    b.finishTimeout = finishTimeout;
    b.maxTotalMemoryBytes = maxTotalMemoryBytes;
    b.mp4Options = mp4Options;
    b.maxLiveStreams = maxLiveStreams;
    return b;
  }

  private static final class Builder {
    InetSocketAddress bindAddress =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
    Path recordingDir;
    boolean recordMp4 = true;
    boolean recordFlv;
    Path allowList;
    String relayPrefix;
    Function<String, SampleSink> relaySinks;
    RecordingListener listener;
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    Duration setupTimeout = DEFAULT_SETUP_TIMEOUT;
    int maxChunkSize = DEFAULT_MAX_CHUNK_SIZE;
    int maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH;
    int maxStreamsPerConnection = DEFAULT_MAX_STREAMS_PER_CONNECTION;
    int maxConnectionMemoryBytes = DEFAULT_MAX_CONNECTION_MEMORY_BYTES;
    long maxQueuedBytesPerRecording = DEFAULT_MAX_QUEUED_BYTES_PER_RECORDING;
    Duration finishTimeout = DEFAULT_FINISH_TIMEOUT;
    long maxTotalMemoryBytes = DEFAULT_MAX_TOTAL_MEMORY_BYTES;
    Mp4Options mp4Options = Mp4Options.defaults();
    int maxLiveStreams = DEFAULT_MAX_LIVE_STREAMS;
  }
}
