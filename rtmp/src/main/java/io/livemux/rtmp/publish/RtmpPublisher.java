package io.livemux.rtmp.publish;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.format.VideoFormat;
import io.livemux.pipeline.SampleSink;
import io.livemux.pipeline.TrackInfo;
import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.amf.Amf0Encoder;
import io.livemux.rtmp.flv.FlvPacketEncoder;
import io.livemux.rtmp.flv.FlvSamples;
import io.livemux.rtmp.flv.FlvTracks;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one H.264 or H.265 video track and/or one AAC audio track to an RTMP or RTMPS server,
 * as a pipeline {@link SampleSink}: put it in a pipeline with {@code SinkOptions.realTime()} (as
 * {@link RtmpStreamer} does) and congestion drops samples by the pipeline's policy — disposable
 * frames first, then video up to the next keyframe, audio last — while producers never wait.
 *
 * <p>{@link #start} connects, shakes hands and publishes (connect, releaseStream, FCPublish,
 * createStream, publish), then sends onMetaData and the sequence headers; a refusal ({@code
 * _error}, an error {@code onStatus} such as {@code NetStream.Publish.BadName}), a refused
 * connection or a timeout is an {@link RtmpException} naming it. Each sample becomes one message:
 * the DTS in milliseconds as its timestamp (modulo 2<sup>32</sup>, RTMP 5.3.1.3; when the first
 * sample's DTS is negative, as B-frames make it, every timestamp is shifted by that much so the
 * stream starts at 0; an AAC track's encoder priming, which an MP4 hides with an edit list, is
 * stamped before its access unit's time, so that audio and video stay in sync), PTS − DTS as the
 * FLV composition time, HEVC in enhanced RTMP v2 packets. PCM and other codecs are refused at
 * {@link #start}: RTMP carries AAC.
 *
 * <p><b>Failures.</b> A lost connection, an error status from the server, or a write that makes no
 * progress for {@link RtmpPublisherOptions#writeStallTimeoutMs()} fails the sink — unless
 * reconnection is enabled ({@link RtmpPublisherOptions#withReconnect}): then the next sample
 * reconnects with backoff, sends onMetaData and the sequence headers again, and video resumes at
 * its next keyframe. Frames that arrive while reconnecting wait in the pipeline lane, which drops by
 * policy when full.
 *
 * <p><b>Threads.</b> {@code start}, {@code formatChanged}, {@code write} and {@code finish} come
 * from the pipeline's worker thread for this sink; {@link #cancel()} and {@link #stats()} from any
 * thread. The connection has a reader thread of its own (pings, acknowledgements, the server's
 * statuses).
 */
public final class RtmpPublisher implements SampleSink {
  private static final Logger log = LoggerFactory.getLogger(RtmpPublisher.class);
  private static final int NONE = FlvTracks.NONE;

  private final RtmpPublisherOptions options;
  private final ThreadFactory threads;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final MediaPacketizer packetizer = new MediaPacketizer();
  private final CompletableFuture<Void> published = new CompletableFuture<>();

  private volatile RtmpConnection connection;
  private MediaFormat[] formats;
  private boolean[] pendingSequenceHeader;
  private int videoTrack = NONE;
  private int audioTrack = NONE;
  private boolean awaitingKeyframe;
  /** Added to every decode time; fixed by the first sample (-1 before it). */
  private long timestampOffsetMs = -1;
  private boolean needsReconnect;

  // Written by the worker thread only; read by stats() from any thread.
  private volatile long bytesSentBefore;
  private volatile long videoFramesSent;
  private volatile long audioFramesSent;
  private volatile long bitrateBps;
  private volatile int reconnects;
  private volatile long framesSkipped;
  private volatile long framesLost;
  private volatile long maxSendBlockedUs;
  private long windowStartNanos;
  private long windowStartBytes;

  /** A publisher to {@code options.url()}; nothing happens until the pipeline starts it. */
  public RtmpPublisher(RtmpPublisherOptions options) {
    this(options, Thread::new);
  }

  RtmpPublisher(RtmpPublisherOptions options, ThreadFactory threads) {
    if (options == null) {
      throw new NullPointerException("options");
    }
    this.options = options;
    this.threads = threads;
  }

  /** Throws unless RTMP carries {@code format}: H.264, H.265 (enhanced RTMP) or AAC. */
  public static void checkSupported(MediaFormat format) throws RtmpException {
    if (format instanceof PcmFormat) {
      throw new RtmpException(
          "cannot publish " + format + " over RTMP: RTMP carries AAC audio, not PCM; encode the PCM"
              + " to AAC first (record PCM to MP4 instead, which keeps it as is)");
    }
    if (!(format instanceof H264Format || format instanceof H265Format
        || format instanceof AacFormat)) {
      throw new RtmpException(
          "cannot publish " + format + " over RTMP: livemux publishes H.264, H.265 and AAC tracks");
    }
  }

  @Override
  public void start(List<TrackInfo> tracks) throws IOException {
    for (TrackInfo t : tracks) {
      checkSupported(t.format());
    }
    FlvTracks assigned = FlvTracks.of(tracks, "RTMP");
    videoTrack = assigned.videoTrack();
    audioTrack = assigned.audioTrack();
    formats = assigned.formats();
    pendingSequenceHeader = new boolean[tracks.size()];
    try {
      connect();
    } catch (IOException | RuntimeException e) {
      published.completeExceptionally(e);
      throw e;
    }
    published.complete(null);
  }

  /**
   * Completes once the server accepted the publish and the sequence headers were sent, or
   * exceptionally with the reason it refused or could not be reached.
   */
  public CompletableFuture<Void> published() {
    return published;
  }

  private void connect() throws IOException {
    List<String> fourCcs =
        videoTrack != NONE && formats[videoTrack] instanceof H265Format
            ? Collections.singletonList("hvc1")
            : Collections.<String>emptyList();
    RtmpConnection c = RtmpConnection.open(options, threads, fourCcs);
    if (cancelled.getCount() == 0) {
      c.abort();
      throw new RtmpException("publishing to " + options.url() + " was cancelled");
    }
    connection = c;
    windowStartNanos = System.nanoTime();
    windowStartBytes = bytesSent();
    c.sendData(Amf0Encoder.encode("@setDataFrame", "onMetaData",
        FlvSamples.onMetaData(
            videoTrack != NONE ? formats[videoTrack] : null,
            audioTrack != NONE ? formats[audioTrack] : null)));
    for (int track = 0; track < formats.length; track++) {
      sendSequenceHeader(c, track, 0);
    }
  }

  private void sendSequenceHeader(RtmpConnection c, int track, long timestampMs) throws IOException {
    if (track == videoTrack) {
      c.sendPacket(RtmpConnection.TYPE_VIDEO, timestampMs,
          FlvPacketEncoder.video(FlvSamples.videoSequenceStart(formats[track])));
    } else {
      c.sendPacket(RtmpConnection.TYPE_AUDIO, timestampMs,
          FlvPacketEncoder.audio(FlvSamples.audioSequenceHeader(formats[track])));
    }
    pendingSequenceHeader[track] = false;
  }

  @Override
  public void formatChanged(int track, MediaFormat newFormat) throws IOException {
    checkSupported(newFormat);
    if ((newFormat instanceof VideoFormat) != (formats[track] instanceof VideoFormat)) {
      throw new RtmpException("track " + track + " changed from " + formats[track] + " to " + newFormat);
    }
    if (!newFormat.equals(formats[track])) {
      formats[track] = newFormat;
      pendingSequenceHeader[track] = true;
    }
  }

  @Override
  public void write(int track, Sample sample) throws IOException {
    if (needsReconnect) {
      reconnect();
    }
    boolean video = track == videoTrack;
    if (video && awaitingKeyframe) {
      if (!sample.isSync()) {
        framesSkipped++;
        return;
      }
      awaitingKeyframe = false;
    }
    if (timestampOffsetMs < 0) {
      // B-frames give decode times before zero (an MP4's edit list, say); RTMP has no negative
      // timestamps, so the stream is shifted once, by the first sample's, as ffmpeg's FLV muxer
      // does. AAC priming is stamped before its access unit's time (MediaPacketizer.primingMs):
      // room is kept for it whichever track's first sample comes first.
      long firstMs = FlvSamples.decodeTimeMs(sample);
      long primingMs = 0;
      for (MediaFormat f : formats) {
        primingMs = Math.max(primingMs, MediaPacketizer.primingMs(f));
      }
      timestampOffsetMs = Math.max(0, primingMs - firstMs);
    }
    long timestampMs = MediaPacketizer.messageTimestampMs(sample, timestampOffsetMs);
    RtmpConnection c = connection;
    try {
      if (pendingSequenceHeader[track]) {
        sendSequenceHeader(c, track, timestampMs);
      }
      int length = packetizer.prepare(sample, formats[track]);
      long before = System.nanoTime();
      c.sendMedia(video ? RtmpConnection.CSID_VIDEO : RtmpConnection.CSID_AUDIO,
          video ? RtmpConnection.TYPE_VIDEO : RtmpConnection.TYPE_AUDIO, timestampMs, length,
          packetizer);
      long now = System.nanoTime();
      long blockedUs = (now - before) / 1000;
      if (blockedUs > maxSendBlockedUs) {
        maxSendBlockedUs = blockedUs;
      }
      if (video) {
        videoFramesSent++;
      } else {
        audioFramesSent++;
      }
      if (now - windowStartNanos >= 1_000_000_000L) {
        long bytes = bytesSent();
        bitrateBps = (bytes - windowStartBytes) * 8_000_000_000L / (now - windowStartNanos);
        windowStartNanos = now;
        windowStartBytes = bytes;
      }
    } catch (IOException e) {
      if (cancelled.getCount() == 0 || options.maxReconnectAttempts() == 0
          || e instanceof InterruptedIOException) {
        throw e;
      }
      framesLost++;
      log.warn("publishing to {} failed, reconnecting: {}", options.url(), e.getMessage());
      dropConnection();
      needsReconnect = true;
    } finally {
      packetizer.clear();
    }
  }

  private void dropConnection() {
    RtmpConnection c = connection;
    if (c != null) {
      bytesSentBefore += c.bytesSent();
      connection = null;
      c.abort();
    }
  }

  /** Reconnects with backoff; throws when cancelled or out of attempts. From the worker thread. */
  private void reconnect() throws IOException {
    long backoffMs = options.reconnectInitialBackoffMs();
    IOException last = null;
    for (int attempt = 1; attempt <= options.maxReconnectAttempts(); attempt++) {
      try {
        if (cancelled.await(backoffMs, TimeUnit.MILLISECONDS)) {
          throw new RtmpException("publishing to " + options.url() + " was cancelled while reconnecting");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted =
            new InterruptedIOException("interrupted while reconnecting to " + options.url());
        interrupted.initCause(e);
        throw interrupted;
      }
      try {
        connect();
        needsReconnect = false;
        awaitingKeyframe = videoTrack != NONE;
        reconnects++;
        log.info("reconnected to {} after {} attempt(s)", options.url(), attempt);
        return;
      } catch (IOException e) {
        last = e;
        dropConnection();
        log.debug("reconnect attempt {} to {} failed: {}", attempt, options.url(), e.getMessage());
      }
      backoffMs = Math.min(backoffMs * 2, options.reconnectMaxBackoffMs());
    }
    throw new RtmpException(
        "gave up publishing to " + options.url() + " after " + options.maxReconnectAttempts()
            + " reconnection attempts; the last failed with: "
            + (last == null ? "nothing" : last.getMessage()),
        last);
  }

  @Override
  public void finish() throws IOException {
    RtmpConnection c = connection;
    if (c == null) {
      return;
    }
    c.checkAlive();
    c.closeCleanly();
  }

  @Override
  public void cancel() {
    cancelled.countDown();
    published.completeExceptionally(
        new RtmpException("publishing to " + options.url() + " was cancelled"));
    RtmpConnection c = connection;
    if (c != null) {
      c.abort();
    }
  }

  private long bytesSent() {
    RtmpConnection c = connection;
    return bytesSentBefore + (c == null ? 0 : c.bytesSent());
  }

  /** Figures so far, from any thread. */
  public PublishStats stats() {
    RtmpConnection c = connection;
    return new PublishStats(
        bytesSent(), videoFramesSent, audioFramesSent, bitrateBps,
        c == null ? -1 : c.roundTripMs(), reconnects, framesSkipped, framesLost,
        maxSendBlockedUs, c != null);
  }

  /** The options this publisher was made with. */
  public RtmpPublisherOptions options() {
    return options;
  }

}
