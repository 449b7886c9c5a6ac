package io.livemux.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import io.livemux.testing.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.mp4parser.Box;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.MovieFragmentBox;
import org.mp4parser.boxes.iso14496.part12.SampleSizeBox;
import org.mp4parser.boxes.iso14496.part12.TrackFragmentBox;
import org.mp4parser.boxes.iso14496.part12.TrackRunBox;

/**
 * finish() always completes within its bound — with producers appending on other threads at
 * random rates, at random moments, and with a disk that may stall for good — and every sample a
 * producer handed over is in the file or reported as rejected or dropped, never lost silently.
 */
class Mp4FinishProperties {
  private static Path dir;
  private static List<SourceMedia.SourceTrack> source;

  @BeforeContainer
  static void makeSource() throws Exception {
    dir = Files.createTempDirectory("mp4-finish");
    Path mp4 = dir.resolve("source.mp4");
    Peers.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
        "-c:v", "libx264", "-bf", "2", "-g", "10", "-pix_fmt", "yuv420p", "-c:a", "aac", mp4.toString());
    source = SourceMedia.read(mp4);
  }

  @AfterContainer
  static void cleanUp() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 40)
  void finish_completesWithinBound_andEverySampleIsAccountedFor(
      @ForAll boolean videoRealTime,
      @ForAll boolean audioRealTime,
      @ForAll @IntRange(min = 0, max = 250) int finishAfterAppends,
      @ForAll @IntRange(min = 50, max = 400) int finishTimeoutMs,
      @ForAll @IntRange(min = -1, max = 12) int stallAfterWrites,
      @ForAll @LongRange(min = 0, max = 2_000_000) long slowWriteNanos,
      @ForAll @LongRange(min = 0, max = 200_000) long producerPauseNanos,
      @ForAll @IntRange(min = 50, max = 600) int fragmentMs) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".mp4");
    Mp4Options options = Mp4Options.defaults()
        .withFragmentDurationUs(fragmentMs * 1000L)
        .withFinishTimeout(Duration.ofMillis(finishTimeoutMs));
    Mp4Recorder recorder =
        Mp4Recorder.create(out, options, StallingOutput.opener(stallAfterWrites, slowWriteNanos));
    boolean[] realTime = {videoRealTime, audioRealTime};
    List<WriterInput> inputs = new ArrayList<>();
    for (int t = 0; t < source.size(); t++) {
      inputs.add(recorder.addTrack(source.get(t).format, realTime[t]));
    }
    recorder.start();
    AtomicLong appends = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong droppedAtAppend = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < source.size(); t++) {
      int track = t;
      Thread producer = new Thread(() -> {
        try {
          for (Sample s : source.get(track).samples) {
            AppendResult r;
            while ((r = inputs.get(track).append(s)) == AppendResult.NOT_READY) {
              if (!inputs.get(track).awaitReady(10, TimeUnit.SECONDS)) {
                break;
              }
            }
            appends.incrementAndGet();
            if (r == AppendResult.ACCEPTED) {
              accepted.incrementAndGet();
            } else if (r == AppendResult.DROPPED) {
              droppedAtAppend.incrementAndGet();
            } else if (r == AppendResult.REJECTED_FINISHED) {
              rejected.incrementAndGet();
              break; // a producer stops once its input is finished
            } else if (r == AppendResult.NOT_READY) {
              break; // finished while waiting: never handed over
            }
            long end = System.nanoTime() + producerPauseNanos;
            while (System.nanoTime() < end) {
              Thread.onSpinWait();
            }
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      producers.add(producer);
      producer.start();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (appends.get() < finishAfterAppends && producers.stream().anyMatch(Thread::isAlive)) {
      assertTrue(System.nanoTime() < deadline, "producers made no progress");
      Thread.onSpinWait();
    }
    long start = System.nanoTime();
    Mp4Result result = recorder.finish().get(finishTimeoutMs + 5_000L, TimeUnit.MILLISECONDS);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    for (Thread p : producers) {
      p.join(20_000);
      assertTrue(!p.isAlive(), "a producer was blocked after finish");
    }
    if (failure.get() != null) {
      throw new AssertionError("producer failed", failure.get());
    }
    assertTrue(elapsedMs <= finishTimeoutMs + 1_000, "finish took " + elapsedMs + " ms, bound " + finishTimeoutMs);
    // Every sample taken is in the file, timed before the start, or reported dropped: exactly.
    assertEquals(accepted.get() + droppedAtAppend.get(),
        result.sampleCount() + result.samplesBeforeStart() + result.samplesDropped(),
        "every sample taken is in the file or reported: " + result);
    // Rejections are counted up to the result; producers may see more after it.
    assertTrue(result.samplesRejected() <= rejected.get(), result + " vs " + rejected.get() + " seen");
    assertEquals(result.sampleCount(), samplesInFile(out), "what the result says is in the file is there");
    if (stallAfterWrites < 0 && result.isFinalized() && !videoRealTime && !audioRealTime) {
      assertEquals(0, result.samplesDropped(), "nothing dropped when the disk keeps up: " + result);
    }
  }

  /** Samples in the file, read by mp4parser: the final moov's tables, or the published fragments. */
  private static long samplesInFile(Path file) throws Exception {
    if (Files.size(file) == 0) {
      return 0;
    }
    try (IsoFile iso = new IsoFile(file.toString())) {
      long count = 0;
      boolean finalized = false;
      for (Box box : iso.getBoxes()) {
        if (box.getType().equals("mdat") && iso.getBoxes().get(0).getType().equals("ftyp")
            && iso.getBoxes().indexOf(box) == 1) {
          finalized = true;
        }
      }
      if (finalized) {
        for (SampleSizeBox stsz : org.mp4parser.tools.Path.<SampleSizeBox>getPaths(iso, "moov/trak/mdia/minf/stbl/stsz")) {
          count += stsz.getSampleCount();
        }
        return count;
      }
      for (MovieFragmentBox moof : iso.getBoxes(MovieFragmentBox.class)) {
        for (TrackFragmentBox traf : moof.getBoxes(TrackFragmentBox.class)) {
          for (TrackRunBox trun : traf.getBoxes(TrackRunBox.class)) {
            count += trun.getSampleCount();
          }
        }
      }
      return count;
    }
  }
}
