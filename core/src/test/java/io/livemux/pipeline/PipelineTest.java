package io.livemux.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.PcmFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PipelineTest {

  @Test
  void losslessSink_getsEverySampleInOrder_andFinishes() throws Exception {
    RecordingSink sink = new RecordingSink();
    Pipeline p = Pipeline.builder().addSink(sink, SinkOptions.lossless()).build();
    WriterInput video = p.addInput(Samples.VIDEO, false);
    WriterInput audio = p.addInput(Samples.AUDIO, false);
    p.start();
    for (int i = 0; i < 1000; i++) {
      appendWhenReady(video, Samples.gopVideo(i, 30));
      appendWhenReady(audio, Samples.audio(i));
    }
    PipelineResult result = p.finish().get(5, TimeUnit.SECONDS);
    assertTrue(result.isComplete(), result.toString());
    assertEquals(2000, result.sink(0).written());
    assertEquals(0, result.sink(0).dropped());
    assertTrue(sink.finished);
    List<Long> pts = sink.ptsOfTrack(0);
    for (int i = 0; i < pts.size(); i++) {
      assertEquals(i * 3000L, pts.get(i));
    }
    assertEquals("start 2", sink.events.get(0));
    assertEquals("finish", sink.events.get(sink.events.size() - 1));
  }

  @Test
  void realTimeSink_whenStalled_dropsDisposableFirst_thenUntilKeyframe_andNeverBlocks() throws Exception {
    RecordingSink stalled = new RecordingSink();
    stalled.gate = new CountDownLatch(1);
    Pipeline p =
        Pipeline.builder()
            .addSink(stalled, SinkOptions.realTime().withMaxQueuedSamples(8).withName("net"))
            .build();
    WriterInput video = p.addInput(Samples.VIDEO, true);
    p.start();
    // The worker takes the first sample and blocks in write(); then 8 fit in the queue.
    List<AppendResult> results = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      results.add(video.append(Samples.gopVideo(i, 30)));
    }
    SinkStats stats = p.sinkStats(0);
    assertTrue(stats.dropped(DropReason.DISPOSABLE) > 0, stats.toString());
    assertTrue(stats.dropped(DropReason.UNTIL_KEYFRAME) > 0, stats.toString());
    assertEquals(0, stats.dropped(DropReason.AUDIO_OVERFLOW));
    stalled.gate.countDown();
    PipelineResult result = p.finish().get(5, TimeUnit.SECONDS);
    SinkStats end = result.sink(0);
    assertEquals(60, end.offered());
    assertEquals(end.offered(), end.written() + end.dropped(), end.toString());
    // What was written is decodable: after any dropped reference frame, the next written
    // non-disposable frame of the track is a keyframe.
    assertDecodable(stalled.ptsOfTrack(0), 30);
    assertTrue(results.contains(AppendResult.DROPPED));
  }

  /** Every written P frame's reference (the previous non-disposable frame) was written too. */
  private static void assertDecodable(List<Long> writtenPts, int gop) {
    long lastReference = -1;
    for (long pts : writtenPts) {
      long n = pts / 3000;
      boolean sync = n % gop == 0;
      boolean disposable = !sync && n % 2 == 1;
      long previousReference = n % 2 == 0 ? n - 2 : n - 1;
      if (!sync) {
        assertEquals(previousReference, lastReference, "frame " + n + " written without its reference");
      }
      if (!disposable) {
        lastReference = n;
      }
    }
  }

  @Test
  void audio_isDroppedOnlyWhenNoVideoIsLeft() throws Exception {
    RecordingSink stalled = new RecordingSink();
    stalled.gate = new CountDownLatch(1);
    Pipeline p =
        Pipeline.builder()
            .addSink(stalled, SinkOptions.realTime().withMaxQueuedSamples(6))
            .build();
    WriterInput video = p.addInput(Samples.VIDEO, true);
    WriterInput audio = p.addInput(Samples.AUDIO, true);
    p.start();
    awaitWriteBlocked(p, video);
    // Frame 0 is in the worker's hands and counts toward the bound of 6: five more fit.
    for (int i = 1; i <= 5; i++) {
      assertEquals(AppendResult.ACCEPTED, video.append(Samples.video(i, false, false)));
    }
    // Queue full of reference video: audio evicts video (newest first) rather than being dropped.
    for (int i = 0; i < 5; i++) {
      assertEquals(AppendResult.ACCEPTED, audio.append(Samples.audio(i)));
    }
    SinkStats stats = p.sinkStats(0);
    assertEquals(5, stats.dropped(DropReason.UNTIL_KEYFRAME), stats.toString());
    assertEquals(0, stats.dropped(DropReason.AUDIO_OVERFLOW));
    // The video track now waits for a keyframe: its next P frame is dropped on sight.
    assertEquals(AppendResult.DROPPED, video.append(Samples.video(6, false, false)));
    assertEquals(6, p.sinkStats(0).dropped(DropReason.UNTIL_KEYFRAME));
    // Only audio left: now audio goes.
    assertEquals(AppendResult.DROPPED, audio.append(Samples.audio(5)));
    assertEquals(1, p.sinkStats(0).dropped(DropReason.AUDIO_OVERFLOW));
    // The video track waits for a keyframe.
    stalled.gate.countDown();
    p.finish().get(5, TimeUnit.SECONDS);
  }

  /** Appends the first frame and waits until the worker has taken it (and is stuck in write). */
  private static void awaitWriteBlocked(Pipeline p, WriterInput video) throws InterruptedException {
    video.append(Samples.video(0, true, false));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (p.sinkStats(0).inFlightSamples() == 0) {
      assertTrue(System.nanoTime() < deadline, "worker never took the first sample");
      Thread.onSpinWait();
    }
  }

  @Test
  void stalledRealTimeSink_neverDelaysLosslessSink() throws Exception {
    RecordingSink file = new RecordingSink();
    RecordingSink net = new RecordingSink();
    net.gate = new CountDownLatch(1);
    Pipeline p =
        Pipeline.builder()
            .addSink(file, SinkOptions.lossless().withName("file"))
            .addSink(net, SinkOptions.realTime().withMaxQueuedSamples(16).withName("net"))
            .finishTimeout(Duration.ofMillis(500))
            .build();
    WriterInput video = p.addInput(Samples.VIDEO, false);
    p.start();
    for (int i = 0; i < 3000; i++) {
      appendWhenReady(video, Samples.gopVideo(i, 30));
    }
    long start = System.nanoTime();
    PipelineResult result = p.finish().get(5, TimeUnit.SECONDS);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(SinkOutcome.COMPLETED, result.sink(0).outcome());
    assertEquals(3000, result.sink(0).written());
    assertEquals(SinkOutcome.TIMED_OUT, result.sink(1).outcome());
    assertTrue(net.cancelled);
    SinkStats netStats = result.sink(1);
    assertEquals(3000, netStats.offered());
    assertEquals(netStats.offered(), netStats.written() + netStats.dropped(), netStats.toString());
    assertTrue(elapsedMs < 2000, "finish took " + elapsedMs + " ms");
  }

  @Test
  void notRealTimeInput_reportsNotReady_whenLosslessQueueIsFull_andAwaitReadyWakesUp() throws Exception {
    RecordingSink sink = new RecordingSink();
    sink.gate = new CountDownLatch(1);
    Pipeline p =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedSamples(4)).build();
    WriterInput audio = p.addInput(Samples.AUDIO, false);
    p.start();
    int accepted = 0;
    AppendResult r;
    long n = 0;
    while ((r = audio.append(Samples.audio(n))) == AppendResult.ACCEPTED) {
      accepted++;
      n++;
      assertTrue(accepted < 100, "never became not-ready");
    }
    assertEquals(AppendResult.NOT_READY, r);
    assertFalse(audio.isReadyForMoreMediaData());
    assertFalse(audio.awaitReady(20, TimeUnit.MILLISECONDS));
    sink.gate.countDown();
    assertTrue(audio.awaitReady(5, TimeUnit.SECONDS));
    assertEquals(AppendResult.ACCEPTED, audio.append(Samples.audio(n)));
    assertEquals(accepted + 1, p.finish().get(5, TimeUnit.SECONDS).sink(0).written());
  }

  @Test
  void failingSink_isIsolated_andItsDropsAreCounted() throws Exception {
    RecordingSink good = new RecordingSink();
    RecordingSink bad = new RecordingSink();
    bad.failAtWrite = 10;
    Pipeline p =
        Pipeline.builder()
            .addSink(good, SinkOptions.lossless())
            .addSink(bad, SinkOptions.lossless())
            .build();
    WriterInput audio = p.addInput(Samples.AUDIO, false);
    p.start();
    for (int i = 0; i < 500; i++) {
      appendWhenReady(audio, Samples.audio(i));
    }
    PipelineResult result = p.finish().get(5, TimeUnit.SECONDS);
    assertEquals(500, result.sink(0).written());
    SinkStats failed = result.sink(1);
    assertEquals(SinkOutcome.FAILED, failed.outcome());
    assertTrue(failed.failure().getMessage().contains("No space left"), failed.toString());
    assertEquals(10, failed.written());
    assertEquals(500, failed.offered());
    assertEquals(490, failed.dropped(DropReason.SINK_FAILED), failed.toString());
  }

  @Test
  void decodeTimeGoingBackwards_isRefusedWithBothTimes() {
    Pipeline p = Pipeline.builder().addSink(new RecordingSink(), SinkOptions.lossless()).build();
    WriterInput video = p.addInput(Samples.VIDEO, true);
    p.start();
    video.append(Samples.video(10, true, false));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> video.append(Samples.video(9, true, false)));
    assertTrue(e.getMessage().contains("27000/90000 after 30000/90000"), e.getMessage());
    p.cancel();
  }

  @Test
  void formatChange_isSignalledToTheSinkBeforeTheSample() throws Exception {
    RecordingSink sink = new RecordingSink();
    Pipeline p = Pipeline.builder().addSink(sink, SinkOptions.lossless()).build();
    WriterInput audio = p.addInput(Samples.AUDIO, false);
    p.start();
    appendWhenReady(audio, Samples.audio(0));
    PcmFormat stereo = PcmFormat.s16le(48_000, 2);
    appendWhenReady(audio, Sample.pcm(stereo, ByteBuffer.allocate(4), 1024));
    p.finish().get(5, TimeUnit.SECONDS);
    int change = sink.events.indexOf("formatChanged 0 " + stereo);
    assertTrue(change > 0, sink.events.toString());
    assertEquals("write 0 1024", sink.events.get(change + 1));
    assertEquals(1, audio.formatChangeCount());
  }

  @Test
  void sampleOfAnotherKind_isRefusedNamingBoth() {
    Pipeline p = Pipeline.builder().addSink(new RecordingSink(), SinkOptions.lossless()).build();
    WriterInput video = p.addInput(Samples.VIDEO, true);
    p.start();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> video.append(Samples.audio(0)));
    assertTrue(e.getMessage().contains("video/raw") && e.getMessage().contains("audio/raw"), e.getMessage());
    p.cancel();
  }

  @Test
  void appendAfterFinish_isRejectedAndCounted() throws Exception {
    Pipeline p = Pipeline.builder().addSink(new RecordingSink(), SinkOptions.lossless()).build();
    WriterInput audio = p.addInput(Samples.AUDIO, true);
    p.start();
    PipelineResult result = p.finish().get(5, TimeUnit.SECONDS);
    assertEquals(AppendResult.REJECTED_FINISHED, audio.append(Samples.audio(0)));
    assertEquals(1, audio.rejectedCount());
    assertTrue(result.isComplete());
  }

  @Test
  void pullCallback_isCalledWhileReady_untilMarkedFinished() throws Exception {
    RecordingSink sink = new RecordingSink();
    sink.writeDelayNanos = 20_000;
    Pipeline p =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedSamples(8)).build();
    WriterInput audio = p.addInput(Samples.AUDIO, false);
    p.start();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    AtomicLong next = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    audio.requestMediaDataWhenReady(
        executor,
        () -> {
          while (audio.isReadyForMoreMediaData() && next.get() < 300) {
            assertEquals(AppendResult.ACCEPTED, audio.append(Samples.audio(next.getAndIncrement())));
          }
          if (next.get() == 300) {
            audio.markAsFinished();
            done.countDown();
          }
        });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    PipelineResult result = p.finish().get(5, TimeUnit.SECONDS);
    executor.shutdown();
    assertEquals(300, result.sink(0).written());
  }

  @Test
  void cancel_stopsAtOnce_andCountsQueuedAsCancelled() throws Exception {
    RecordingSink sink = new RecordingSink();
    sink.gate = new CountDownLatch(1);
    Pipeline p = Pipeline.builder().addSink(sink, SinkOptions.lossless()).build();
    WriterInput audio = p.addInput(Samples.AUDIO, true);
    p.start();
    for (int i = 0; i < 50; i++) {
      audio.append(Samples.audio(i));
    }
    PipelineResult result = p.cancel();
    SinkStats s = result.sink(0);
    assertEquals(SinkOutcome.CANCELLED, s.outcome());
    assertEquals(50, s.dropped(DropReason.CANCELLED) + s.written());
    assertTrue(sink.cancelled);
    assertEquals(result.toString(), p.finish().get(1, TimeUnit.SECONDS).toString());
  }

  @Test
  void queue_isBoundedByBytes() throws Exception {
    RecordingSink sink = new RecordingSink();
    sink.gate = new CountDownLatch(1);
    Pipeline p =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedBytes(10 * 4096)).build();
    WriterInput audio = p.addInput(PcmFormat.s16le(48_000, 2), false);
    p.start();
    int accepted = 0;
    while (audio.append(Sample.pcm(PcmFormat.s16le(48_000, 2), ByteBuffer.allocate(4096), accepted * 1024L))
        == AppendResult.ACCEPTED) {
      accepted++;
      assertTrue(accepted < 100, "bytes bound ignored");
    }
    assertEquals(10, accepted, "ten 4096-byte blocks fill a 40960-byte queue");
    assertEquals(10 * 4096, p.sinkStats(0).queuedBytes());
    sink.gate.countDown();
    p.finish().get(5, TimeUnit.SECONDS);
  }

  @Test
  void queue_isBoundedByMediaDuration() throws Exception {
    RecordingSink sink = new RecordingSink();
    sink.gate = new CountDownLatch(1);
    Pipeline p =
        Pipeline.builder()
            .addSink(sink, SinkOptions.lossless().withMaxQueuedDurationUs(100_000))
            .build();
    WriterInput audio = p.addInput(Samples.AUDIO, false);
    p.start();
    int accepted = 0;
    while (audio.append(Samples.audio(accepted)) == AppendResult.ACCEPTED) {
      accepted++;
      assertTrue(accepted < 1000, "duration bound ignored");
    }
    // Blocks of 1024 frames at 48 kHz are 21.333 ms apart: the span from the oldest queued decode
    // time to the newest reaches 100 ms at the sixth block after the oldest queued one.
    SinkStats stats = p.sinkStats(0);
    assertTrue(stats.queuedDurationUs() >= 100_000 && stats.queuedDurationUs() < 100_000 + 21_334,
        stats.toString());
    sink.gate.countDown();
    assertEquals(accepted, p.finish().get(5, TimeUnit.SECONDS).sink(0).written());
  }

  static void appendWhenReady(WriterInput input, Sample sample) throws InterruptedException {
    while (true) {
      AppendResult r = input.append(sample);
      if (r != AppendResult.NOT_READY) {
        assertTrue(r == AppendResult.ACCEPTED || r == AppendResult.ACCEPTED_WITH_DROPS, r.toString());
        return;
      }
      assertTrue(input.awaitReady(10, TimeUnit.SECONDS), "never ready again");
    }
  }
}
