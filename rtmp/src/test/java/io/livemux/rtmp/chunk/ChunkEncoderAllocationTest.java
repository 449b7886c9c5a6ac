package io.livemux.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A coarse guard for the JMH target: encoding into a caller's buffer allocates <= 64 bytes a message. */
class ChunkEncoderAllocationTest {
  @Test
  void encodeIntoCallersBuffer_allocatesAtMost64BytesPerMessage() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (!(bean instanceof com.sun.management.ThreadMXBean)) {
      return; // not measurable on this JVM
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    ChunkEncoder encoder = new ChunkEncoder();
    encoder.setChunkSize(4096);
    RtmpMessage[] messages = new RtmpMessage[4];
    for (int i = 0; i < messages.length; i++) {
      messages[i] = RtmpMessage.of(4 + i % 2, 9, 1, 0x1000000L + i, new byte[3000 + i]);
    }
    ByteBuffer out = ByteBuffer.allocate(64 << 10);
    int rounds = 200_000;
    for (int warm = 0; warm < 2; warm++) {
      long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      for (int i = 0; i < rounds; i++) {
        ((Buffer) out).clear();
        encoder.encode(messages[i & 3], out);
      }
      long perMessage = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / rounds;
      if (warm == 1) {
        assertTrue(perMessage <= 64, "allocated " + perMessage + " bytes per message");
      }
    }
  }
}
