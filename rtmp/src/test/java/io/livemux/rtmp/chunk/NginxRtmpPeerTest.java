package io.livemux.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.rtmp.amf.Amf0Decoder;
import io.livemux.rtmp.amf.Amf0Encoder;
import io.livemux.rtmp.handshake.Handshake;
import io.livemux.rtmp.handshake.HandshakePacket;
import io.livemux.rtmp.testing.NginxRtmp;
import io.livemux.testing.Peers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against nginx-rtmp: our simple handshake is accepted, our chunked connect command is understood,
 * and we decode nginx's answer (Window Acknowledgement Size, Set Peer Bandwidth, Set Chunk Size
 * 4000, then a _result that is only one chunk if the new chunk size was applied).
 */
class NginxRtmpPeerTest {
  @TempDir Path dir;

  @Test
  void nginxRtmp_acceptsOurHandshakeAndConnect_andWeDecodeItsAnswer() throws Exception {
    try (NginxRtmp nginx = NginxRtmp.start(dir);
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", nginx.port()), 5000);
      socket.setSoTimeout(5000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      byte[] random = new byte[HandshakePacket.RANDOM_LENGTH];
      new Random(1).nextBytes(random);
      Handshake handshake = Handshake.client(0, random, () -> 1);
      write(out, handshake.start());
      byte[] buffer = new byte[8192];
      ByteBuffer rest = ByteBuffer.allocate(0);
      while (!handshake.isDone()) {
        int n = in.read(buffer);
        assertTrue(n > 0, "nginx closed during the handshake");
        rest = ByteBuffer.wrap(buffer, 0, n);
        write(out, handshake.receive(rest));
      }

      ChunkEncoder encoder = new ChunkEncoder();
      write(out, encoder.encode(ProtocolControl.setChunkSize(4096)));
      encoder.setChunkSize(4096);
      Map<String, Object> command = new LinkedHashMap<>();
      command.put("app", "live");
      command.put("type", "nonprivate");
      command.put("flashVer", "FMLE/3.0 (compatible; livemux)");
      command.put("tcUrl", "rtmp://127.0.0.1:" + nginx.port() + "/live");
      write(out, encoder.encode(
          RtmpMessage.of(3, 20, 0, 0, Amf0Encoder.encode("connect", 1.0, command))));

      ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.defaults());
      List<RtmpMessage> got = new ArrayList<>();
      String result = null;
      ByteBuffer input = ByteBuffer.wrap(rest.array(), rest.position(), rest.remaining());
      while (result == null) {
        RtmpMessage m;
        while ((m = decoder.decode(input)) != null) {
          got.add(m);
          if (m.typeId() == 20) {
            assertTrue(m.length() > 128, "a _result longer than the default chunk size: " + m);
            result = (String) Amf0Decoder.withDefaults().decodeAll(m.payload()).get(0);
          }
        }
        if (result == null) {
          int n = in.read(buffer);
          assertTrue(n > 0, "nginx closed after " + got);
          input = ByteBuffer.wrap(buffer, 0, n);
        }
      }
      assertEquals("_result", result, got.toString());
      long window = -1;
      PeerBandwidth bandwidth = null;
      for (RtmpMessage m : got) {
        if (m.typeId() == ProtocolControl.WINDOW_ACKNOWLEDGEMENT_SIZE) {
          window = ProtocolControl.parseWindowAcknowledgementSize(m);
        } else if (m.typeId() == ProtocolControl.SET_PEER_BANDWIDTH) {
          bandwidth = ProtocolControl.parseSetPeerBandwidth(m);
        }
      }
      assertTrue(window > 0, "Window Acknowledgement Size in " + got);
      assertTrue(bandwidth != null, "Set Peer Bandwidth in " + got);
      assertEquals(4000, decoder.chunkSize(), "nginx's chunk_size applied: " + got);
    }
  }

  private static void write(OutputStream out, ByteBuffer b) throws IOException {
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    out.write(bytes);
    out.flush();
  }
}
