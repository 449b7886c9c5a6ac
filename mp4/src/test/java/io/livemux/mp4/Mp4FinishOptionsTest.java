package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Mp4Options#withFsyncAtFinish} and {@link Mp4Options#withPayloadCopy}: the defaults keep the
 * recorder's durability (the file is forced at finish) and copy payloads; turning either off changes
 * not one byte of the file.
 */
class Mp4FinishOptionsTest {
  @TempDir Path dir;

  private static final Mp4Options BASE = Mp4Options.defaults().withFragmentDurationUs(150_000);

  @Test
  void defaults_forceTheFileAtFinish_andCopyPayloads() {
    assertTrue(Mp4Options.defaults().fsyncAtFinish());
    assertTrue(Mp4Options.defaults().payloadCopy());
    assertFalse(Mp4Options.defaults().withFsyncAtFinish(false).fsyncAtFinish());
    assertFalse(Mp4Options.defaults().withPayloadCopy(false).payloadCopy());
    // The other settings survive the new switches, and the switches survive the others.
    Mp4Options o = Mp4Options.defaults().withFsyncAtFinish(false).withPayloadCopy(false)
        .withFragmentDurationUs(500_000).withEnding(Mp4Options.Ending.FRAGMENTED);
    assertFalse(o.fsyncAtFinish());
    assertFalse(o.payloadCopy());
    assertEquals(500_000, o.fragmentDurationUs());
    assertEquals(Mp4Options.Ending.FRAGMENTED, o.ending());
  }

  @Test
  void finish_byDefault_forcesBeforeTheMdatHeaderAndAtTheEnd() throws Exception {
    AtomicInteger forces = new AtomicInteger();
    record(dir.resolve("default.mp4"), BASE, forces, false);
    assertEquals(2, forces.get(), "finalized: the moov before the placeholder turns mdat, then the end");
    forces.set(0);
    record(dir.resolve("fragmented.mp4"), BASE.withEnding(Mp4Options.Ending.FRAGMENTED), forces, false);
    assertEquals(1, forces.get(), "fragmented: once at the end");
  }

  @Test
  void finish_withoutFsync_forcesNothing_andWritesTheSameBytes() throws Exception {
    for (Mp4Options.Ending ending : Mp4Options.Ending.values()) {
      AtomicInteger forces = new AtomicInteger();
      Path synced = dir.resolve("synced-" + ending + ".mp4");
      Path unsynced = dir.resolve("unsynced-" + ending + ".mp4");
      record(synced, BASE.withEnding(ending), forces, false);
      forces.set(0);
      record(unsynced, BASE.withEnding(ending).withFsyncAtFinish(false), forces, false);
      assertEquals(0, forces.get(), ending.toString());
      assertArrayEquals(Files.readAllBytes(synced), Files.readAllBytes(unsynced), ending.toString());
    }
  }

  @Test
  void withoutPayloadCopy_fromDirectOrHeapPayloads_writesTheSameBytes_andTheSameFaststartCopy() throws Exception {
    for (Mp4Options.Ending ending : Mp4Options.Ending.values()) {
      Path copied = dir.resolve("copied-" + ending + ".mp4");
      record(copied, BASE.withEnding(ending), new AtomicInteger(), false);
      for (boolean direct : new boolean[] {true, false}) {
        Path viewed = dir.resolve("viewed-" + ending + "-" + direct + ".mp4");
        record(viewed, BASE.withEnding(ending).withPayloadCopy(false), new AtomicInteger(), direct);
        assertArrayEquals(Files.readAllBytes(copied), Files.readAllBytes(viewed), ending + ", direct " + direct);
      }
    }
    Path copied = dir.resolve("copied.mp4");
    Path copiedFast = dir.resolve("copied-faststart.mp4");
    Path viewed = dir.resolve("viewed.mp4");
    Path viewedFast = dir.resolve("viewed-faststart.mp4");
    recordWithFaststart(copied, BASE.withFaststartCopy(copiedFast));
    recordWithFaststart(viewed, BASE.withFaststartCopy(viewedFast).withPayloadCopy(false).withFsyncAtFinish(false));
    assertArrayEquals(Files.readAllBytes(copiedFast), Files.readAllBytes(viewedFast));
    Mp4RecorderTest.assertDecodesWithoutError(viewedFast);
  }

  @Test
  void withWriteBehind_writesTheSameBytes_forcesAsOften_andTheSameFaststartCopy() throws Exception {
    for (Mp4Options.Ending ending : Mp4Options.Ending.values()) {
      for (boolean copy : new boolean[] {true, false}) {
        AtomicInteger inlineForces = new AtomicInteger();
        AtomicInteger behindForces = new AtomicInteger();
        Path inline = dir.resolve("inline-" + ending + "-" + copy + ".mp4");
        Path behind = dir.resolve("behind-" + ending + "-" + copy + ".mp4");
        Mp4Options options = BASE.withEnding(ending).withPayloadCopy(copy);
        Mp4Result inlineResult = record(inline, options, inlineForces, true);
        Mp4Result behindResult = record(behind, options.withWriteBehind(true), behindForces, true);
        String what = ending + ", copy " + copy;
        assertArrayEquals(Files.readAllBytes(inline), Files.readAllBytes(behind), what);
        assertEquals(inlineForces.get(), behindForces.get(), what);
        assertEquals(inlineResult.sampleCount(), behindResult.sampleCount(), what);
        assertEquals(inlineResult.fragments(), behindResult.fragments(), what);
      }
    }
    Path inline = dir.resolve("inline.mp4");
    Path inlineFast = dir.resolve("inline-faststart.mp4");
    Path behind = dir.resolve("behind.mp4");
    Path behindFast = dir.resolve("behind-faststart.mp4");
    recordWithFaststart(inline, BASE.withFaststartCopy(inlineFast));
    recordWithFaststart(behind, BASE.withFaststartCopy(behindFast).withWriteBehind(true));
    assertArrayEquals(Files.readAllBytes(inlineFast), Files.readAllBytes(behindFast));
  }

