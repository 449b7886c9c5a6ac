package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.codec.aac.AacEncoder;
import io.livemux.format.AacFormat;
import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.TrackInfo;
import io.livemux.sample.Sample;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The AAC encoder input on a real pipeline: readiness from its bounded queue, order, refusals. */
class AudioEncoderInputTest {
  static final AacEncoder.Config CONFIG =
      AacEncoder.Config.builder().sampleRateHz(48_000).channelCount(1).bitrateBps(64_000).build();

  /** Keeps what it is given; its first write waits for {@link #gate}. */
  static final class GatedSink implements SampleSink {
    final CountDownLatch gate = new CountDownLatch(1);
    final List<Sample> written = new ArrayList<>();

    @Override
    public void start(List<TrackInfo> tracks) {}

    @Override
    public void formatChanged(int track, MediaFormat newFormat) {}

    @Override
    public void write(int track, Sample sample) throws InterruptedIOException {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted at the gate");
      }
      synchronized (this) {
        written.add(sample);
      }
    }

    @Override
    public void finish() {}
  }

  private static Sample block(PcmFormat pcm, int index) {
    return Sample.pcm(pcm, ByteBuffer.allocate(2048 * 2), index * 2048L);
  }

  @Test
  void stalledSink_makesItNotReady_thenEveryBlockIsEncodedInOrder() throws Exception {
    GatedSink sink = new GatedSink();
    Pipeline pipeline =
        Pipeline.builder().addSink(sink, SinkOptions.lossless().withMaxQueuedSamples(4)).build();
    AudioEncoderInput audio = AudioEncoderInput.create(pipeline, CONFIG, false);
    pipeline.start();
    PcmFormat pcm = audio.pcmFormat();
    int accepted = 0;
    while (audio.append(block(pcm, accepted)) == AppendResult.ACCEPTED) {
      accepted++;
      assertTrue(accepted < 1000, "a stalled sink must stop the input");
    }
    assertFalse(audio.isReadyForMoreMediaData());
    assertEquals(AppendResult.NOT_READY, audio.append(block(pcm, accepted)));
    sink.gate.countDown();
    for (int i = accepted; i < accepted + 20; i++) {
      while (audio.append(block(pcm, i)) == AppendResult.NOT_READY) {
        assertTrue(audio.awaitReady(10, TimeUnit.SECONDS));
      }
    }
    EncoderStats stats = audio.finish().get(30, TimeUnit.SECONDS);
    assertEquals(EncoderStats.Outcome.COMPLETED, stats.outcome(), stats.toString());
    pipeline.finish().get(30, TimeUnit.SECONDS);
    // every 2048-sample block is two access units, plus the priming frame
    int blocks = accepted + 20;
    assertEquals(2 * blocks + 1, sink.written.size());
    for (int i = 0; i < sink.written.size(); i++) {
      Sample s = sink.written.get(i);
      assertEquals(i * 1024L, s.presentationTimeTicks(), "access unit " + i);
      assertTrue(s.format() instanceof AacFormat && ((AacFormat) s.format()).encoderDelaySamples() == 1024);
    }
  }

  @Test
  void wrongPcmOrTimeGoingBack_isRefusedNamingIt() {
    Pipeline pipeline = Pipeline.builder().addSink(new GatedSink(), SinkOptions.lossless()).build();
    AudioEncoderInput audio = AudioEncoderInput.create(pipeline, CONFIG, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> audio.append(Sample.pcm(PcmFormat.s16le(44_100, 1), ByteBuffer.allocate(64), 0)));
    assertTrue(e.getMessage().contains("the AAC encoder takes"), e.getMessage());
    assertEquals(AppendResult.ACCEPTED, audio.append(block(audio.pcmFormat(), 1)));
    e = assertThrows(IllegalArgumentException.class, () -> audio.append(block(audio.pcmFormat(), 0)));
    assertTrue(e.getMessage().contains("presentation time must increase"), e.getMessage());
    audio.cancel();
    pipeline.cancel();
  }
}
