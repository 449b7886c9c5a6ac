package io.livemux.rtmp.server;

import io.livemux.pipeline.PipelineResult;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Limits;
import io.livemux.rtmp.chunk.ChunkLimits;
import io.livemux.rtmp.flv.FlvLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTMP ingest server: encoders (ffmpeg, OBS, livemux's publisher) publish to {@code
 * rtmp://HOST:PORT/APP/STREAM}, and every published stream is recorded to {@code DIR/APP/STREAM.mp4}
 * (and/or {@code .flv}) and optionally relayed upstream, each sink in its own pipeline lane.
 *
 * <pre>{@code
 * RtmpServer server = RtmpServer.start(RtmpServerOptions.recordingTo(Path.of("rec"))
 *     .withBindAddress(new InetSocketAddress("0.0.0.0", 1935)));
 * ...
 * server.stop();   // finishes every recording within 2 s, then closes the connections
 * }</pre>
 *
 * <p><b>I/O model: one selector thread, non-blocking sockets, work per read bounded.</b> One thread
 * owns every socket, reads each ready socket once per turn into one shared 64 KiB buffer and
 * decodes that slice completely (handshake, chunks, commands, FLV packets — cheap, copy-once work).
 * Muxing, disk writes and the relay's network I/O happen on each stream's pipeline sink threads,
 * never on the selector. So a client that trickles bytes, sends garbage or stops reading costs the
 * others one bounded slice of work per turn: it never holds a thread, and its memory is bounded by
 * {@link RtmpServerOptions#maxConnectionMemoryBytes()} and a 1 MiB output queue (and all
 * connections' together by {@link RtmpServerOptions#maxTotalMemoryBytes()}). When a recording
 * lane is full (a slow disk), only that connection stops being read: TCP flow control then slows
 * that one publisher, and no sample is dropped; it is read again as soon as the lane has room
 * (re-checked every 10 ms while any connection is paused — pipeline readiness callbacks re-run while
 * ready, which suits pull producers, not a selector). A thread per connection would let a thousand
 * idle or hostile clients cost a thousand stacks; an asynchronous channel group would add thread
 * hand-offs and is not simpler.
 *
 * <p><b>Slow and trickling clients.</b> Reads are cheap, but slots ({@link
 * RtmpServerOptions#maxConnections()}) are not: a client sending one byte now and then must not
 * hold one for ever. So, besides the handshake timeout, every connection must have a {@code
 * publish} accepted within {@link RtmpServerOptions#setupTimeout()} of accept (default 10 s,
 * however steadily it sends bytes), and once publishing it is dropped after {@link
 * RtmpServerOptions#idleTimeout()} (default 30 s) without a whole audio, video or data message:
 * bytes of an unfinished message, acknowledgements, pings and other commands do not keep it open
 * (as nginx-rtmp's {@code drop_idle_publisher} counts media only). Before the publish, any byte
 * resets the idle timer. Time spent paused for a full recording lane never counts. Deadlines are
 * checked by the selector every 250 ms; a dropped connection frees its slot at once, and the reason
 * (which deadline, how long) is logged at debug level with the peer's address.
 *
 * <p><b>End of a stream.</b> Everything a publisher sent before it unpublished ({@code
 * FCUnpublish}, {@code deleteStream}, {@code closeStream}) or disconnected is recorded, including
 * samples still held then (waiting for a track's sequence header, or for room in a full recording
 * lane): a drain thread appends those within the finish timeout, then the recording finishes. Only
 * {@link #stop()} cuts a recording short.
 *
 * <p>Publishing: see {@link Connection} for the command sequence. A second publisher on a live
 * {@code APP/STREAM}, a key not in the allow list, or a name that could leave the recording
 * directory is answered {@code NetStream.Publish.BadName} and closed; {@code play} gets {@code
 * NetStream.Play.Failed}.
 *
 * <p><b>Threads.</b> {@link #start}, {@link #port()}, {@link #stop()} and {@link #connectionCount()}
 * may be called from any thread. The {@link RecordingListener} is called from pipeline threads.
 */
public final class RtmpServer {
  private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

  static final int READ_BUFFER_BYTES = 64 << 10;
  static final long PAUSED_POLL_MS = 10;
  static final long TIMEOUT_CHECK_MS = 250;
  /** The whole of {@link #stop()}: recordings finish, then connections close. */
  static final long STOP_BOUND_MS = 2000;

  private final RtmpServerOptions options;
  private final AllowList allowList;
  private final ChunkLimits chunkLimits;
  private final Amf0Limits amf0Limits;
  private final FlvLimits flvLimits;
  private final Selector selector;
  private final ServerSocketChannel serverChannel;
  private final int port;
  private final Thread loop;
  private final CountDownLatch loopEnded = new CountDownLatch(1);

  // Selector thread only.
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
  private final Set<Connection> connections = new LinkedHashSet<>();
  private final Set<Connection> paused = new LinkedHashSet<>();
  private final Random random = new Random();
  private long lastTimeoutCheckNanos;
  /** The sum of every open connection's {@link Connection#accountedBytes}. */
  private long heldTotalBytes;

  /** Live publications by APP/STREAM; guarded by itself. */
  private final Map<String, Publication> live = new HashMap<>();
  /** Ended publications whose held samples are still being appended; guarded by {@link #live}. */
  private final Set<Publication> draining = new LinkedHashSet<>();
  private volatile boolean stopping;
  private volatile boolean closing;
  private volatile int connectionCount;
  /** Times a connection stopped being read because a recording lane was full (for tests). */
  private volatile long pauses;
  private volatile BiConsumer<String, String> closeObserver;

  private RtmpServer(RtmpServerOptions options, AllowList allowList) throws IOException {
    this.options = options;
    this.allowList = allowList;
    this.chunkLimits = ChunkLimits.defaults()
        .withMaxChunkSize(options.maxChunkSize())
        .withMaxMessageLength(options.maxMessageLength())
        .withMaxBufferedBytes(options.maxConnectionMemoryBytes())
        .withMaxChunkStreams(64);
    this.amf0Limits = Amf0Limits.defaults().withMaxStringBytes(64 << 10).withMaxEntries(4096);
    this.flvLimits = FlvLimits.defaults().withMaxTagDataSize(options.maxMessageLength())
        .withAmf0Limits(amf0Limits);
    this.selector = Selector.open();
    ServerSocketChannel channel = null;
    try {
      channel = ServerSocketChannel.open();
      channel.configureBlocking(false);
      channel.bind(options.bindAddress(), 256);
      channel.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      selector.close();
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
    this.serverChannel = channel;
    this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    this.loop = new Thread(this::run, "livemux-rtmp-server-" + port);
    this.loop.setDaemon(true);
  }

  /**
   * Binds and starts serving.
   *
   * @throws RtmpException if the address cannot be bound or the allow list cannot be read
   * @throws IllegalArgumentException if the options contradict each other
   */
  public static RtmpServer start(RtmpServerOptions options) throws RtmpException {
    options.validate();
    AllowList allowList = null;
    try {
      if (options.allowList() != null) {
        allowList = AllowList.read(options.allowList());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new RtmpException("cannot read the allow list " + options.allowList() + ": "
          + e.getMessage(), e);
    }
    RtmpServer server;
    try {
      server = new RtmpServer(options, allowList);
    } catch (IOException e) {
      throw new RtmpException("cannot listen on " + options.bindAddress() + ": " + e.getMessage(), e);
    }
    server.loop.start();
    log.info("RTMP server listening on port {}", server.port);
    return server;
  }

  /** The port listened on (the free port chosen when the options said 0). */
  public int port() {
    return port;
  }

  /** Open connections. */
  public int connectionCount() {
    return connectionCount;
  }

  /**
   * Finishes every open recording while publishers are still sending (each pipeline's bounded
   * finish), then closes every connection and the listening socket. Returns within about 2 s. After
   * it, new publishes are refused. Idempotent.
   *
   * @throws InterruptedException if interrupted while waiting (the flag is restored by the throw)
   */
  public void stop() throws InterruptedException {
    long start = System.nanoTime();
    List<Publication> publications;
    synchronized (live) {
      stopping = true;
      publications = new ArrayList<>(live.values());
      publications.addAll(draining);
    }
    List<CompletableFuture<PipelineResult>> futures = new ArrayList<>();
    for (Publication p : publications) {
      futures.add(p.finish());
    }
    long leftMs = STOP_BOUND_MS - 100 - (System.nanoTime() - start) / 1_000_000;
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .get(Math.max(1, leftMs), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      log.warn("a recording failed while stopping", e.getCause());
    } catch (TimeoutException e) {
      log.warn("recordings still finishing after {} ms", STOP_BOUND_MS);
    }
    closing = true;
    selector.wakeup();
    if (Thread.currentThread() != loop) {
      loopEnded.await(Math.max(1, STOP_BOUND_MS - (System.nanoTime() - start) / 1_000_000),
          TimeUnit.MILLISECONDS);
    }
  }

  // ---- the selector loop -----------------------------------------------------------------------

  private void run() {
    try {
      while (!closing) {
        selector.select(paused.isEmpty() ? TIMEOUT_CHECK_MS : PAUSED_POLL_MS);
        long now = System.nanoTime();
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isAcceptable()) {
              accept(now);
              continue;
            }
            Connection c = (Connection) key.attachment();
            if (key.isWritable()) {
              c.flush();
            }
            if (key.isValid() && key.isReadable() && !c.isClosed()) {
              read(c, now);
            }
          } catch (CancelledKeyException e) {
            // closed meanwhile
          }
        }
        if (!paused.isEmpty()) {
          for (Connection c : paused.toArray(new Connection[0])) {
            c.tryResume();
            account(c);
          }
        }
        if (now - lastTimeoutCheckNanos > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_CHECK_MS)) {
          lastTimeoutCheckNanos = now;
          checkTimeouts(now);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      log.error("RTMP server selector failed; closing every connection", e);
    } catch (RuntimeException | Error e) {
      log.error("RTMP server loop failed; closing every connection", e);
      throw e;
    } finally {
      shutDown();
      loopEnded.countDown();
    }
  }

  private void accept(long now) throws IOException {
    SocketChannel channel;
    while ((channel = serverChannel.accept()) != null) {
      if (connections.size() >= options.maxConnections()) {
        log.warn("refused a connection: {} connections open", connections.size());
        channel.close();
        continue;
      }
      String peer;
      try {
        channel.configureBlocking(false);
        channel.socket().setTcpNoDelay(true);
        peer = String.valueOf(channel.getRemoteAddress());
      } catch (IOException e) {
        channel.close();
        continue;
      }
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
      byte[] handshakeRandom = new byte[1528];
      random.nextBytes(handshakeRandom);
      Connection c = new Connection(this, channel, key, peer, now, handshakeRandom);
      key.attach(c);
      connections.add(c);
      connectionCount = connections.size();
    }
  }

  private void read(Connection c, long now) {
    ByteBuffer in = readBuffer;
    ((Buffer) in).clear();
    int n;
    try {
      n = c.channel.read(in);
    } catch (IOException e) {
      c.close("read failed: " + e.getMessage());
      return;
    }
    if (n < 0) {
      c.close("peer closed the connection");
      return;
    }
    if (n == 0) {
      return;
    }
    ((Buffer) in).flip();
    c.onRead(in, now);
    account(c);
  }

  /** Keeps the total of held bytes; closes {@code c} if its growth took the total over the limit. */
  private void account(Connection c) {
    if (c.isClosed()) {
      return;
    }
    long held = c.heldBytes();
    heldTotalBytes += held - c.accountedBytes;
    c.accountedBytes = held;
    if (heldTotalBytes > options.maxTotalMemoryBytes()) {
      c.close("connections hold " + heldTotalBytes + " bytes in all, above the limit of "
          + options.maxTotalMemoryBytes());
    }
  }

  private void checkTimeouts(long now) {
    for (Connection c : connections.toArray(new Connection[0])) {
      String why = c.expiry(now);
      if (why != null) {
        c.close(why);
      }
    }
  }

  private void shutDown() {
    for (Connection c : connections.toArray(new Connection[0])) {
      c.close("server stopped");
    }
    try {
      serverChannel.close();
    } catch (IOException e) {
      log.debug("closing the listening socket", e);
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing the selector", e);
    }
    connectionCount = 0;
  }

  /**
   * Tells {@code observer} (peer address, reason) of every connection closed from now on, on the
   * selector thread; it must not block. For tests.
   */
  void observeCloses(BiConsumer<String, String> observer) {
    closeObserver = observer;
  }

  /** How many times a connection was paused for backpressure. */
  long pauseCount() {
    return pauses;
  }

  // ---- called by connections (selector thread) --------------------------------------------------

  RtmpServerOptions options() {
    return options;
  }

  ChunkLimits chunkLimits() {
    return chunkLimits;
  }

  Amf0Limits amf0Limits() {
    return amf0Limits;
  }

  FlvLimits flvLimits() {
    return flvLimits;
  }

  boolean isStopping() {
    return stopping;
  }

  boolean allows(String app, String stream) {
    return allowList == null || allowList.allows(app, stream);
  }

  /** Why a publish of {@code app/stream} would be refused now, or null if it may go live. */
  String publishRefusal(String app, String stream) {
    synchronized (live) {
      if (stopping) {
        return "server is stopping";
      }
      if (live.containsKey(app + "/" + stream)) {
        return app + "/" + StreamNames.mask(stream) + " is already being published";
      }
      if (live.size() >= options.maxLiveStreams()) {
        return "server already records " + live.size() + " streams, its limit";
      }
      return null;
    }
  }

  /** A new live publication, or null if {@link #publishRefusal} refuses it. */
  Publication register(Connection c, String app, String stream, int messageStreamId) {
    synchronized (live) {
      String key = app + "/" + stream;
      if (publishRefusal(app, stream) != null) {
        return null;
      }
      Publication p = new Publication(this, app, stream, messageStreamId);
      live.put(key, p);
      return p;
    }
  }

  void unregister(Publication p) {
    synchronized (live) {
      if (live.get(p.key()) == p) {
        live.remove(p.key());
      }
    }
  }

  /** A publication's drain thread starts ({@code true}) or ends; stop() cuts draining ones short. */
  void draining(Publication p, boolean on) {
    synchronized (live) {
      if (on) {
        draining.add(p);
      } else {
        draining.remove(p);
      }
    }
  }

  void setReading(Connection c, boolean reading) {
    if (reading) {
      paused.remove(c);
    } else if (c.isPaused() && paused.add(c)) {
      pauses++; // only the selector thread writes it
    }
    setInterest(c, SelectionKey.OP_READ, reading);
  }

  void setWriting(Connection c, boolean writing) {
    setInterest(c, SelectionKey.OP_WRITE, writing);
  }

  private static void setInterest(Connection c, int op, boolean on) {
    SelectionKey key = c.key;
    if (!key.isValid()) {
      return;
    }
    int ops = key.interestOps();
    int next = on ? ops | op : ops & ~op;
    if (next != ops) {
      key.interestOps(next);
    }
  }

  void closed(Connection c, String why) {
    heldTotalBytes -= c.accountedBytes;
    c.accountedBytes = 0;
    connections.remove(c);
    paused.remove(c);
    connectionCount = connections.size();
    c.key.cancel();
    try {
      c.channel.close();
    } catch (IOException e) {
      log.debug("closing {}", c.peer, e);
    }
    BiConsumer<String, String> observer = closeObserver;
    if (observer != null) {
      observer.accept(c.peer, why);
    }
  }
}
