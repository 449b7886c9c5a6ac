package io.livemux.encode;

import io.livemux.LivemuxException;
import io.livemux.codec.aac.AacEncoder;
import io.livemux.format.AacFormat;
import io.livemux.sample.Sample;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * PCM blocks to AAC access units through one {@link AacEncoder}. The stream is one segment (AAC
 * frames overlap, so they cannot be encoded apart). Access unit {@code k} is stamped at the first
 * PCM block's time plus {@code k × 1024} samples, in the sample-rate timescale: the encoder's
 * one-frame priming delay stays at the start, as RTMP and FLV carry it.
 *
 * <p>Used only by its encoder thread.
 */
final class AacCodec implements SegmentCodec<Sample> {
  private final AacEncoder encoder;
  private final AacFormat format;
  private final int sampleRateHz;
  private boolean anchored;
  private long anchorTicks;
  private long units;

  AacCodec(AacEncoder.Config config, AacFormat format) {
    this.encoder = AacEncoder.create(config);
    this.format = format;
    this.sampleRateHz = config.sampleRateHz();
  }

  @Override
  public void encode(Sample pcm, boolean segmentStart, List<Sample> out) throws LivemuxException {
    if (!anchored) {
      anchored = true;
      // the first block's time, in samples (rounded down: a sub-sample offset is not representable)
      anchorTicks = Math.floorDiv(pcm.presentationTimeTicks() * sampleRateHz, (long) pcm.timescale());
    }
    stamp(encoder.encode(pcm.payload()), out);
  }

  @Override
  public void endSegment(List<Sample> out) {
    stamp(encoder.flush(), out);
  }

  private void stamp(List<ByteBuffer> accessUnits, List<Sample> out) {
    for (ByteBuffer unit : accessUnits) {
      out.add(Sample.builder(format).timescale(sampleRateHz)
          .presentationTimeTicks(anchorTicks + units * AacEncoder.SAMPLES_PER_FRAME)
          .durationTicks(AacEncoder.SAMPLES_PER_FRAME)
          .flags(Sample.FLAG_SYNC)
          .payload(unit)
          .build());
      units++;
    }
  }
}
