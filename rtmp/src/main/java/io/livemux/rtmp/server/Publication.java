package io.livemux.rtmp.server;

import io.livemux.format.AacFormat;
import io.livemux.format.MediaFormat;
import io.livemux.format.TrackType;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Writer;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.Pipeline;
import io.livemux.pipeline.PipelineResult;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.SinkOptions;
import io.livemux.pipeline.WriterInput;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.chunk.RtmpMessage;
import io.livemux.rtmp.flv.FlvAudioPacket;
import io.livemux.rtmp.flv.FlvPacketDecoder;
import io.livemux.rtmp.flv.FlvSamples;
import io.livemux.rtmp.flv.FlvVideoPacket;
import io.livemux.rtmp.flv.FlvWriter;
import io.livemux.rtmp.flv.FlvWriterOptions;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One published stream: turns its RTMP audio and video messages into samples (through {@link
 * FlvPacketDecoder} and {@link FlvSamples}) and feeds them to a {@link Pipeline} whose sinks are the
 * MP4 recorder, the FLV recorder and the relay, each behind its own lane.
 *
 * <p><b>Tracks.</b> A pipeline's tracks are fixed when it starts, but RTMP announces them as it
 * goes. The stream's {@code onMetaData} ({@code videocodecid}/{@code audiocodecid}, as ffmpeg and
 * OBS send it before any media) says which tracks to expect; the pipeline starts once every
 * expected track has its sequence header (without metadata, both are expected). If one is still
 * missing after {@link #START_WAIT_MS} of media, the pipeline starts with the tracks it has and the
 * late track is not recorded. Media before the start is held (counted against the connection's
 * memory); coded frames before their track's sequence header cannot be decoded and are dropped.
 *
 * <p><b>Backpressure.</b> Inputs are not real-time: when a lossless lane (a recording) is full,
 * {@link WriterInput#append} says not-ready, the sample stays in the outbox and {@link #isBlocked()}
 * turns true; the connection then stops reading its socket until {@link #pump()} empties the outbox,
 * so TCP slows that one publisher down. The relay's real-time lane drops instead.
 *
 * <p><b>End.</b> When the publisher unpublishes or disconnects, {@link #end()} records everything
 * it sent: held samples included (see there). Only {@link RtmpServer#stop()} cuts a recording
 * short, through {@link #finish()}.
 *
 * <p><b>Threads.</b> Media methods, {@link #pump()} and {@link #end()} are called by the server's
 * selector thread only; after {@code end()}, a drain thread of this publication's own owns the
 * outbox. {@link #finish()} may be called from any thread.
 */
final class Publication {
  private static final Logger log = LoggerFactory.getLogger(Publication.class);

  /** How much media (by timestamp span) to wait for every expected track's sequence header. */
  static final long START_WAIT_MS = 2000;

  private final RtmpServer server;
  private final RtmpServerOptions options;
  final String app;
  final String stream;
  final int messageStreamId;
  private final FlvPacketDecoder packets;
  private final TimestampExtender timestamps = new TimestampExtender();

  // Selector thread only.
  private boolean metadataSeen;
  private boolean expectVideo = true;
  private boolean expectAudio = true;
  private MediaFormat videoFormat;
  private AacFormat audioFormat;
  private long firstPendingMs = Long.MIN_VALUE;
  private final ArrayDeque<Sample> outbox = new ArrayDeque<>();
  private long outboxBytes;
  private long lastVideoDtsMs = Long.MIN_VALUE;
  private long lastAudioDtsMs = Long.MIN_VALUE;
  private long droppedBeforeStart;
  private WriterInput video;
  private WriterInput audio;

  // Guarded by this.
  private Pipeline pipeline;
  private boolean ended;
  private CompletableFuture<PipelineResult> finishFuture;
  private Path mp4;
  private Path flv;
  private String relayUrl;

  Publication(RtmpServer server, String app, String stream, int messageStreamId) {
    this.server = server;
    this.options = server.options();
    this.app = app;
    this.stream = stream;
    this.messageStreamId = messageStreamId;
    this.packets = new FlvPacketDecoder(server.flvLimits());
  }

  /** APP/STREAM: the name that is live (one publisher at a time). */
  String key() {
    return app + "/" + stream;
  }

  /** APP/STREAM with the stream key masked, for logs and lane names. */
  String label() {
    return app + "/" + StreamNames.mask(stream);
  }

  /** Bytes of media held in the outbox (before the pipeline starts, or while it is full). */
  long heldBytes() {
    return outboxBytes;
  }

  /** True while a sample waits for room in a lossless lane: stop reading the connection. */
  boolean isBlocked() {
    return pipelineStarted() && !outbox.isEmpty();
  }

  private boolean pipelineStarted() {
    return video != null || audio != null;
  }

  /** {@code @setDataFrame onMetaData}: which tracks the stream has (FLV 10.1 E.5). */
  void onMetadata(Map<?, ?> metadata) {
    if (metadataSeen || pipelineStarted()) {
      return;
    }
    metadataSeen = true;
    boolean v = present(metadata, "videocodecid") || Boolean.TRUE.equals(metadata.get("hasVideo"));
    boolean a = present(metadata, "audiocodecid") || Boolean.TRUE.equals(metadata.get("hasAudio"));
    if (v || a) {
      expectVideo = v;
      expectAudio = a;
    }
  }

  private static boolean present(Map<?, ?> map, String key) {
    Object value = map.get(key);
    return value != null && !(value instanceof io.livemux.rtmp.amf.Amf0Undefined);
  }

  /** An RTMP video message (type 9) of this stream. */
  void onVideo(RtmpMessage message) throws RtmpException {
    long dtsMs = timestamps.extend(message.timestampMs());
    FlvVideoPacket packet = packets.video(message.payload());
    if (packet == null) {
      return; // a video info/command frame: no picture
    }
    switch (packet.type()) {
      case SEQUENCE_START:
        MediaFormat format = FlvSamples.videoFormat(packet);
        if (videoFormat != null && videoFormat.getClass() != format.getClass()) {
          throw new RtmpException("video codec changed mid-stream from " + videoFormat.mimeType()
              + " to " + format.mimeType());
        }
        videoFormat = format;
        maybeStart(dtsMs);
        return;
      case CODED_FRAMES:
        if (videoFormat == null || packet.dataSize() == 0 || (pipelineStarted() && video == null)) {
          droppedBeforeStart++;
          return;
        }
        if (dtsMs < lastVideoDtsMs) {
          throw new RtmpException("video timestamp went back from " + lastVideoDtsMs + " to " + dtsMs + " ms");
        }
        lastVideoDtsMs = dtsMs;
        hold(FlvSamples.videoSample(packet, dtsMs, videoFormat), dtsMs);
        return;
      default:
        return; // end of sequence, metadata: nothing to record
    }
  }

  /** An RTMP audio message (type 8) of this stream. */
  void onAudio(RtmpMessage message) throws RtmpException {
    long dtsMs = timestamps.extend(message.timestampMs());
    if (message.length() == 0) {
      return; // ffmpeg and OBS send an empty audio message as a "no audio yet" marker
    }
    FlvAudioPacket packet = packets.audio(message.payload());
    if (packet.type() == FlvAudioPacket.Type.SEQUENCE_HEADER) {
      audioFormat = FlvSamples.audioFormat(packet);
      maybeStart(dtsMs);
      return;
    }
    if (audioFormat == null || packet.dataSize() == 0 || (pipelineStarted() && audio == null)) {
      droppedBeforeStart++;
      return;
    }
    if (dtsMs < lastAudioDtsMs) {
      throw new RtmpException("audio timestamp went back from " + lastAudioDtsMs + " to " + dtsMs + " ms");
    }
    lastAudioDtsMs = dtsMs;
    hold(FlvSamples.audioSample(packet, dtsMs, audioFormat), dtsMs);
  }

  private void hold(Sample sample, long dtsMs) throws RtmpException {
    outbox.add(sample);
    outboxBytes += sample.size();
    if (!pipelineStarted()) {
      if (firstPendingMs == Long.MIN_VALUE) {
        firstPendingMs = dtsMs;
      }
      maybeStart(dtsMs);
    }
    pump();
  }

  /** Starts the pipeline once the expected tracks are known (see the class comment). */
  private void maybeStart(long nowMs) throws RtmpException {
    if (pipelineStarted()) {
      return;
    }
    boolean videoReady = !expectVideo || videoFormat != null;
    boolean audioReady = !expectAudio || audioFormat != null;
    boolean waitedEnough =
        firstPendingMs != Long.MIN_VALUE && nowMs - firstPendingMs >= START_WAIT_MS;
    if (!(videoReady && audioReady) && !waitedEnough) {
      return;
    }
    if (videoFormat == null && audioFormat == null) {
      if (waitedEnough) {
        throw new RtmpException("no sequence header after " + START_WAIT_MS
            + " ms of media: nothing decodable to record");
      }
      return;
    }
    start(expectVideo ? videoFormat : null, expectAudio ? audioFormat : null);
  }

  private void start(MediaFormat videoTrack, MediaFormat audioTrack) throws RtmpException {
    Pipeline.Builder builder = Pipeline.builder().finishTimeout(options.finishTimeout());
    List<String> extensions = new ArrayList<>();
    if (options.recordsMp4()) {
      extensions.add("mp4");
    }
    if (options.recordsFlv()) {
      extensions.add("flv");
    }
    synchronized (this) {
      if (ended || server.isStopping()) {
        return; // stopping: media is read and discarded until the connections close
      }
      try {
        if (!extensions.isEmpty()) {
          Path[] files = StreamNames.reserve(
              options.recordingDir().resolve(app), stream, extensions.toArray(new String[0]));
          int i = 0;
          if (options.recordsMp4()) {
            mp4 = files[i++];
          }
          if (options.recordsFlv()) {
            flv = files[i];
          }
        }
      } catch (IOException e) {
        throw new RtmpException("cannot create the recording of " + label() + " in "
            + options.recordingDir() + ": " + e.getMessage(), e);
      }
      SinkOptions lossless =
          SinkOptions.lossless().withMaxQueuedBytes(options.maxQueuedBytesPerRecording());
      if (mp4 != null) {
        builder.addSink(new Mp4Writer(mp4, options.mp4Options().withFinishTimeout(options.finishTimeout())),
            lossless.withName("mp4 " + label()));
      }
      if (flv != null) {
        builder.addSink(new FlvWriter(flv, FlvWriterOptions.defaults()),
            lossless.withName("flv " + label()));
      }
      if (options.relayPrefix() != null) {
        relayUrl = options.relayPrefix() + "/" + stream;
        try {
          SampleSink relay = options.relaySinks().apply(relayUrl);
          if (relay != null) {
            builder.addSink(relay, SinkOptions.realTime().withName("relay " + label()));
          }
        } catch (RuntimeException e) {
          // The relay is best effort: the recordings go on without it.
          log.warn("relay of {} not started: {}", label(), e.toString());
          relayUrl = null;
        }
      }
      Pipeline p = builder.build();
      WriterInput v = videoTrack == null ? null : p.addInput(videoTrack, false);
      WriterInput a = audioTrack == null ? null : p.addInput(audioTrack, false);
      p.start();
      pipeline = p;
      video = v;
      audio = a;
    }
    log.info("recording {} (video {}, audio {})", label(), videoTrack, audioTrack);
  }

  /**
   * Appends from the outbox until it is empty or a lossless lane is full; true when empty. Does
   * nothing before the pipeline starts.
   */
  boolean pump() throws RtmpException {
    if (!pipelineStarted()) {
      return outbox.isEmpty();
    }
    while (!outbox.isEmpty()) {
      Sample s = outbox.peek();
      WriterInput input = s.format().trackType() == TrackType.VIDEO ? video : audio;
      if (input != null) {
        AppendResult r;
        try {
          r = input.append(s);
        } catch (IllegalArgumentException e) {
          throw new RtmpException("stream " + label() + ": " + e.getMessage(), e);
        }
        if (r == AppendResult.NOT_READY) {
          return false;
        }
      } else {
        droppedBeforeStart++;
      }
      outbox.poll();
      outboxBytes -= s.size();
    }
    return true;
  }

  /**
   * The publisher unpublished or disconnected (selector thread): everything it sent is recorded. A
   * pipeline still waiting for a track's sequence header starts with the tracks it has. What is left
   * in the outbox (a full lossless lane) is appended by a drain thread that waits for room, so the
   * selector never blocks, for up to the finish timeout; then the pipeline finishes (its own bounded
   * finish). Only {@link #finish()} (the server stopping) cuts this short. After this call the
   * selector thread no longer touches this publication.
   */
  void end() {
    if (!pipelineStarted() && !outbox.isEmpty()) {
      try {
        start(videoFormat, audioFormat); // samples are held only for tracks with a format
      } catch (RtmpException e) {
        log.warn("{} ended before its recording could start: {}", label(), e.getMessage());
      }
    }
    boolean drained;
    try {
      drained = pump();
    } catch (RtmpException e) {
      log.warn("{}: {}", label(), e.getMessage());
      drained = true; // a sample the pipeline refuses: what was appended is still recorded
      outbox.clear();
      outboxBytes = 0;
    }
    if (drained || !pipelineStarted()) {
      finish();
      return;
    }
    server.draining(this, true);
    if (server.isStopping()) {
      // stop() may have listed the draining publications before this one joined them.
      finish();
      server.draining(this, false);
      return;
    }
    Thread drainer = new Thread(this::drain, "livemux-rtmp-drain " + label());
    drainer.setDaemon(true);
    drainer.start(); // hands the outbox over: the selector thread does not touch it again
  }

  /** The drain thread: appends the outbox, waiting for room, within the finish timeout. */
  private void drain() {
    long deadline = System.nanoTime() + options.finishTimeout().toNanos();
    try {
      while (!outbox.isEmpty()) {
        synchronized (this) {
          if (finishFuture != null) {
            break; // stop() cut the recording short
          }
        }
        Sample s = outbox.peek();
        WriterInput input = s.format().trackType() == TrackType.VIDEO ? video : audio;
        if (input != null) {
          AppendResult r = input.append(s);
          if (r == AppendResult.NOT_READY) {
            long leftNanos = deadline - System.nanoTime();
            if (leftNanos <= 0) {
              break;
            }
            // False when the pipeline is finishing: the loop then sees finishFuture.
            input.awaitReady(leftNanos, TimeUnit.NANOSECONDS);
            continue;
          }
        }
        outbox.poll();
        outboxBytes -= s.size();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // nobody interrupts this thread; finish now if someone does
    } catch (IllegalArgumentException e) {
      log.warn("{}: {}", label(), e.getMessage());
    } finally {
      if (!outbox.isEmpty()) {
        log.warn("{}: {} samples not recorded: the recording lane took no more within {} ms",
            label(), outbox.size(), options.finishTimeout().toMillis());
      }
      finish();
      server.draining(this, false);
    }
  }

  /**
   * Ends the publication: finishes the pipeline (bounded by the finish timeout) and tells the
   * listener. Idempotent; any thread. The future completes with null if nothing was recorded.
   * Samples still in the outbox are not recorded: the connection calls {@link #end()} instead, and
   * only {@link RtmpServer#stop()} calls this directly.
   */
  synchronized CompletableFuture<PipelineResult> finish() {
    if (finishFuture != null) {
      return finishFuture;
    }
    ended = true;
    if (pipeline == null) {
      finishFuture = CompletableFuture.completedFuture(null);
      return finishFuture;
    }
    final Recording.Files files = new Recording.Files(mp4, flv, relayUrl);
    RecordingListener listener = options.listener();
    finishFuture = pipeline.finish().thenApply(result -> {
      log.info("recorded {}: {}", label(), result);
      if (listener != null) {
        try {
          listener.recordingFinished(new Recording(app, stream, files, result));
        } catch (RuntimeException e) {
          log.warn("recording listener failed for {}", label(), e);
        }
      }
      return result;
    });
    return finishFuture;
  }

  long droppedBeforeStart() {
    return droppedBeforeStart;
  }
}
