package io.livemux.rtmp.server;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Decoder;
import io.livemux.rtmp.chunk.ChunkDecoder;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.PeerBandwidth;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.chunk.UserControl;
import io.livemux.rtmp.chunk.UserControlEvent;
import io.livemux.rtmp.command.NetStatus;
import io.livemux.rtmp.command.RtmpCommand;
import io.livemux.rtmp.handshake.Handshake;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one RTMP connection: handshake (RTMP 5.2), chunk stream (RTMP 5.3), protocol
 * control (5.4), and the NetConnection / NetStream commands of a publisher (7.2), answered the way
 * nginx-rtmp answers them, which is what ffmpeg, OBS and hardware encoders are tested against.
 *
 * <p>Input is fed by the selector in slices of at most one read buffer; every message decoded is
 * handled at once. While a publication is blocked (its recording lane is full), decoding stops, the
 * rest of the slice is kept ({@link #stash}) and the selector stops reading this socket.
 *
 * <p><b>Deadlines</b> ({@link #expiry}): the handshake must end within the handshake timeout of
 * accept; an accepted {@code publish} must come within the setup timeout of accept (or of the last
 * unpublish), however steadily bytes arrive; before it, any byte resets the idle timer, and after
 * it only a whole audio, video or data message on a published stream does. So a client trickling
 * the commands, a huge message or control messages holds its slot for a bounded time only. Time
 * spent paused (the server not reading) never counts.
 *
 * <p><b>Threads.</b> Only the server's selector thread touches a connection.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  /** What we announce: ack every 5 MB, as nginx-rtmp does (RTMP 5.4.4). */
  static final long WINDOW_ACK_SIZE = 5_000_000;
  /** Our outgoing chunk size, as nginx-rtmp's default. */
  static final int OUT_CHUNK_SIZE = 4096;
  /** A client that does not read what we send gets this much queued, then is dropped. */
  static final int MAX_WRITE_QUEUE_BYTES = 1 << 20;

  static final int CSID_CONTROL = RtmpMessage.CONTROL_CHUNK_STREAM_ID;
  static final int CSID_COMMAND = 3;
  static final int CSID_STATUS = 5;

  private enum State {
    HANDSHAKE,
    OPEN,
    CLOSED
  }

  private final RtmpServer server;
  private final RtmpServerOptions options;
  final SocketChannel channel;
  final SelectionKey key;
  final String peer;
  final long acceptedNanos;
  /** The last byte read: progress before the first publish. */
  private long lastReadNanos;
  /** Accept, or the end of the last publication: the setup deadline runs from here. */
  private long setupSinceNanos;
  /** The publish accepted, the last media message, or the end of a pause: progress while live. */
  private long lastMediaNanos;
  /** The time of the read being handled. */
  private long nowNanos;

  private final Handshake handshake;
  private final ChunkDecoder decoder;
  private final ChunkEncoder encoder = new ChunkEncoder();
  private final Amf0Decoder amf0;
  private State state = State.HANDSHAKE;

  private final ArrayDeque<ByteBuffer> writeQueue = new ArrayDeque<>();
  private long writeQueueBytes;
  private boolean closeAfterFlush;

  private long bytesIn;
  private long lastAckBytes;
  private long peerWindowAckSize;

  private String app;
  private int nextStreamId = 1;
  /** Message streams made by createStream; the value is the publication once published. */
  private final Map<Integer, Publication> streams = new HashMap<>();
  /** Undecoded input kept while paused; null when there is none. */
  private ByteBuffer stash;
  private boolean paused;
  /** What this connection last added to the server's total of held bytes. */
  long accountedBytes;

  Connection(RtmpServer server, SocketChannel channel, SelectionKey key, String peer, long nowNanos,
      byte[] handshakeRandom) {
    this.server = server;
    this.options = server.options();
    this.channel = channel;
    this.key = key;
    this.peer = peer;
    this.acceptedNanos = nowNanos;
    this.lastReadNanos = nowNanos;
    this.setupSinceNanos = nowNanos;
    this.nowNanos = nowNanos;
    this.handshake = Handshake.server(System.currentTimeMillis(), handshakeRandom,
        () -> (System.nanoTime() - acceptedNanos) / 1_000_000);
    this.handshake.start();
    this.decoder = new ChunkDecoder(server.chunkLimits());
    this.amf0 = new Amf0Decoder(server.amf0Limits());
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  boolean isPaused() {
    return paused;
  }

  private boolean isPublishing() {
    for (Publication p : streams.values()) {
      if (p != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why this connection is past one of its deadlines at {@code now} (the reason it is closed
   * with), or null while it is within them all.
   */
  String expiry(long now) {
    if (state == State.CLOSED) {
      return null;
    }
    if (state == State.HANDSHAKE && now - acceptedNanos > options.handshakeTimeout().toNanos()) {
      return "handshake not done within " + options.handshakeTimeout().toMillis()
          + " ms of accept (handshake timeout)";
    }
    if (paused) {
      return null; // the server stopped reading, not the client
    }
    if (isPublishing()) {
      if (now - lastMediaNanos > options.idleTimeout().toNanos()) {
        return "no whole audio, video or data message for " + options.idleTimeout().toMillis()
            + " ms while publishing (idle timeout; partial messages and control messages do not"
            + " count)";
      }
      return null;
    }
    if (now - setupSinceNanos > options.setupTimeout().toNanos()) {
      return "no publish accepted within " + options.setupTimeout().toMillis() + " ms of "
          + (setupSinceNanos == acceptedNanos ? "accept" : "the last unpublish")
          + " (setup timeout)";
    }
    if (now - lastReadNanos > options.idleTimeout().toNanos()) {
      return "no byte for " + options.idleTimeout().toMillis()
          + " ms before publishing (idle timeout)";
    }
    return null;
  }

  /** Bytes this connection holds: unfinished messages, media waiting, undecoded input, output. */
  long heldBytes() {
    long held = decoder.bufferedBytes() + writeQueueBytes + (stash == null ? 0 : stash.remaining());
    for (Publication p : streams.values()) {
      if (p != null) {
        held += p.heldBytes();
      }
    }
    return held;
  }

  /** {@code in} holds the bytes just read from the socket; what a pause leaves unread is kept. */
  void onRead(ByteBuffer in, long nowNanos) {
    this.nowNanos = nowNanos;
    lastReadNanos = nowNanos;
    bytesIn += in.remaining();
    process(in);
    if (state != State.CLOSED && paused && in.hasRemaining()) {
      stash = ByteBuffer.allocate(in.remaining());
      stash.put(in);
      ((Buffer) stash).flip();
    }
  }

  /** Called while paused: tries to move the blocked samples on and, if it can, reads again. */
  void tryResume() {
    if (state == State.CLOSED || !paused) {
      return;
    }
    try {
      for (Publication p : streams.values()) {
        if (p != null && !p.pump()) {
          return;
        }
      }
    } catch (RtmpException e) {
      close("stream failed: " + e.getMessage());
      return;
    }
    paused = false;
    // The paused time was the server's: the publisher gets a whole idle timeout from here.
    nowNanos = System.nanoTime();
    lastMediaNanos = nowNanos;
    if (stash != null) {
      ByteBuffer pending = stash;
      stash = null;
      process(pending);
      if (state != State.CLOSED && paused && pending.hasRemaining()) {
        stash = pending;
      }
    }
    if (!paused && state != State.CLOSED) {
      server.setReading(this, true);
    }
  }

  private void process(ByteBuffer in) {
    try {
      if (state == State.HANDSHAKE) {
        ByteBuffer reply = handshake.receive(in);
        if (reply.hasRemaining()) {
          queue(reply);
        }
        if (!handshake.isDone()) {
          return;
        }
        state = State.OPEN;
      }
      while (state == State.OPEN && !paused && !closeAfterFlush) {
        RtmpMessage message = decoder.decode(in);
        if (message == null) {
          break;
        }
        handle(message);
        if (state == State.OPEN && heldBytes() > options.maxConnectionMemoryBytes()) {
          throw new RtmpException("connection holds " + heldBytes() + " bytes, above the limit of "
              + options.maxConnectionMemoryBytes());
        }
      }
      acknowledge();
    } catch (RtmpException e) {
      close(e.getMessage());
    }
    if ((paused || closeAfterFlush) && state == State.OPEN) {
      server.setReading(this, false);
    }
  }

  /** RTMP 5.4.3: an Acknowledgement each time a window of bytes has come in. */
  private void acknowledge() {
    long window = peerWindowAckSize > 0 ? peerWindowAckSize : WINDOW_ACK_SIZE;
    if (state == State.OPEN && bytesIn - lastAckBytes >= window) {
      lastAckBytes = bytesIn;
      send(ProtocolControl.acknowledgement(bytesIn & 0xFFFFFFFFL));
    }
  }

  private void handle(RtmpMessage message) throws RtmpException {
    switch (message.typeId()) {
      case 8:
        Publication audio = publishing(message.messageStreamId());
        if (audio != null) {
          lastMediaNanos = nowNanos;
          audio.onAudio(message);
          pauseIfBlocked(audio);
        }
        return;
      case 9:
        Publication video = publishing(message.messageStreamId());
        if (video != null) {
          lastMediaNanos = nowNanos;
          video.onVideo(message);
          pauseIfBlocked(video);
        }
        return;
      case RtmpCommand.TYPE_AMF0:
      case RtmpCommand.TYPE_AMF3:
        command(RtmpCommand.parse(message, server.amf0Limits()), message.messageStreamId());
        return;
      case RtmpCommand.TYPE_DATA_AMF0:
      case RtmpCommand.TYPE_DATA_AMF3:
        data(message);
        return;
      case ProtocolControl.WINDOW_ACKNOWLEDGEMENT_SIZE:
        peerWindowAckSize = ProtocolControl.parseWindowAcknowledgementSize(message);
        return;
      case ProtocolControl.USER_CONTROL:
        UserControlEvent event = UserControl.parse(message);
        if (event.eventType() == UserControl.PING_REQUEST) {
          send(UserControl.pingResponse(event.value()));
        }
        return;
      default:
        // Set Chunk Size and Abort are applied by the decoder; Acknowledgement, Set Peer
        // Bandwidth, aggregate and shared-object messages need no answer from an ingest server.
        return;
    }
  }

  private Publication publishing(int messageStreamId) {
    return streams.get(messageStreamId);
  }

  private void pauseIfBlocked(Publication p) {
    if (p.isBlocked()) {
      paused = true;
    }
  }

  /** Data messages: {@code @setDataFrame onMetaData {...}} or {@code onMetaData {...}} (RTMP 7.1.2). */
  private void data(RtmpMessage message) throws RtmpException {
    ByteBuffer body = message.payload();
    if (message.typeId() == RtmpCommand.TYPE_DATA_AMF3 && body.hasRemaining()) {
      body.get(); // the AMF3-to-AMF0 switch
    }
    List<Object> values = amf0.decodeAll(body);
    Publication p = publishing(message.messageStreamId());
    if (p == null) {
      return;
    }
    lastMediaNanos = nowNanos;
    if (values.isEmpty()) {
      return;
    }
    int at = "@setDataFrame".equals(values.get(0)) ? 1 : 0;
    if (values.size() > at + 1 && "onMetaData".equals(values.get(at))
        && values.get(at + 1) instanceof Map) {
      p.onMetadata((Map<?, ?>) values.get(at + 1));
    }
  }

  private void command(RtmpCommand command, int messageStreamId) throws RtmpException {
    String name = command.name();
    double tid = command.transactionId();
    switch (name) {
      case "connect":
        connect(command);
        return;
      case "createStream":
        requireConnected(name);
        if (streams.size() >= options.maxStreamsPerConnection()) {
          send(RtmpCommand.of("_error", tid, null, NetStatus.of(NetStatus.LEVEL_ERROR,
              "NetConnection.Call.Failed", "more than " + options.maxStreamsPerConnection()
                  + " streams on one connection").toInfo()).toMessage(CSID_COMMAND, 0, 0));
          return;
        }
        int id = nextStreamId++;
        streams.put(id, null);
        send(RtmpCommand.of("_result", tid, null, (double) id).toMessage(CSID_COMMAND, 0, 0));
        return;
      case "releaseStream":
        requireConnected(name);
        send(RtmpCommand.of("_result", tid, null).toMessage(CSID_COMMAND, 0, 0));
        return;
      case "FCPublish":
        requireConnected(name);
        // As nginx-rtmp and FMS: an onFCPublish event carrying NetStream.Publish.Start.
        send(RtmpCommand.of("onFCPublish", 0, null, NetStatus.of(NetStatus.LEVEL_STATUS,
                NetStatus.PUBLISH_START, "FCPublish to stream " + shorten(command.stringArgument(0)))
            .toInfo()).toMessage(CSID_COMMAND, 0, 0));
        return;
      case "publish":
        requireConnected(name);
        publish(command, messageStreamId);
        return;
      case "play":
      case "play2":
        send(status(messageStreamId, NetStatus.LEVEL_ERROR, NetStatus.PLAY_FAILED,
            "playback is not supported: this server only ingests (publish)"));
        return;
      case "FCUnpublish":
        requireConnected(name);
        String unpublished = StreamNames.withoutQuery(command.stringArgument(0));
        for (Map.Entry<Integer, Publication> e : streams.entrySet()) {
          Publication p = e.getValue();
          if (p != null && p.stream.equals(unpublished)) {
            endPublication(e.getKey());
            send(RtmpCommand.of("onFCUnpublish", 0, null, NetStatus.of(NetStatus.LEVEL_STATUS,
                NetStatus.UNPUBLISH_SUCCESS, shorten(unpublished) + " is now unpublished.")
                .toInfo()).toMessage(CSID_COMMAND, 0, 0));
            return;
          }
        }
        return;
      case "deleteStream":
        Object idValue = command.argument(0);
        if (idValue instanceof Double) {
          int streamId = (int) (double) (Double) idValue;
          endPublication(streamId);
          streams.remove(streamId);
        }
        return;
      case "closeStream":
        endPublication(messageStreamId);
        return;
      default:
        // getStreamLength, _checkbw, onBWDone, ...: nothing an ingest server needs to answer.
        return;
    }
  }

  private void requireConnected(String command) throws RtmpException {
    if (app == null) {
      throw new RtmpException("RTMP: " + command + " before connect");
    }
  }

  /** RTMP 7.2.1.1; the answer sequence is nginx-rtmp's (ngx_rtmp_cmd_connect). */
  private void connect(RtmpCommand command) throws RtmpException {
    if (app != null) {
      throw new RtmpException("RTMP: a second connect on one connection");
    }
    Object object = command.commandObject();
    Object appValue = object instanceof Map ? ((Map<?, ?>) object).get("app") : null;
    String requested = appValue instanceof String ? StreamNames.withoutQuery((String) appValue) : null;
    if (requested != null && requested.endsWith("/")) {
      requested = requested.substring(0, requested.length() - 1);
    }
    String refusal = StreamNames.refusal(requested);
    if (refusal != null) {
      send(RtmpCommand.of("_error", command.transactionId(), null, NetStatus.of(
          NetStatus.LEVEL_ERROR, NetStatus.CONNECT_REJECTED, "bad application name: " + refusal)
          .toInfo()).toMessage(CSID_COMMAND, 0, 0));
      closeAfterFlush("connect refused: " + refusal);
      return;
    }
    app = requested;
    send(ProtocolControl.windowAcknowledgementSize(WINDOW_ACK_SIZE));
    send(ProtocolControl.setPeerBandwidth(PeerBandwidth.of(WINDOW_ACK_SIZE, PeerBandwidth.LIMIT_DYNAMIC)));
    send(ProtocolControl.setChunkSize(OUT_CHUNK_SIZE));
    encoder.setChunkSize(OUT_CHUNK_SIZE);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("fmsVer", "FMS/3,0,1,123");
    properties.put("capabilities", 31.0);
    Map<String, Object> info = NetStatus.of(NetStatus.LEVEL_STATUS, NetStatus.CONNECT_SUCCESS,
        "Connection succeeded.").toInfo();
    info.put("objectEncoding", 0.0);
    send(RtmpCommand.of("_result", command.transactionId(), properties, info)
        .toMessage(CSID_COMMAND, 0, 0));
  }

  /** RTMP 7.2.2.6. */
  private void publish(RtmpCommand command, int messageStreamId) throws RtmpException {
    if (!streams.containsKey(messageStreamId)) {
      throw new RtmpException("RTMP: publish on message stream " + messageStreamId
          + ", which createStream did not make");
    }
    if (streams.get(messageStreamId) != null) {
      throw new RtmpException("RTMP: a second publish on message stream " + messageStreamId);
    }
    String stream = StreamNames.withoutQuery(command.stringArgument(0));
    String refusal = StreamNames.refusal(stream);
    if (refusal == null && !server.allows(app, stream)) {
      refusal = "stream key not allowed for " + app;
    }
    Publication publication = null;
    if (refusal == null) {
      refusal = server.publishRefusal(app, stream);
    }
    if (refusal == null) {
      // Only this thread registers, so what publishRefusal allowed is still allowed (unless stop()
      // came in between, which register sees).
      publication = server.register(this, app, stream, messageStreamId);
      if (publication == null) {
        refusal = "server is stopping";
      }
    }
    if (refusal != null) {
      send(status(messageStreamId, NetStatus.LEVEL_ERROR, NetStatus.PUBLISH_BAD_NAME, refusal));
      closeAfterFlush("publish refused: " + refusal);
      return;
    }
    streams.put(messageStreamId, publication);
    lastMediaNanos = nowNanos;
    send(UserControl.streamBegin(messageStreamId));
    send(status(messageStreamId, NetStatus.LEVEL_STATUS, NetStatus.PUBLISH_START,
        shorten(stream) + " is now published."));
  }

  private void endPublication(int messageStreamId) {
    Publication p = streams.get(messageStreamId);
    if (p != null) {
      streams.put(messageStreamId, null);
      server.unregister(p);
      p.end();
      if (!isPublishing()) {
        // Not live any more: publish again within the setup timeout, or go.
        setupSinceNanos = nowNanos;
        lastReadNanos = nowNanos;
      }
    }
  }

  private static RtmpMessage status(int messageStreamId, String level, String code, String text) {
    return RtmpCommand.of("onStatus", 0, null, NetStatus.of(level, code, text).toInfo())
        .toMessage(CSID_STATUS, messageStreamId, 0);
  }

  private static String shorten(String key) {
    return StreamNames.mask(key);
  }

  // ---- output ----------------------------------------------------------------------------------

  private void send(RtmpMessage message) {
    queue(encoder.encode(message));
  }

  private void queue(ByteBuffer bytes) {
    if (state == State.CLOSED) {
      return;
    }
    writeQueue.add(bytes);
    writeQueueBytes += bytes.remaining();
    if (writeQueueBytes > MAX_WRITE_QUEUE_BYTES) {
      close("client does not read: " + writeQueueBytes + " bytes queued for it");
      return;
    }
    flush();
  }

  /** Writes what the socket takes now; asks the selector for OP_WRITE if something is left. */
  void flush() {
    try {
      while (!writeQueue.isEmpty()) {
        ByteBuffer head = writeQueue.peek();
        int n = channel.write(head);
        writeQueueBytes -= n;
        if (head.hasRemaining()) {
          server.setWriting(this, true);
          return;
        }
        writeQueue.poll();
      }
      server.setWriting(this, false);
      if (closeAfterFlush) {
        close("closed after a refusal");
      }
    } catch (IOException e) {
      close("write failed: " + e.getMessage());
    }
  }

  private void closeAfterFlush(String why) {
    log.info("{}: {}", peer, why);
    closeAfterFlush = true; // read nothing more from a refused client
    if (writeQueue.isEmpty()) {
      close(why);
    }
  }

  /** Closes the socket and ends this connection's publications (their recordings finish). */
  void close(String why) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    log.debug("{}: closed: {}", peer, why);
    for (Integer id : streams.keySet().toArray(new Integer[0])) {
      endPublication(id);
    }
    writeQueue.clear();
    writeQueueBytes = 0;
    stash = null;
    server.closed(this, why);
  }
}
