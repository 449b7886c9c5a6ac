package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.format.H264Format;
import io.livemux.format.RawVideoFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SinkOptions;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public encoder input on a real pipeline: readiness, finishing, and what it refuses. */
class VideoEncoderInputTest {
  private static final int W = 64;
  private static final int H = 48;

  private static Sample picture(int i) {
    return TestPictures.sample(W, H, i, i * 3_000L, 90_000);
  }

  @Test
  void slowSink_makesReadinessFalse_andAppendsReturnNotReady() throws Exception {
    AnnexBSink sink = new AnnexBSink();
    sink.gate = new CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedSamples(2)).build();
    VideoEncoderSettings settings = VideoEncoderSettings.builder(W, H).queueCapacity(3).build();
    VideoEncoderInput input = VideoEncoderInput.create(pipeline, settings, false);
    pipeline.start();
    int next = 0;
    while (true) {
      AppendResult r = input.append(picture(next));
      if (r == AppendResult.ACCEPTED) {
        next++;
      } else {
        assertEquals(AppendResult.NOT_READY, r);
        if (!input.awaitReady(300, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    }
    // Ours (3) + the sink's queue (2) + the one its stalled write holds: nothing more gets in.
    assertTrue(next >= 3 && next <= 6, "accepted " + next);
    assertFalse(input.isReadyForMoreMediaData());
    assertEquals(AppendResult.NOT_READY, input.append(picture(next)));
    assertTrue(input.stats().maxInFlight() <= 3, input.stats().toString());

    sink.gate.countDown();
    for (int i = next; i < 20; i++) {
      while (input.append(picture(i)) == AppendResult.NOT_READY) {
        assertTrue(input.awaitReady(5, TimeUnit.SECONDS));
      }
    }
    EncoderStats stats = input.finish().get(5, TimeUnit.SECONDS);
    assertEquals(20, stats.deliveredCount(), stats.toString());
    assertTrue(pipeline.finish().get(5, TimeUnit.SECONDS).isComplete());
    List<Sample> got = sink.snapshot();
    assertEquals(20, got.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(i * 3_000L, got.get(i).presentationTimeTicks());
      assertEquals(90_000, got.get(i).timescale());
      assertEquals(input.format(), got.get(i).format());
    }
    assertTrue(got.get(0).isSync());
  }

  @Test
  void picturesAppendedBeforeStart_areEncodedAndDeliveredOnceThePipelineRuns() throws Exception {
    AnnexBSink sink = new AnnexBSink();
    Pipeline pipeline = Pipeline.builder().addSink(sink, SinkOptions.lossless()).build();
    VideoEncoderInput input =
        VideoEncoderInput.create(pipeline, VideoEncoderSettings.builder(W, H).build(), false);
    for (int i = 0; i < 5; i++) {
      assertEquals(AppendResult.ACCEPTED, input.append(picture(i)));
    }
    pipeline.start();
    assertEquals(5, input.finish().get(5, TimeUnit.SECONDS).deliveredCount());
    assertTrue(pipeline.finish().get(5, TimeUnit.SECONDS).isComplete());
    assertEquals(5, sink.snapshot().size());
    assertTrue(sink.tracks.get(0).format() instanceof H264Format);
  }

  @Test
  void finish_withStalledSink_completesWithinItsBound_andCountsWhatItDiscarded()
      throws Exception {
    AnnexBSink sink = new AnnexBSink();
    sink.gate = new CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedSamples(1)).build();
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(W, H).queueCapacity(4)
            .finishTimeout(Duration.ofMillis(300)).build();
    VideoEncoderInput input = VideoEncoderInput.create(pipeline, settings, false);
    pipeline.start();
    int next = 0;
    while (input.append(picture(next)) == AppendResult.ACCEPTED
        || input.awaitReady(200, TimeUnit.MILLISECONDS)) {
      next++;
    }
    long start = System.nanoTime();
    EncoderStats stats = input.finish().get(5, TimeUnit.SECONDS);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs < 300 + 400, "finish took " + elapsedMs + " ms");
    assertEquals(EncoderStats.Outcome.TIMED_OUT, stats.outcome());
    assertEquals(stats.acceptedCount(), stats.deliveredCount() + stats.discardedCount(),
        stats.toString());
    assertTrue(stats.discardedCount() > 0, stats.toString());
    assertTrue(input.writerInput().isFinished());
    assertEquals(AppendResult.REJECTED_FINISHED, input.append(picture(next + 1)));
    sink.gate.countDown();
    PipelineResult result = pipeline.finish().get(5, TimeUnit.SECONDS);
    assertEquals(stats.deliveredCount(), result.sink(0).written());
  }

  @Test
  void pipelineFinishedFirst_endsTheInput_withPipelineEnded() throws Exception {
    AnnexBSink sink = new AnnexBSink();
    Pipeline pipeline = Pipeline.builder().addSink(sink, SinkOptions.lossless()).build();
    VideoEncoderInput input =
        VideoEncoderInput.create(pipeline, VideoEncoderSettings.builder(W, H).build(), false);
    pipeline.start();
    pipeline.finish().get(5, TimeUnit.SECONDS);
    input.append(picture(0));
    EncoderStats stats = input.finish().get(5, TimeUnit.SECONDS);
    assertTrue(stats.outcome() == EncoderStats.Outcome.PIPELINE_ENDED
        || (stats.outcome() == EncoderStats.Outcome.COMPLETED && stats.acceptedCount() == 0),
        stats.toString());
    assertEquals(stats.acceptedCount(), stats.discardedCount(), stats.toString());
  }

