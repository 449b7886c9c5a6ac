package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private static void recordWithFaststart(Path out, Mp4Options options) throws Exception {
    Mp4Recorder recorder = Mp4Recorder.create(out, options);
    feed(recorder, false);
    assertTrue(recorder.finish().get(10, TimeUnit.SECONDS).isFinalized());
    recorder.faststartCopy().get(10, TimeUnit.SECONDS);
  }

  /** Records the small ffmpeg source through a file that counts forces; payloads moved to direct buffers if asked. */
  private static Mp4Result record(Path out, Mp4Options options, AtomicInteger forces, boolean direct)
      throws Exception {
    FileOutput.Opener counting = path -> new CountingForces(FileOutput.openFile(path), forces);
    Mp4Recorder recorder = Mp4Recorder.create(out, options, counting);
    feed(recorder, direct);
    return recorder.finish().get(10, TimeUnit.SECONDS);
  }

  /** Appends every sample of {@link SmallRecordings#SOURCE} in decode-time order. */
  private static void feed(Mp4Recorder recorder, boolean direct) throws Exception {
    List<SourceMedia.SourceTrack> source = SmallRecordings.SOURCE;
    List<WriterInput> inputs = new ArrayList<>();
    for (SourceMedia.SourceTrack t : source) {
      inputs.add(recorder.addTrack(t.format, false));
    }
    recorder.start();
    int[] next = new int[source.size()];
    while (true) {
      int best = -1;
      for (int t = 0; t < source.size(); t++) {
        if (next[t] < source.get(t).samples.size()
            && (best < 0 || source.get(t).samples.get(next[t]).decodeTime()
                .compareTo(source.get(best).samples.get(next[best]).decodeTime()) < 0)) {
          best = t;
        }
      }
      if (best < 0) {
        break;
      }
      Sample s = source.get(best).samples.get(next[best]++);
      if (direct) {
        s = onDirectBuffer(s);
      }
      while (inputs.get(best).append(s) == AppendResult.NOT_READY) {
        assertTrue(inputs.get(best).awaitReady(10, TimeUnit.SECONDS));
      }
    }
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

  /** A file output that counts its forces. */
  private static final class CountingForces implements FileOutput {
    private final FileOutput file;
    private final AtomicInteger forces;

    CountingForces(FileOutput file, AtomicInteger forces) {
      this.file = file;
      this.forces = forces;
    }

    @Override
    public void write(ByteBuffer[] parts, int count, long position) throws IOException {
      file.write(parts, count, position);
    }

    @Override
    public void write(ByteBuffer data, long position) throws IOException {
      file.write(data, position);
    }

    @Override
    public void force() throws IOException {
      forces.incrementAndGet();
      file.force();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
