package io.livemux.encode;

import io.livemux.format.H264Format;
import io.livemux.format.RawVideoFormat;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipeline track fed with raw pictures and encoded to H.264 on its own encoder thread(s): the
 * {@link WriterInput} model, one step earlier.
 *
 * <pre>{@code
 * VideoEncoderSettings settings = VideoEncoderSettings.builder(1280, 720)
 *     .keyframeIntervalUs(2_000_000).bitrateBps(2_500_000).build();
 * VideoEncoderInput video = VideoEncoderInput.create(pipeline, settings, false); // before start()
 * pipeline.start();
 * while (video.append(Sample.rawPicture(i420, picture, ptsTicks, 90_000)) == AppendResult.NOT_READY) {
 *   video.awaitReady(1, TimeUnit.SECONDS);
 * }
 * EncoderStats stats = video.finish().get();   // within settings.finishTimeout()
 * PipelineResult result = pipeline.finish().get();
 * }</pre>
 *
 * <p><b>Input.</b> I420 pictures of exactly the settings' size ({@link Sample#rawPicture}), or
 * packed RGB ({@link #appendArgb}, {@link #appendRgb24}) converted to I420 on the encoder thread
 * with BT.601 limited-range coefficients. Presentation times must increase. The pixels are kept
 * without a copy until the picture is encoded (see {@link Sample}'s ownership rule): a producer
 * that reuses its buffers waits until {@link EncoderStats#encodedCount()} has passed the picture.
 *
 * <p><b>Output.</b> One H.264 sample per picture, with the picture's presentation time, timescale
 * and (if it had one) duration; decode time = presentation time (no B-frames); {@link
 * Sample#FLAG_SYNC} on IDRs, which come first and then whenever {@link
 * VideoEncoderSettings#keyframeIntervalUs()} of presentation time has passed since the last. The
 * track's {@link H264Format} ({@code avcC}) is known before the first picture: JCodec's SPS and
 * PPS depend only on the picture size (see {@link #format()}), so the input is added to the
 * pipeline by {@link #create}, before {@link Pipeline#start()} as the pipeline requires.
 *
 * <p><b>Quality limit.</b> JCodec 0.2.5's encoder drifts from what decoders reconstruct (its
 * in-loop deblocking; see {@code H264Codec}): on smooth colour gradients chroma loses quality as
 * pictures grow, about 29 dB PSNR at 1280x720 and 24.5 dB at 2048x1152 at QP 24 while luma stays
 * near 40 dB. Sharp-edged content (ffmpeg's testsrc2) keeps 37 dB or more at those sizes.
 *
 * <p><b>Readiness</b> follows {@link WriterInput}'s rules, measured on this input's own bounded
 * queue ({@link VideoEncoderSettings#queueCapacity()} pictures: queued, encoding, or encoded and
 * not yet taken by the pipeline). When the queue is full, an input that is not real-time returns
 * {@link AppendResult#NOT_READY} and keeps the picture with the caller; a real-time input drops it
 * ({@link AppendResult#DROPPED}, counted), which costs nothing downstream since the next picture
 * simply predicts from the previous encoded one. A slow lossless sink therefore fills the queue
 * and turns readiness false. Pictures may be appended before {@link Pipeline#start()}: they are
 * encoded and wait, within the bound, for the pipeline to run.
 *
 * <p><b>Finishing.</b> {@link #finish()} takes no more pictures, encodes and hands over the ones
 * queued, marks the pipeline input finished, and completes its future within {@link
 * VideoEncoderSettings#finishTimeout()} of the call whatever the encoder or the sinks do; what is
 * left then is discarded and counted. {@link #cancel()} discards at once. If the pipeline finishes
 * first, the rest is discarded ({@link EncoderStats.Outcome#PIPELINE_ENDED}). An encoder failure
 * completes the future exceptionally with a {@link io.livemux.LivemuxException}.
 *
 * <p><b>Threads.</b> Every method may be called from any thread; appends are serialized (one
 * producer at a time is the intended use). The input owns {@link
 * VideoEncoderSettings#encoderThreads()} encoder threads and one delivery thread (daemons named
 * {@code livemux-h264-*}), which alone call JCodec and the pipeline input; they end when the input
 * finishes or is cancelled, so every input must be finished or cancelled.
 */
public final class VideoEncoderInput {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final VideoEncoderSettings settings;
  private final H264Format format;
  private final WriterInput writerInput;
  private final EncoderEngine<RawFrame> engine;

  private VideoEncoderInput(
      VideoEncoderSettings settings, H264Format format, WriterInput writerInput, boolean realTime) {
    this.settings = settings;
    this.format = format;
    this.writerInput = writerInput;
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread t = new Thread(runnable, "livemux-h264-" + instance + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.engine =
        new EncoderEngine<>(
            "H.264 encoder " + settings.width() + "x" + settings.height(),
            settings.queueCapacity(),
            settings.encoderThreads(),
            realTime,
            settings.finishTimeout().toNanos(),
            new KeyframeSegmenter(settings.keyframeIntervalUs()),
            () -> new H264Codec(settings, format),
            EncodedTarget.of(writerInput),
            factory);
  }

  /**
   * Adds an H.264 track to {@code pipeline} (before its {@link Pipeline#start()}) fed by the
   * returned input. {@code realTime} as for {@link Pipeline#addInput}; several encoder threads need
   * an input that is not real-time.
   *
   * @throws IllegalStateException if the pipeline has started
   * @throws IllegalArgumentException for a real-time input with more than one encoder thread
   */
  public static VideoEncoderInput create(
      Pipeline pipeline, VideoEncoderSettings settings, boolean realTime) {
    if (pipeline == null || settings == null) {
      throw new NullPointerException(pipeline == null ? "pipeline" : "settings");
    }
    checkThreads(settings, realTime);
    H264Format format = H264Codec.format(settings);
    WriterInput input = pipeline.addInput(format, realTime);
    return new VideoEncoderInput(settings, format, input, realTime);
  }

  /**
   * An encoder feeding a track already added with {@link #formatFor}{@code (settings)}: for
   * facades that add tracks themselves ({@code Mp4Recorder.addTrack}). Real-time as the track is.
   *
   * <pre>{@code
   * WriterInput track = recorder.addTrack(VideoEncoderInput.formatFor(settings), false);
   * VideoEncoderInput video = VideoEncoderInput.create(track, settings);
   * }</pre>
   *
   * @throws IllegalArgumentException if the track's format is not {@code formatFor(settings)}, or
   *     for a real-time track with more than one encoder thread
   */
  public static VideoEncoderInput create(WriterInput track, VideoEncoderSettings settings) {
    if (track == null || settings == null) {
      throw new NullPointerException(track == null ? "track" : "settings");
    }
    checkThreads(settings, track.isRealTime());
    H264Format format = H264Codec.format(settings);
    if (!format.equals(track.format())) {
      throw new IllegalArgumentException(
          "track " + track.track() + " was added with " + track.format()
              + ", not formatFor(settings): " + format);
    }
    return new VideoEncoderInput(settings, format, track, track.isRealTime());
  }

  /** The H.264 format an encoder with these settings produces: see {@link #format()}. */
  public static H264Format formatFor(VideoEncoderSettings settings) {
    if (settings == null) {
      throw new NullPointerException("settings");
    }
    return H264Codec.format(settings);
  }

  private static void checkThreads(VideoEncoderSettings settings, boolean realTime) {
    if (realTime && settings.encoderThreads() > 1) {
      throw new IllegalArgumentException(
          "encoderThreads > 1 needs a producer that can run a GOP ahead, not a real-time one: "
              + settings.encoderThreads());
    }
  }

  /**
   * The track's format: JCodec's SPS and PPS for these settings (Baseline, level 4.0, the picture
   * size with cropping), the same bytes it writes in front of every IDR.
   */
  public H264Format format() {
    return format;
  }

  /** The pipeline input this encoder feeds; the producer appends here only through this class. */
  public WriterInput writerInput() {
    return writerInput;
  }

  public VideoEncoderSettings settings() {
    return settings;
  }

  /**
   * Queues an I420 picture of the settings' size for encoding. Never blocks; only {@link
   * AppendResult#NOT_READY} leaves the picture with the caller.
   *
   * @return {@code ACCEPTED}, {@code NOT_READY} (queue full, not real-time), {@code DROPPED} (queue
   *     full, real-time) or {@code REJECTED_FINISHED}
   * @throws IllegalArgumentException for a sample that is not a raw picture of the settings' size,
   *     or whose presentation time does not increase
   */
  public AppendResult append(Sample rawPicture) {
    if (rawPicture == null) {
      throw new NullPointerException("rawPicture");
    }
    if (!(rawPicture.format() instanceof RawVideoFormat)
        || ((RawVideoFormat) rawPicture.format()).width() != settings.width()
        || ((RawVideoFormat) rawPicture.format()).height() != settings.height()) {
      throw new IllegalArgumentException(
          "expected a raw picture of " + settings.width() + "x" + settings.height() + ": "
              + rawPicture.format());
    }
    return engine.append(RawFrame.of(rawPicture));
  }

  /**
   * Queues a picture of packed 0xAARRGGBB pixels (alpha ignored), row by row, converted to I420 on
   * the encoder thread (BT.601, limited range). The array is kept without a copy until encoded.
   */
  public AppendResult appendArgb(int[] argb, long presentationTimeTicks, int timescale) {
    checkPixels(argb == null ? -1 : argb.length, 1, timescale);
    return engine.append(RawFrame.argb(argb, presentationTimeTicks, timescale));
  }

  /**
   * Queues a picture of packed RGB24 pixels (R, G, B bytes), row by row, converted to I420 on the
   * encoder thread (BT.601, limited range). The array is kept without a copy until encoded.
   */
  public AppendResult appendRgb24(byte[] rgb24, long presentationTimeTicks, int timescale) {
    checkPixels(rgb24 == null ? -1 : rgb24.length, 3, timescale);
    return engine.append(RawFrame.rgb24(rgb24, presentationTimeTicks, timescale));
  }

  private void checkPixels(int length, int perPixel, int timescale) {
    if (length < 0) {
      throw new NullPointerException("pixels");
    }
    int expected = settings.width() * settings.height() * perPixel;
    if (length != expected) {
      throw new IllegalArgumentException(
          "pixels for " + settings.width() + "x" + settings.height() + " must be " + expected
              + " long: " + length);
    }
    if (timescale <= 0) {
      throw new IllegalArgumentException("timescale must be positive: " + timescale);
    }
  }

  /** True if the next append would be queued: the queue has room and the input has not finished. */
  public boolean isReadyForMoreMediaData() {
    return engine.isReadyForMoreMediaData();
  }

  /**
   * Waits until the input is ready, up to {@code timeout}. Returns false on timeout, or once the
   * input has finished (it will never be ready again).
   */
  public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
    if (timeout < 0) {
      throw new IllegalArgumentException("timeout < 0: " + timeout);
    }
    return engine.awaitReady(unit.toNanos(timeout));
  }

  /**
   * Calls {@code callback} on {@code executor} whenever this input is ready, again and again while it
   * stays ready, until it finishes: the callback appends until not ready or out of pictures (then
   * calls {@link #markAsFinished()}). Replaces any earlier callback.
   */
  public void requestMediaDataWhenReady(Executor executor, Runnable callback) {
    engine.requestMediaDataWhenReady(executor, callback);
  }

  /** No more pictures; the queued ones are still encoded and delivered. Same as {@link #finish()}. */
  public void markAsFinished() {
    engine.markAsFinished();
  }

  /** True once {@link #markAsFinished()}, {@link #cancel()}, a failure, or the pipeline ended it. */
  public boolean isFinished() {
    return engine.isFinished();
  }

  /**
   * Marks the input finished and returns a future that completes, within {@link
   * VideoEncoderSettings#finishTimeout()} of this call, once every queued picture was encoded and
   * handed to the pipeline (or discarded at the bound); exceptionally if the encoder failed. The
   * same future every call.
   */
  public CompletableFuture<EncoderStats> finish() {
    engine.markAsFinished();
    return engine.done();
  }

  /** Stops at once, discarding what is queued; returns the final statistics. */
  public EncoderStats cancel() {
    return engine.cancel();
  }

  /** A snapshot of the counters. */
  public EncoderStats stats() {
    return engine.stats();
  }
}