  @Test
  void cancel_discardsAndFinishesThePipelineInput() throws Exception {
    AnnexBSink sink = new AnnexBSink();
    sink.gate = new CountDownLatch(1);
    Pipeline pipeline =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedSamples(1)).build();
    VideoEncoderInput input =
        VideoEncoderInput.create(
            pipeline, VideoEncoderSettings.builder(W, H).queueCapacity(4).build(), false);
    pipeline.start();
    for (int i = 0; i < 4; i++) {
      input.append(picture(i));
    }
    EncoderStats stats = input.cancel();
    assertEquals(EncoderStats.Outcome.CANCELLED, stats.outcome());
    assertTrue(input.isFinished());
    assertTrue(input.writerInput().isFinished());
    sink.gate.countDown();
    pipeline.finish().get(5, TimeUnit.SECONDS);
  }

  @Test
  void refusesWhatItCannotEncode() {
    Pipeline pipeline = Pipeline.builder().addSink(new AnnexBSink(), SinkOptions.lossless()).build();
    VideoEncoderInput input =
        VideoEncoderInput.create(pipeline, VideoEncoderSettings.builder(W, H).build(), false);
    Sample wrongSize =
        Sample.rawPicture(RawVideoFormat.yuv420p(32, 32), ByteBuffer.allocate(32 * 32 * 3 / 2), 0,
            90_000);
    assertEquals("expected a raw picture of 64x48: RawVideoFormat{yuv420p, 32x32}",
        assertThrows(IllegalArgumentException.class, () -> input.append(wrongSize)).getMessage());
    assertEquals("pixels for 64x48 must be 3072 long: 10",
        assertThrows(IllegalArgumentException.class, () -> input.appendArgb(new int[10], 0, 1))
            .getMessage());
    assertEquals(AppendResult.ACCEPTED, input.append(picture(5)));
    assertEquals("presentation time must increase: 15000/90000 after 15000/90000",
        assertThrows(IllegalArgumentException.class, () -> input.append(picture(5)))
            .getMessage());
    input.cancel();
    pipeline.start();
    assertThrows(IllegalStateException.class,
        () -> VideoEncoderInput.create(pipeline, VideoEncoderSettings.builder(W, H).build(), false));
    pipeline.cancel();
  }

  @Test
  void realTimeInput_withSeveralEncoderThreads_isRefused() {
    Pipeline pipeline = Pipeline.builder().addSink(new AnnexBSink(), SinkOptions.lossless()).build();
    VideoEncoderSettings settings = VideoEncoderSettings.builder(W, H).encoderThreads(2).build();
    assertEquals(
        "encoderThreads > 1 needs a producer that can run a GOP ahead, not a real-time one: 2",
        assertThrows(IllegalArgumentException.class,
            () -> VideoEncoderInput.create(pipeline, settings, true)).getMessage());
  }

  @Test
  void format_isKnownBeforeAnyPicture_andDescribesThePictures() {
    Pipeline pipeline = Pipeline.builder().addSink(new AnnexBSink(), SinkOptions.lossless()).build();
    VideoEncoderInput input =
        VideoEncoderInput.create(pipeline, VideoEncoderSettings.builder(1280, 720).build(), false);
    H264Format f = input.format();
    assertEquals(1280, f.width());
    assertEquals(720, f.height());
    assertEquals(66, f.profileIdc());
    assertEquals(1, f.chromaFormatIdc());
    assertEquals(f, pipeline.inputs().get(0).format());
    input.cancel();
  }

  @Test
  void settings_refuseBadValues_naming_them() {
    assertEquals("width must be even for 4:2:0: 33",
        assertThrows(IllegalArgumentException.class,
            () -> VideoEncoderSettings.builder(33, 32)).getMessage());
    assertEquals("height out of range 2..4096: 5000",
        assertThrows(IllegalArgumentException.class,
            () -> VideoEncoderSettings.builder(32, 5000)).getMessage());
    VideoEncoderSettings.Builder b = VideoEncoderSettings.builder(32, 32);
    assertEquals("bitrateBps < 8000: 100",
        assertThrows(IllegalArgumentException.class, () -> b.bitrateBps(100)).getMessage());
    assertEquals("qp out of range 10..51: 52",
        assertThrows(IllegalArgumentException.class, () -> b.constantQp(52)).getMessage());
    assertEquals("queueCapacity out of range 1..10000: 0",
        assertThrows(IllegalArgumentException.class, () -> b.queueCapacity(0)).getMessage());
    assertEquals("encoderThreads out of range 1..16: 17",
        assertThrows(IllegalArgumentException.class, () -> b.encoderThreads(17)).getMessage());
    assertEquals("keyframeIntervalUs out of range 1000..3600000000: 10",
        assertThrows(IllegalArgumentException.class, () -> b.keyframeIntervalUs(10)).getMessage());
  }
}
