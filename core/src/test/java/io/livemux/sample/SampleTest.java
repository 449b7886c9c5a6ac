package io.livemux.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.PcmFormat;
import io.livemux.format.RawVideoFormat;
import io.livemux.time.MediaTime;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class SampleTest {
  private static final PcmFormat PCM = PcmFormat.s16le(48_000, 2);

  @Test
  void payload_isAZeroCopyReadOnlyViewOfTheRemainingBytes() {
    ByteBuffer source = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 4, 9});
    source.position(1).limit(5);
    Sample s = Sample.builder(PCM).presentationTimeTicks(0).payload(source).build();
    assertEquals(4, s.size());
    source.put(1, (byte) 7); // zero copy: the sample sees the caller's bytes
    ByteBuffer view = s.payload();
    assertTrue(view.isReadOnly());
    assertEquals(0, view.position());
    assertEquals(7, view.get(0));
    view.position(3);
    assertEquals(0, s.payload().position(), "each call gets its own position");
    assertThrows(ReadOnlyBufferException.class, () -> s.payload().put((byte) 0));
  }

  @Test
  void copyOfPayload_isIndependentOfTheCallersBuffer() {
    ByteBuffer source = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    Sample s = Sample.builder(PCM).presentationTimeTicks(0).copyOfPayload(source).build();
    source.put(0, (byte) 9);
    assertEquals(1, s.payload().get(0));
    assertEquals(0, source.position(), "the caller's position is untouched");
  }

  @Test
  void pcm_durationIsTheFrameCount_andAudioIsAlwaysSync() {
    Sample s = Sample.pcm(PCM, ByteBuffer.allocate(4096), 48_000);
    assertEquals(1024, s.durationTicks());
    assertEquals(48_000, s.timescale());
    assertTrue(s.isSync());
    assertEquals(MediaTime.of(1, 1), s.presentationTime());
  }

  @Test
  void pcm_partialFrame_isRefusedWithTheSize() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Sample.pcm(PCM, ByteBuffer.allocate(6), 0));
    assertTrue(e.getMessage().endsWith(": 6"), e.getMessage());
  }

  @Test
  void rawPicture_wrongSize_isRefusedWithExpectedAndActual() {
    RawVideoFormat odd = RawVideoFormat.yuv420p(3, 3); // 9 + 2 * 4
    assertEquals(17, odd.pictureSizeBytes());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sample.rawPicture(odd, ByteBuffer.allocate(16), 0, 90_000));
    assertTrue(e.getMessage().contains("17 bytes: 16"), e.getMessage());
    assertTrue(Sample.rawPicture(odd, ByteBuffer.allocate(17), 0, 90_000).isSync());
  }

  @Test
  void durationUnknown_untilSet() {
    Sample s = Sample.builder(PCM).presentationTimeTicks(5).payload(ByteBuffer.allocate(4)).build();
    assertFalse(s.hasDuration());
    assertFalse(s.duration().isValid());
    assertThrows(IllegalStateException.class, s::durationTicks);
    assertEquals(5, s.decodeTimeTicks(), "decode time defaults to presentation time");
  }

  @Test
  void builder_checksItsArguments() {
    Sample.Builder b = Sample.builder(PCM);
    assertThrows(IllegalStateException.class, () -> b.payload(ByteBuffer.allocate(4)).build());
    assertThrows(IllegalArgumentException.class, () -> b.durationTicks(-1));
    assertThrows(IllegalArgumentException.class, () -> b.flags(1 << 7));
    assertThrows(IllegalArgumentException.class, () -> b.timescale(0));
    assertThrows(ArithmeticException.class, () -> b.timescale(48_000).decodeTime(MediaTime.of(1, 7)));
  }

  @Test
  void times_inAnotherTimescale_areRescaledExactly() {
    Sample s =
        Sample.builder(RawVideoFormat.yuv420p(2, 2))
            .presentationTime(MediaTime.of(6000, 90_000))
            .decodeTime(MediaTime.of(1, 30))
            .duration(MediaTime.of(1, 30))
            .payload(ByteBuffer.allocate(6))
            .build();
    assertEquals(3000, s.decodeTimeTicks());
    assertEquals(3000, s.compositionOffsetTicks());
    assertEquals(3000, s.durationTicks());
  }

  @Test
  void copyPayloadTo_copiesExactlyThePayload_fromHeapReadOnlyAndDirectBuffers() {
    byte[] bytes = {9, 1, 2, 3, 4, 9};
    ByteBuffer heap = ByteBuffer.wrap(bytes, 1, 4);
    ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4});
    direct.flip();
    for (ByteBuffer source : new ByteBuffer[] {heap, heap.asReadOnlyBuffer(), direct}) {
      Sample s = Sample.builder(PCM).presentationTimeTicks(0).payload(source).build();
      ByteBuffer target = ByteBuffer.allocate(6);
      target.put((byte) 7);
      s.copyPayloadTo(target);
      assertEquals(5, target.position());
      assertEquals(ByteBuffer.wrap(new byte[] {7, 1, 2, 3, 4}), target.flip());
    }
  }

  @Test
  void copyPayloadRange_copiesExactlyThatRange_andRefusesRangesOutside() {
    byte[] bytes = {9, 1, 2, 3, 4, 9};
    ByteBuffer heap = ByteBuffer.wrap(bytes, 1, 4);
    ByteBuffer direct = ByteBuffer.allocateDirect(4).put(new byte[] {1, 2, 3, 4});
    direct.flip();
    for (ByteBuffer source : new ByteBuffer[] {heap, heap.asReadOnlyBuffer(), direct}) {
      Sample s = Sample.builder(PCM).presentationTimeTicks(0).payload(source).build();
      ByteBuffer target = ByteBuffer.allocate(4);
      s.copyPayloadTo(target, 1, 2);
      s.copyPayloadTo(target, 0, 0);
      s.copyPayloadTo(target, 3, 1);
      assertEquals(ByteBuffer.wrap(new byte[] {2, 3, 4}), target.flip());
      assertThrows(IndexOutOfBoundsException.class, () -> s.copyPayloadTo(ByteBuffer.allocate(9), 3, 2));
      assertThrows(IndexOutOfBoundsException.class, () -> s.copyPayloadTo(ByteBuffer.allocate(9), -1, 1));
    }
  }

  @Test
  void shiftedBy_movesBothTimes_andKeepsEverythingElse() {
    ByteBuffer bytes = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    Sample s = Sample.builder(PCM).timescale(1000).decodeTimeTicks(10).presentationTimeTicks(40)
        .durationTicks(20).flags(Sample.FLAG_SYNC).payload(bytes).build();
    Sample later = s.shiftedBy(1000);
    assertEquals(1010, later.decodeTimeTicks());
    assertEquals(1040, later.presentationTimeTicks());
    assertEquals(20, later.durationTicks());
    assertEquals(Sample.FLAG_SYNC, later.flags());
    assertEquals(1000, later.timescale());
    assertEquals(s.payload(), later.payload());
    ByteBuffer target = ByteBuffer.allocate(4);
    later.copyPayloadTo(target);
    assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), target.flip());
    org.junit.jupiter.api.Assertions.assertSame(s, s.shiftedBy(0));
    assertThrows(ArithmeticException.class, () -> s.shiftedBy(Long.MAX_VALUE));
  }
}
