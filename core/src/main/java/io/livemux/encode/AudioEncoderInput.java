package io.livemux.encode;

import io.livemux.codec.aac.AacEncoder;
import io.livemux.format.AacFormat;
import io.livemux.format.PcmFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipeline input that takes PCM (s16le, the encoder's rate and channels) and feeds an AAC-LC
 * track: livemux's own {@link AacEncoder} runs on a thread of this input, behind a bounded queue,
 * with the same readiness rules as {@link VideoEncoderInput} and {@link WriterInput}: {@link
 * #append} never blocks; {@link AppendResult#NOT_READY} (not real-time) or {@link
 * AppendResult#DROPPED} (real-time) when the queue is full.
 *
 * <p>Access units are stamped from the first block's time, 1024 samples apart, in the sample-rate
 * timescale; the first one is the encoder's priming frame ({@link AacEncoder#encoderDelaySamples()}),
 * which the track's format carries ({@link AacFormat#encoderDelaySamples()}): an MP4 recording hides
 * it with an edit list, so its decoded audio is the input at the input's times. Over RTMP, which
 * has no edit list, the decoded audio runs that much behind, as from other AAC encoders.
 *
 * <p>Blocks are queued without copying: a block's buffer must not change until the block has been
 * encoded (use a fresh buffer per block, or {@code Sample.builder(...).copyPayload()}).
 *
 * <p><b>Threads.</b> Every method may be called from any thread; appends are serialized. The
 * input owns one encoder thread and one delivery thread (daemons, {@code livemux-aac-*}), which end
 * when the input finishes or is cancelled, so every input must be finished or cancelled.
 */
public final class AudioEncoderInput {
  /** Blocks queued before {@code append} says not ready (or drops, when real-time). */
  public static final int DEFAULT_QUEUE_CAPACITY = 32;
  public static final Duration DEFAULT_FINISH_TIMEOUT = Duration.ofSeconds(2);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final AacEncoder.Config config;
  private final AacFormat format;
  private final PcmFormat pcm;
  private final WriterInput writerInput;
  private final EncoderEngine<Sample> engine;

  private AudioEncoderInput(AacEncoder.Config config, WriterInput writerInput, Duration finishTimeout) {
    this.config = config;
    this.format = formatFor(config);
    this.pcm = PcmFormat.s16le(config.sampleRateHz(), config.channelCount());
    this.writerInput = writerInput;
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread t = new Thread(runnable, "livemux-aac-" + instance + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.engine = new EncoderEngine<>(
        "AAC encoder " + config, DEFAULT_QUEUE_CAPACITY, 1, writerInput.isRealTime(),
        finishTimeout.toNanos(), new PcmSegmenter(pcm), () -> new AacCodec(config, format),
        EncodedTarget.of(writerInput), factory);
  }

  /**
   * Adds an AAC track to {@code pipeline} (before its start) fed by the returned input; {@code
   * realTime} as for {@link Pipeline#addInput}.
   */
  public static AudioEncoderInput create(Pipeline pipeline, AacEncoder.Config config, boolean realTime) {
    if (pipeline == null || config == null) {
      throw new NullPointerException(pipeline == null ? "pipeline" : "config");
    }
    return new AudioEncoderInput(config, pipeline.addInput(formatFor(config), realTime),
        DEFAULT_FINISH_TIMEOUT);
  }

  /**
   * An encoder feeding a track already added with {@link #formatFor}{@code (config)}, for facades
   * that add tracks themselves ({@code Mp4Recorder.addTrack}, {@code LiveSession.addTrack}).
   *
   * @throws IllegalArgumentException if the track's format is not {@code formatFor(config)}
   */
  public static AudioEncoderInput create(WriterInput track, AacEncoder.Config config) {
    return create(track, config, DEFAULT_FINISH_TIMEOUT);
  }

  /** As {@link #create(WriterInput, AacEncoder.Config)}, with the bound of {@link #finish()}. */
  public static AudioEncoderInput create(
      WriterInput track, AacEncoder.Config config, Duration finishTimeout) {
    if (track == null || config == null || finishTimeout == null) {
      throw new NullPointerException(track == null ? "track" : config == null ? "config" : "finishTimeout");
    }
    if (finishTimeout.isNegative() || finishTimeout.isZero()) {
      throw new IllegalArgumentException("finishTimeout must be positive: " + finishTimeout);
    }
    AacFormat format = formatFor(config);
    if (!format.equals(track.format())) {
      throw new IllegalArgumentException(
          "track " + track.track() + " was added with " + track.format() + ", not formatFor(config): " + format);
    }
    return new AudioEncoderInput(config, track, finishTimeout);
  }

  /** The AAC format (its AudioSpecificConfig) an encoder with {@code config} produces. */
  public static AacFormat formatFor(AacEncoder.Config config) {
    if (config == null) {
      throw new NullPointerException("config");
    }
    AacEncoder encoder = AacEncoder.create(config);
    return AacFormat.of(encoder.audioSpecificConfig())
        .withEncoderDelaySamples(encoder.encoderDelaySamples());
  }

  public AacFormat format() {
    return format;
  }

  /** The PCM format blocks must have. */
  public PcmFormat pcmFormat() {
    return pcm;
  }

  public WriterInput writerInput() {
    return writerInput;
  }

  /**
   * Queues a block of PCM (any number of whole frames) for encoding. Never blocks.
   *
   * @throws IllegalArgumentException for a block of another format, or whose time does not increase
   */
  public AppendResult append(Sample pcmBlock) {
    if (pcmBlock == null) {
      throw new NullPointerException("pcmBlock");
    }
    return engine.append(pcmBlock);
  }

  public boolean isReadyForMoreMediaData() {
    return engine.isReadyForMoreMediaData();
  }

  /** Waits until {@link #isReadyForMoreMediaData()} or the input ends; false on timeout. */
  public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
    return engine.awaitReady(unit.toNanos(timeout));
  }

  /** Runs {@code callback} on {@code executor} while the input is ready for more (the pull model). */
  public void requestMediaDataWhenReady(Executor executor, Runnable callback) {
    engine.requestMediaDataWhenReady(executor, callback);
  }

  /** No more blocks; the queued ones are still encoded, then the encoder is flushed. */
  public void markAsFinished() {
    engine.markAsFinished();
  }

  /**
   * Marks the input finished; completes within the finish timeout once every queued block was
   * encoded and delivered (or discarded at the bound); exceptionally if the encoder failed.
   */
  public CompletableFuture<EncoderStats> finish() {
    engine.markAsFinished();
    return engine.done();
  }

  /** Stops at once, discarding what is queued. */
  public EncoderStats cancel() {
    return engine.cancel();
  }

  public EncoderStats stats() {
    return engine.stats();
  }

  public AacEncoder.Config config() {
    return config;
  }
}
