package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.mp4.Mp4Reader;
import io.livemux.pipeline.SinkOutcome;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.command.NetStatus;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a publisher sent before it unpublished or disconnected is recorded, even the samples
 * the server still holds then: those waiting for the other track's sequence header (the pipeline
 * has not started) and those a full recording lane has not taken yet.
 */
class RtmpServerEndOfStreamTest {
  private static final int FRAMES = 40;
  private static final int FRAME_BYTES = 4000;

  @TempDir Path dir;

  /**
   * Audio only, no metadata, under the 2 s start wait: the server waits for a video sequence header
   * that never comes, holding every frame. 160 kB held against a 64 KiB recording lane, so the
   * lane is full when the stream ends and the rest must wait for room.
   */
  @Test
  void deleteStreamThenClose_whileSamplesAreHeld_recordsEverySampleByteExact() throws Exception {
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec"))
        .withMaxQueuedBytesPerRecording(64 << 10));
    List<byte[]> sent = new ArrayList<>();
    try {
      try (RawClient c = new RawClient(server.port())) {
        publishAudio(c, "live/held", sent);
        c.command(0, "FCUnpublish", 4, null, "held");
        c.command(0, "deleteStream", 5, null, 1.0);
      }
      assertRecorded(recordings.next(10), sent);
    } finally {
      server.stop();
    }
  }

  /** The same, ended only by the publisher's close (EOF), with no unpublish command. */
  @Test
  void closeWithoutUnpublish_whileSamplesAreHeld_recordsEverySampleByteExact() throws Exception {
    Recordings recordings = new Recordings();
    RtmpServer server = RtmpServer.start(recordings.options(dir.resolve("rec"))
        .withMaxQueuedBytesPerRecording(64 << 10));
    List<byte[]> sent = new ArrayList<>();
    try {
      try (RawClient c = new RawClient(server.port())) {
        publishAudio(c, "live/eof", sent);
      }
      assertRecorded(recordings.next(10), sent);
    } finally {
      server.stop();
    }
  }

  /** Publishes an AAC sequence header and {@link #FRAMES} random frames 23 ms apart. */
  private static void publishAudio(RawClient c, String appAndKey, List<byte[]> sent)
      throws Exception {
    String[] parts = appAndKey.split("/");
    NetStatus status = RtmpServerCommandsTest.publish(c, parts[0], parts[1]);
    assertEquals(NetStatus.PUBLISH_START, status.code());
    c.socket.setSendBufferSize(1 << 20);
    // FLV 10.1 E.4.2.1: AAC (10), 44 kHz, 16 bit, stereo; AACPacketType 0; AudioSpecificConfig
    // AAC LC, 44100 Hz, 2 channels.
    c.send(RtmpMessage.of(4, 8, 1, 0, new byte[] {(byte) 0xAF, 0, 0x12, 0x10}));
    Random random = new Random(11);
    for (int i = 0; i < FRAMES; i++) {
      byte[] frame = new byte[FRAME_BYTES];
      random.nextBytes(frame);
      sent.add(frame);
      ByteBuffer body = ByteBuffer.allocate(2 + FRAME_BYTES);
      body.put((byte) 0xAF).put((byte) 1).put(frame);
      body.flip();
      c.send(RtmpMessage.of(4, 8, 1, i * 23L, body));
    }
  }

  private static void assertRecorded(Recording r, List<byte[]> sent) throws Exception {
    assertEquals(SinkOutcome.COMPLETED, r.result().sink(0).outcome(), r.toString());
    assertEquals(sent.size(), r.result().sink(0).written(), r.toString());
    try (Mp4Reader reader = Mp4Reader.open(r.mp4())) {
      for (int i = 0; i < sent.size(); i++) {
        assertTrue(reader.advance(), "sample " + i + " of " + sent.size() + " is missing");
        Sample s = reader.sample();
        ByteBuffer got = ByteBuffer.allocate(s.size());
        s.copyPayloadTo(got);
        assertArrayEquals(sent.get(i), got.array(), "sample " + i);
      }
      assertFalse(reader.advance(), "more samples than sent");
    }
  }
}
