package io.livemux.rtmp.publish;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Limits;
import io.livemux.rtmp.chunk.ChunkDecoder;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.ChunkLimits;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.chunk.UserControl;
import io.livemux.rtmp.chunk.UserControlEvent;
import io.livemux.rtmp.command.NetStatus;
import io.livemux.rtmp.command.RtmpCommand;
import io.livemux.rtmp.command.RtmpUrl;
import io.livemux.rtmp.handshake.Handshake;
import io.livemux.rtmp.handshake.HandshakePacket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publishing RTMP connection: TCP (or TLS), the handshake, connect / releaseStream / FCPublish /
 * createStream / publish, then media messages until a clean unpublish or a failure.
 *
 * <p><b>Threads.</b> The opening thread runs {@link #open} (the whole command exchange, blocking
 * with the configured timeouts), then calls {@code send...} and {@link #closeCleanly}. After {@link
 * #open} a reader thread of its own reads the server's messages: it answers pings, sends
 * acknowledgements (RTMP 5.4.3), measures the round-trip time, turns an error status into the
 * connection's {@link #failure}, and closes a connection whose writes have made no progress for the
 * write-stall timeout. {@link #abort} may be called from any thread. All writes go through one lock,
 * so the reader's small control messages never interleave with a media message's chunks.
 */
final class RtmpConnection {
  private static final Logger log = LoggerFactory.getLogger(RtmpConnection.class);

  static final int CSID_COMMAND = 3;
  static final int CSID_AUDIO = 4;
  static final int CSID_DATA = 5;
  static final int CSID_VIDEO = 6;
  /** ffmpeg sends publish on its own chunk stream; so do we, to keep command order obvious on the wire. */
  static final int CSID_STREAM_COMMAND = 8;
  static final int TYPE_AUDIO = 8;
  static final int TYPE_VIDEO = 9;

  /** Writes go to the socket in pieces this big, so stall detection sees progress. */
  private static final int WRITE_PIECE = 64 << 10;
  /** The reader wakes this often to check for stalls and to ping. */
  private static final int READER_TICK_MS = 250;
  /** Limits on what the server may send us: commands and control only, so small. */
  private static final ChunkLimits INCOMING_LIMITS =
      ChunkLimits.defaults().withMaxMessageLength(1 << 20).withMaxBufferedBytes(4 << 20);

  private final RtmpPublisherOptions options;
  private final RtmpUrl url;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ChunkEncoder encoder = new ChunkEncoder();
  private final ChunkDecoder decoder = new ChunkDecoder(INCOMING_LIMITS);
  private final ReentrantLock writeLock = new ReentrantLock();
  private final long openedNanos = System.nanoTime();

  /** Guarded by writeLock: messages are chunked into it, then written out. */
  private ByteBuffer sendBuffer = ByteBuffer.allocate(64 << 10);

  // Reader side (the opening thread until open returns, then the reader thread).
  private final byte[] readBuffer = new byte[16 << 10];
  private ByteBuffer readInput = ByteBuffer.allocate(0);
  private long receivedBytes;
  private long lastAcknowledged;
  private volatile long windowAckSize;
  private boolean ackPending;
  private long nextPingNanos = System.nanoTime();

  private int streamId;
  private double transactionId;
  private boolean waitingForPublish;
  private volatile Thread reader;
  private volatile boolean closing;
  /** Set once our side is shut down: the reader reads on to the server's EOF and sends nothing. */
  private volatile boolean outputShut;
  private volatile IOException failure;

  /** Nanos when the current piece of a write started, 0 when no write is in progress. */
  private volatile long writeStartedNanos;
  private final AtomicLong bytesSent = new AtomicLong();
  private volatile long serverAcknowledgedBytes;
  private volatile long roundTripMs = -1;

  private RtmpConnection(RtmpPublisherOptions options, Socket socket) throws IOException {
    this.options = options;
    this.url = options.url();
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /**
   * Connects, shakes hands and publishes {@code url}'s stream; returns once the server said {@code
   * NetStream.Publish.Start}.
   *
   * @param fourCcs enhanced-RTMP codecs to announce in connect ({@code hvc1}), or none
   * @throws RtmpException naming what failed: the connection (refused, unknown host, timeout), the
   *     handshake, or the server's refusal with its status code and description
   */
  static RtmpConnection open(
      RtmpPublisherOptions options, ThreadFactory threads, java.util.List<String> fourCcs)
      throws IOException {
    Socket socket = PublisherSockets.open(options);
    RtmpConnection connection;
    try {
      connection = new RtmpConnection(options, socket);
      connection.handshake();
      connection.publish(fourCcs);
      connection.firstPing();
    } catch (IOException | RuntimeException e) {
      PublisherSockets.closeQuietly(socket);
      throw e;
    }
    connection.startReader(threads);
    return connection;
  }

  /** RTMP 5.2: C0+C1, then S0+S1 (answered by C2) and S2, within the handshake timeout. */
  private void handshake() throws IOException {
    byte[] random = new byte[HandshakePacket.RANDOM_LENGTH];
    new SecureRandom().nextBytes(random);
    Handshake handshake = Handshake.client(0, random, this::uptimeMs);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.handshakeTimeoutMs());
    try {
      writeRaw(handshake.start());
      while (!handshake.isDone()) {
        readSome(deadline, "the RTMP handshake");
        ByteBuffer reply = handshake.receive(readInput);
        if (reply.hasRemaining()) {
          writeRaw(reply);
        }
      }
    } catch (RtmpException e) {
      throw new RtmpException("cannot publish to " + url + ": " + e.getMessage(), e);
    }
    // Bytes after S2 stay in readInput: they are the server's first chunks.
  }

  /** RTMP 7.2.1.1, 7.2.2.6 and the FMLE sequence real servers expect. */
  private void publish(java.util.List<String> fourCcs) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.commandTimeoutMs());
    send(ProtocolControl.setChunkSize(options.chunkSize()));
    encoder.setChunkSize(options.chunkSize());

    Map<String, Object> connect = new java.util.LinkedHashMap<>();
    connect.put("app", url.app());
    connect.put("type", "nonprivate");
    connect.put("flashVer", options.flashVersion());
    connect.put("tcUrl", url.tcUrl());
    if (!fourCcs.isEmpty()) {
      connect.put("fourCcList", new java.util.ArrayList<Object>(fourCcs)); // enhanced RTMP v1
    }
    double connectId = command(0, "connect", connect);
    RtmpCommand connected = awaitResult(connectId, deadline, "connect to application '" + url.app() + "'");
    NetStatus connectStatus = connected.status();
    if (connectStatus != null && connectStatus.isError()) {
      throw refused("connect to application '" + url.app() + "'", connectStatus);
    }

    String name = url.streamName();
    command(0, "releaseStream", null, name);
    command(0, "FCPublish", null, name);
    double createId = command(0, "createStream", null);
    waitingForPublish = false;
    RtmpCommand created = awaitResult(createId, deadline, "createStream");
    Object id = created.argument(0);
    if (!(id instanceof Double) || (Double) id < 0 || (Double) id > Integer.MAX_VALUE) {
      throw new RtmpException(
          "cannot publish to " + url + ": createStream answered " + created + " without a stream id");
    }
    streamId = (int) (double) (Double) id;
    send(RtmpCommand.of("publish", 0, null, name, "live")
        .toMessage(CSID_STREAM_COMMAND, streamId, 0));
    waitingForPublish = true;
    while (true) {
      RtmpCommand answer = nextCommand(deadline, "the answer to publish");
      if (!answer.name().equals("onStatus") && !answer.name().equals("_error")) {
        continue;
      }
      NetStatus status = answer.status();
      if (status == null) {
        continue;
      }
      if (status.isError() || answer.name().equals("_error")) {
        throw refused("publish", status);
      }
      if (NetStatus.PUBLISH_START.equals(status.code())) {
        log.debug("publishing to {} on stream {}", url, streamId);
        return;
      }
    }
  }

  /** The first ping goes out at once, so even a short stream has a round-trip time. */
  private void firstPing() throws IOException {
    if (options.pingIntervalMs() > 0) {
      send(UserControl.pingRequest(uptimeMs()));
      nextPingNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.pingIntervalMs());
    }
  }

  private RtmpException refused(String what, NetStatus status) {
    return new RtmpException(
        "the server at " + url + " refused " + what + ": " + status, null);
  }

  /** Sends a command on the command chunk stream; returns its transaction id. */
  private double command(int messageStreamId, String name, Object commandObject, Object... args)
      throws IOException {
    double id = ++transactionId;
    send(RtmpCommand.of(name, id, commandObject, args).toMessage(CSID_COMMAND, messageStreamId, 0));
    return id;
  }

  /** Waits for the {@code _result} or {@code _error} of transaction {@code id}. */
  private RtmpCommand awaitResult(double id, long deadline, String what) throws IOException {
    while (true) {
      RtmpCommand c = nextCommand(deadline, "the answer to " + what);
      if (c.transactionId() != id) {
        continue;
      }
      if (c.name().equals("_result")) {
        return c;
      }
      if (c.name().equals("_error")) {
        NetStatus status = c.status();
        throw new RtmpException(
            "the server at " + url + " refused " + what + ": "
                + (status != null ? status.toString() : c.toString()));
      }
    }
  }

  private RtmpCommand nextCommand(long deadline, String waitingFor) throws IOException {
    while (true) {
      RtmpMessage m = nextMessage(deadline, waitingFor);
      if (m.typeId() == RtmpCommand.TYPE_AMF0 || m.typeId() == RtmpCommand.TYPE_AMF3) {
        return RtmpCommand.parse(m, Amf0Limits.defaults());
      }
      handleControl(m);
    }
  }

  /** The next message, reading with the time left until {@code deadline}. */
  private RtmpMessage nextMessage(long deadline, String waitingFor) throws IOException {
    while (true) {
      RtmpMessage m = decoder.decode(readInput);
      if (m != null) {
        return m;
      }
      readSome(deadline, waitingFor);
    }
  }

  /** Reads what is there into readInput (which must be used up), or throws at the deadline. */
  private void readSome(long deadline, String waitingFor) throws IOException {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (leftMs <= 0) {
      throw timedOut(waitingFor);
    }
    socket.setSoTimeout((int) Math.min(leftMs, Integer.MAX_VALUE));
    int n;
    try {
      n = in.read(readBuffer);
    } catch (SocketTimeoutException e) {
      throw timedOut(waitingFor);
    }
    if (n < 0) {
      throw new RtmpException(
          "cannot publish to " + url + ": the server closed the connection while we waited for "
              + waitingFor + (waitingForPublish
                  ? " (servers such as nginx-rtmp close it when they refuse the stream key)" : ""));
    }
    received(n);
  }

  private RtmpException timedOut(String waitingFor) {
    return new RtmpException(
        "cannot publish to " + url + ": timed out waiting for " + waitingFor);
  }

  private void received(int n) {
    readInput = ByteBuffer.wrap(readBuffer, 0, n);
    receivedBytes += n;
    long window = windowAckSize;
    if (window > 0 && receivedBytes - lastAcknowledged >= window) {
      ackPending = true;
    }
  }

  /** Protocol control and user control messages, from either reading thread. */
  private void handleControl(RtmpMessage m) throws IOException {
    switch (m.typeId()) {
      case ProtocolControl.WINDOW_ACKNOWLEDGEMENT_SIZE:
        windowAckSize = ProtocolControl.parseWindowAcknowledgementSize(m);
        break;
      case ProtocolControl.ACKNOWLEDGEMENT:
        serverAcknowledgedBytes = ProtocolControl.parseAcknowledgement(m);
        break;
      case ProtocolControl.USER_CONTROL:
        UserControlEvent event = UserControl.parse(m);
        if (event.eventType() == UserControl.PING_REQUEST) {
          sendControlSoon(UserControl.pingResponse(event.value()));
        } else if (event.eventType() == UserControl.PING_RESPONSE) {
          long rtt = (uptimeMs() - event.value()) & 0xFFFFFFFFL;
          if (rtt < 3_600_000) {
            roundTripMs = rtt;
          }
        }
        break;
      default:
        break; // Set Chunk Size and Abort are applied by the decoder; bandwidth hints are advisory
    }
    if (ackPending
        && sendControlSoon(ProtocolControl.acknowledgement(receivedBytes & 0xFFFFFFFFL))) {
      lastAcknowledged = receivedBytes;
      ackPending = false;
    }
  }

  /**
   * Sends a small control message now if no media write holds the lock, and says whether it did.
   * The reader never waits behind a media write: a stalled write must not stop it from noticing
   * the stall. An acknowledgement or ping not sent is tried again on the next tick.
   */
  private boolean sendControlSoon(RtmpMessage message) throws IOException {
    if (outputShut) {
      return true; // nothing more goes out after our FIN
    }
    if (!writeLock.tryLock()) {
      return false;
    }
    try {
      sendLocked(message);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  private void startReader(ThreadFactory threads) {
    Thread t = threads.newThread(this::readLoop);
    t.setName("livemux-rtmp-reader " + url);
    t.setDaemon(true);
    reader = t;
    t.start();
  }

  private void readLoop() {
    try {
      socket.setSoTimeout(READER_TICK_MS);
      while (!closing) {
        RtmpMessage m = decoder.decode(readInput);
        if (m == null) {
          int n;
          try {
            n = in.read(readBuffer);
          } catch (SocketTimeoutException e) {
            tick();
            continue;
          }
          if (n < 0) {
            if (!outputShut) {
              fail(new RtmpException("the server at " + url + " closed the connection"));
            }
            return;
          }
          received(n);
          continue;
        }
        if (m.typeId() == RtmpCommand.TYPE_AMF0 || m.typeId() == RtmpCommand.TYPE_AMF3) {
          onCommand(RtmpCommand.parse(m, Amf0Limits.defaults()));
        } else {
          handleControl(m);
        }
        tick();
      }
    } catch (IOException | RuntimeException e) {
      if (!closing && !outputShut) {
        fail(e instanceof RtmpException ? (RtmpException) e
            : new RtmpException("lost the connection to " + url + ": " + e, e));
      }
    }
  }

  private void onCommand(RtmpCommand c) {
    NetStatus status = c.status();
    if (c.name().equals("_error") || (status != null && status.isError())) {
      fail(new RtmpException(
          "the server at " + url + " stopped the stream: " + (status != null ? status : c)));
    } else {
      log.debug("{} said {}", url, c);
    }
  }

  /** The reader's periodic duties: the write-stall watchdog and the ping. */
  private void tick() throws IOException {
    long now = System.nanoTime();
    long started = writeStartedNanos;
    if (started != 0 && now - started > TimeUnit.MILLISECONDS.toNanos(options.writeStallTimeoutMs())) {
      fail(new RtmpException(
          "the server at " + url + " stopped reading: a write made no progress for "
              + options.writeStallTimeoutMs() + " ms"));
      return;
    }
    int interval = options.pingIntervalMs();
    if (interval > 0 && now - nextPingNanos >= 0
        && sendControlSoon(UserControl.pingRequest(uptimeMs()))) {
      nextPingNanos = now + TimeUnit.MILLISECONDS.toNanos(interval);
    }
  }

  /** Records the first failure and closes the socket, so a blocked write returns. */
  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
      log.debug("connection to {} failed: {}", url, e.getMessage());
    }
    closing = true;
    PublisherSockets.closeQuietly(socket);
  }

  /** Throws the failure the reader saw, if any. */
  void checkAlive() throws RtmpException {
    IOException f = failure;
    if (f != null) {
      throw f instanceof RtmpException ? (RtmpException) f
          : new RtmpException(f.getMessage(), f);
    }
  }

  /** Sends one message; from the opening thread. */
  void send(RtmpMessage message) throws IOException {
    writeLock.lock();
    try {
      sendLocked(message);
    } finally {
      writeLock.unlock();
    }
  }

  private void sendLocked(RtmpMessage message) throws IOException {
    int need = encoder.encodedLength(message);
    ensureCapacity(need);
    ((Buffer) sendBuffer).clear();
    encoder.encode(message, sendBuffer);
    flushLocked();
  }

  /**
   * Sends a media message whose payload {@code source} supplies: chunked straight into the send
   * buffer, then written. From the opening thread.
   */
  void sendMedia(int chunkStreamId, int typeId, long timestampMs, int length,
      ChunkEncoder.PayloadSource source) throws IOException {
    checkAlive();
    writeLock.lock();
    try {
      int need = encoder.encodedLength(chunkStreamId, typeId, streamId, timestampMs, length);
      ensureCapacity(need);
      ((Buffer) sendBuffer).clear();
      encoder.encode(chunkStreamId, typeId, streamId, timestampMs, length, source, sendBuffer);
      flushLocked();
    } finally {
      writeLock.unlock();
    }
  }

  private void ensureCapacity(int need) {
    if (sendBuffer.capacity() < need) {
      sendBuffer = ByteBuffer.allocate(Math.max(need, sendBuffer.capacity() * 2));
    }
  }

  /** Writes sendBuffer [0, position) in pieces, each timed for the stall watchdog. */
  private void flushLocked() throws IOException {
    int end = sendBuffer.position();
    byte[] bytes = sendBuffer.array();
    int offset = sendBuffer.arrayOffset();
    try {
      for (int at = 0; at < end; at += WRITE_PIECE) {
        writeStartedNanos = System.nanoTime() | 1;
        out.write(bytes, offset + at, Math.min(WRITE_PIECE, end - at));
      }
      out.flush();
    } catch (IOException e) {
      checkAlive(); // the reader's reason (stall, error status) explains the broken socket best
      throw new RtmpException("lost the connection to " + url + " while sending: " + e, e);
    } finally {
      writeStartedNanos = 0;
    }
    bytesSent.addAndGet(end);
  }

  private void writeRaw(ByteBuffer bytes) throws IOException {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    out.write(copy);
    out.flush();
    bytesSent.addAndGet(copy.length);
  }

  /** Data (onMetaData) on the publishing stream. */
  void sendData(ByteBuffer amf0) throws IOException {
    checkAlive();
    send(RtmpMessage.of(CSID_DATA, RtmpCommand.TYPE_DATA_AMF0, streamId, 0, amf0));
  }

  /** A whole audio or video message (a sequence header), at {@code timestampMs}. */
  void sendPacket(int typeId, long timestampMs, ByteBuffer body) throws IOException {
    checkAlive();
    send(RtmpMessage.of(typeId == TYPE_VIDEO ? CSID_VIDEO : CSID_AUDIO, typeId, streamId,
        timestampMs, body));
  }

  /**
   * FCUnpublish and deleteStream (what FMLE and ffmpeg send), then closes. Errors are ignored: the
   * stream is over either way.
   */
  void closeCleanly() {
    try {
      if (failure == null) {
        command(0, "FCUnpublish", null, url.streamName());
        command(0, "deleteStream", null, (double) streamId);
      }
    } catch (IOException e) {
      log.debug("unpublishing {} failed: {}", url, e.toString());
    } finally {
      outputShut = true;
      try {
        socket.shutdownOutput(); // the server reads our last bytes, then EOF
      } catch (IOException ignored) {
        // already closed
      }
      // A lingering close: the reader reads until the server, having read everything, closes its
      // side (bounded by joinReader). Closing at once would make our kernel answer anything the
      // server still sends (its ping response) with a reset, and drop the bytes it has not sent
      // yet: the end of the stream (RFC 1122 4.2.2.13, RFC 9293 3.6).
      joinReader();
      closing = true;
      PublisherSockets.closeQuietly(socket);
      joinReader();
    }
  }

  /** Closes at once, from any thread: a blocked write or read returns with an exception. */
  void abort() {
    closing = true;
    PublisherSockets.closeQuietly(socket);
  }

  private void joinReader() {
    Thread t = reader;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the caller's interrupt stays visible
      }
    }
  }

  long bytesSent() {
    return bytesSent.get();
  }

  long serverAcknowledgedBytes() {
    return serverAcknowledgedBytes;
  }

  long roundTripMs() {
    return roundTripMs;
  }

  int streamId() {
    return streamId;
  }

  private long uptimeMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedNanos) & 0xFFFFFFFFL;
  }
}
