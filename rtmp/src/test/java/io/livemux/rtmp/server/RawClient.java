package io.livemux.rtmp.server;

import io.livemux.rtmp.chunk.ChunkDecoder;
import io.livemux.rtmp.chunk.ChunkEncoder;
import io.livemux.rtmp.chunk.ChunkLimits;
import io.livemux.rtmp.chunk.ProtocolControl;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.command.RtmpCommand;
import io.livemux.rtmp.handshake.Handshake;
import io.livemux.rtmp.handshake.HandshakePacket;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A blocking RTMP client for tests: the handshake, commands, raw bytes, and reading the server's
 * messages. Honest when asked, hostile when the test sends raw bytes. One thread.
 */
final class RawClient implements Closeable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ChunkEncoder encoder = new ChunkEncoder();
  private final ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
  private final ByteBuffer pending = ByteBuffer.allocate(1 << 16);

  RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    pending.flip();
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void send(RtmpMessage message) throws IOException {
    ByteBuffer b = encoder.encode(message);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    send(bytes);
  }

  void handshake() throws IOException {
    byte[] random = new byte[HandshakePacket.RANDOM_LENGTH];
    new Random(7).nextBytes(random);
    Handshake h = Handshake.client(0, random, () -> 0);
    send(bytes(h.start()));
    byte[] buf = new byte[4096];
    while (!h.isDone()) {
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("server closed during the handshake");
      }
      ByteBuffer got = ByteBuffer.wrap(buf, 0, n);
      ByteBuffer reply = h.receive(got);
      if (reply.hasRemaining()) {
        send(bytes(reply));
      }
      if (got.hasRemaining()) {
        throw new IOException("server sent chunks before our C2");
      }
    }
  }

  void command(int messageStreamId, String name, double tid, Object object, Object... args)
      throws IOException {
    send(RtmpCommand.of(name, tid, object, args).toMessage(3, messageStreamId, 0));
  }

  /** connect to {@code app}, as ffmpeg does; returns the _result or _error. */
  RtmpCommand connect(String app) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("app", app);
    object.put("type", "nonprivate");
    object.put("tcUrl", "rtmp://127.0.0.1/" + app);
    command(0, "connect", 1, object);
    return nextCommand();
  }

  /** The next command message from the server, skipping control messages. */
  RtmpCommand nextCommand() throws IOException {
    while (true) {
      RtmpMessage m = next();
      if (m == null) {
        throw new IOException("server closed the connection");
      }
      if (m.typeId() == RtmpCommand.TYPE_AMF0) {
        return RtmpCommand.parse(m, io.livemux.rtmp.amf.Amf0Limits.defaults());
      }
    }
  }

  /** Sends a ping request and reads until its response: true once the server has read all we sent. */
  boolean ping() throws IOException {
    send(io.livemux.rtmp.chunk.UserControl.pingRequest(4242));
    for (RtmpMessage m = next(); m != null; m = next()) {
      if (m.typeId() == ProtocolControl.USER_CONTROL
          && io.livemux.rtmp.chunk.UserControl.parse(m).eventType()
              == io.livemux.rtmp.chunk.UserControl.PING_RESPONSE) {
        return true;
      }
    }
    return false;
  }

  /** The next message from the server, or null at end of stream. */
  RtmpMessage next() throws IOException {
    while (true) {
      RtmpMessage m = decoder.decode(pending);
      if (m != null) {
        return m;
      }
      pending.clear();
      int n = in.read(pending.array(), 0, pending.capacity());
      if (n < 0) {
        pending.limit(0);
        return null;
      }
      pending.limit(n);
    }
  }

  /**
   * True once the server closes the connection within {@code timeoutMs}, reading and discarding
   * what it sends; false if it is still open then.
   */
  boolean closedWithin(int timeoutMs) throws IOException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    byte[] buf = new byte[8192];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      socket.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by the server
      }
    }
  }

  static RtmpMessage setChunkSize(int size) {
    ByteBuffer b = ByteBuffer.allocate(4).putInt(size);
    b.flip();
    return RtmpMessage.of(2, ProtocolControl.SET_CHUNK_SIZE, 0, 0, b);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