  @Test
  void writerDrivenDirectly_onOneThread_writesWhatTheRecorderWrites() throws Exception {
    for (boolean writeBehind : new boolean[] {false, true}) {
      Path recorded = dir.resolve("recorded.mp4");
      Path direct = dir.resolve("direct-" + writeBehind + ".mp4");
      record(recorded, BASE, new AtomicInteger(), false);
      List<SourceMedia.SourceTrack> source = SmallRecordings.SOURCE;
      Mp4Writer writer = new Mp4Writer(direct, BASE.withWriteBehind(writeBehind));
      writer.start(SourceMedia.trackInfos(source));
      int[] next = new int[source.size()];
      for (int best; (best = SourceMedia.nextTrack(source, next)) >= 0; ) {
        writer.write(best, source.get(best).samples.get(next[best]++));
      }
      writer.finish();
      assertTrue(writer.result().isFinalized());
      assertArrayEquals(Files.readAllBytes(recorded), Files.readAllBytes(direct), "write-behind " + writeBehind);
    }
  }

  @Test
  void withWriteBehind_aFailedWrite_failsTheNextCall_namingTheWrite_andFinishSaysSo() throws Exception {
    Path out = dir.resolve("failing.mp4");
    // The disk fails from its fourth write on: the header, two fragments' bytes, then an error.
    FileOutput.Opener failing = ObservedOutput.failingAfter(3, "disk full (test)");
    List<SourceMedia.SourceTrack> source = SmallRecordings.SOURCE;
    Mp4Writer writer = new Mp4Writer(out, BASE.withWriteBehind(true), failing);
    writer.start(SourceMedia.trackInfos(source));
    int[] next = new int[source.size()];
    IOException failure = null;
    try {
      for (int best; (best = SourceMedia.nextTrack(source, next)) >= 0; ) {
        writer.write(best, source.get(best).samples.get(next[best]++));
      }
      writer.finish();
    } catch (IOException e) {
      failure = e;
    }
    assertTrue(failure instanceof Mp4Exception, String.valueOf(failure));
    assertTrue(failure.getMessage().contains("disk full (test)"), failure.getMessage());
    assertTrue(failure.getMessage().contains("at offset"), failure.getMessage());
  }

  @Test
  void aFailedWriter_hasClosedItsFile_andItsWriteBehindThreadEnds() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    FileOutput.Opener counting = ObservedOutput.counting(new AtomicInteger(), closes);
    List<SourceMedia.SourceTrack> source = SmallRecordings.SOURCE;
    Path out = dir.resolve("failed.mp4");
    Mp4Writer writer = new Mp4Writer(out, BASE.withWriteBehind(true), counting);
    writer.start(SourceMedia.trackInfos(source));
    int[] next = new int[source.size()];
    for (int i = 0, best; i < 10 && (best = SourceMedia.nextTrack(source, next)) >= 0; i++) {
      writer.write(best, source.get(best).samples.get(next[best]++));
    }
    // A change of parameters mid-recording is refused: the writer is failed from then on.
    assertThrows(Mp4Exception.class, () -> writer.formatChanged(0, source.get(1).format));
    assertEquals(1, closes.get(), "the failed writer closed its file");
    String name = "livemux-mp4-write " + out.getFileName();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (threadNamed(name) != null && System.nanoTime() < deadline) {
      Thread alive = threadNamed(name);
      if (alive != null) {
        alive.join(100);
      }
    }
    assertEquals(null, threadNamed(name), "the write-behind thread ended");
  }

  private static Thread threadNamed(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name) && t.isAlive()) {
        return t;
      }
    }
    return null;
  }

  private static void recordWithFaststart(Path out, Mp4Options options) throws Exception {
    Mp4Recorder recorder = Mp4Recorder.create(out, options);
    feed(recorder, false);
    assertTrue(recorder.finish().get(10, TimeUnit.SECONDS).isFinalized());
    recorder.faststartCopy().get(10, TimeUnit.SECONDS);
  }

  /** Records the small ffmpeg source through a file that counts forces; payloads moved to direct buffers if asked. */
  private static Mp4Result record(Path out, Mp4Options options, AtomicInteger forces, boolean direct)
      throws Exception {
    FileOutput.Opener counting = ObservedOutput.counting(forces, new AtomicInteger());
    Mp4Recorder recorder = Mp4Recorder.create(out, options, counting);
    feed(recorder, direct);
    return recorder.finish().get(10, TimeUnit.SECONDS);
  }

  /** Appends every sample of {@link SmallRecordings#SOURCE} in decode-time order. */
  private static void feed(Mp4Recorder recorder, boolean direct) throws Exception {
    Mp4RecorderTest.feed(SmallRecordings.SOURCE, recorder, direct ? Mp4FinishOptionsTest::onDirectBuffer : s -> s);
  }

  private static Sample onDirectBuffer(Sample s) {
    ByteBuffer direct = ByteBuffer.allocateDirect(s.size());
    direct.put(s.payload());
    ((java.nio.Buffer) direct).flip();
    Sample.Builder b = Sample.builder(s.format()).timescale(s.timescale())
        .presentationTimeTicks(s.presentationTimeTicks()).decodeTimeTicks(s.decodeTimeTicks())
        .flags(s.flags()).payload(direct);
    if (s.hasDuration()) {
      b.durationTicks(s.durationTicks());
    }
    return b.build();
  }

}
