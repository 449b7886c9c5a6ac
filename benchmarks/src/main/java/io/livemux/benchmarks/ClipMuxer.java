package io.livemux.benchmarks;

import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.mp4.Mp4Options;
import io.livemux.mp4.Mp4Recorder;
import io.livemux.mp4.Mp4Result;
import io.livemux.mp4.Mp4Writer;
import io.livemux.pipeline.AppendResult;
import io.livemux.pipeline.BenchmarkTracks;
import io.livemux.pipeline.TrackInfo;
import io.livemux.pipeline.WriterInput;
import io.livemux.sample.Sample;
import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.mp4.AvcCBox;
import org.jcodec.codecs.mpeg4.mp4.EsdsBox;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Packet;
import org.jcodec.containers.mp4.MP4TrackType;
import org.jcodec.containers.mp4.boxes.AudioSampleEntry;
import org.jcodec.containers.mp4.muxer.MP4Muxer;
import org.jcodec.containers.mp4.muxer.MP4MuxerTrack;
import org.mp4parser.boxes.iso14496.part12.SampleDescriptionBox;
import org.mp4parser.streaming.StreamingSample;
import org.mp4parser.streaming.StreamingTrack;
import org.mp4parser.streaming.extensions.CompositionTimeSampleExtension;
import org.mp4parser.streaming.extensions.CompositionTimeTrackExtension;
import org.mp4parser.streaming.extensions.SampleFlagsSampleExtension;
import org.mp4parser.streaming.extensions.TrackIdTrackExtension;
import org.mp4parser.streaming.input.AbstractStreamingTrack;
import org.mp4parser.streaming.input.StreamingSampleImpl;
import org.mp4parser.streaming.output.mp4.FragmentedMp4Writer;

/**
 * Muxes the whole {@link BenchmarkMedia} clip, pass-through, into one MP4 file, with one library.
 * Each implementation turns the clip's samples into its library's own input objects once, when it is
 * made, so a {@link #mux} call measures the muxer and nothing else; it leaves those objects ready
 * for the next call. Not thread-safe: one benchmark thread.
 */
interface ClipMuxer {
  /** Writes the clip to {@code out} (created or truncated) and finishes the file. */
  void mux(Path out) throws Exception;

  static ClipMuxer of(String name, BenchmarkMedia media) throws IOException {
    switch (name) {
      case "livemux-writer":
        return new LivemuxWriter(media);
      case "livemux-recorder":
        return new LivemuxRecorder(media);
      case "mp4parser":
        return new Mp4parserStreaming(media);
      case "jcodec":
        return new Jcodec(media);
      case "payload-only":
        return new PayloadOnly(media);
      default:
        throw new IllegalArgumentException(
            "muxer must be livemux-writer, livemux-recorder, mp4parser, jcodec or payload-only: "
                + name);
    }
  }

  /**
   * The control: no MP4 at all, the payloads alone in decode order, copied into one reused 1 MiB
   * direct buffer that is written whenever it fills. One copy in Java and one in the kernel is
   * the least any muxer must do with payloads held in heap buffers; the muxers here do one more
   * (livemux copies into its fragment buffer, the JDK copies each heap buffer it is given into a
   * temporary direct buffer).
   */
  final class PayloadOnly implements ClipMuxer {
    private final ByteBuffer[] payloads;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20);

    PayloadOnly(BenchmarkMedia media) {
      payloads = new ByteBuffer[media.sampleCount()];
      for (int i = 0; i < payloads.length; i++) {
        payloads[i] = media.orderSample[i].payload();
      }
    }

    @Override
    public void mux(Path out) throws IOException {
      try (FileChannel channel =
          FileChannel.open(
              out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ((Buffer) staging).clear();
        for (ByteBuffer payload : payloads) {
          while (payload.hasRemaining()) {
            if (!staging.hasRemaining()) {
              drain(channel);
            }
            int n = Math.min(payload.remaining(), staging.remaining());
            int limit = payload.limit();
            ((Buffer) payload).limit(payload.position() + n);
            staging.put(payload);
            ((Buffer) payload).limit(limit);
          }
          ((Buffer) payload).rewind();
        }
        drain(channel);
      }
    }

    private void drain(FileChannel channel) throws IOException {
      ((Buffer) staging).flip();
      while (staging.hasRemaining()) {
        channel.write(staging);
      }
      ((Buffer) staging).clear();
    }
  }

  /** {@link Mp4Writer} driven directly as a sink, on the calling thread (the engine alone). */
  final class LivemuxWriter implements ClipMuxer {
    private final BenchmarkMedia media;
    private final List<TrackInfo> tracks;

    LivemuxWriter(BenchmarkMedia media) {
      this.media = media;
      this.tracks = BenchmarkTracks.of(media.formats());
    }

    @Override
    public void mux(Path out) throws IOException {
      Mp4Writer writer = new Mp4Writer(out, Mp4Options.defaults());
      writer.start(tracks);
      int[] order = media.orderTrack;
      Sample[] samples = media.orderSample;
      for (int i = 0; i < samples.length; i++) {
        writer.write(order[i], samples[i]);
      }
      writer.finish();
    }
  }

  /**
   * {@link Mp4Recorder}: the caller appends (waiting when the lossless queue is full) and the
   * pipeline's worker thread writes; ends when {@code finish()}'s future completes.
   */
  final class LivemuxRecorder implements ClipMuxer {
    private final BenchmarkMedia media;

    LivemuxRecorder(BenchmarkMedia media) {
      this.media = media;
    }

    @Override
    public void mux(Path out) throws Exception {
      Mp4Recorder recorder = Mp4Recorder.create(out, Mp4Options.defaults());
      WriterInput[] inputs = new WriterInput[media.tracks.size()];
      for (int t = 0; t < inputs.length; t++) {
        inputs[t] = recorder.addTrack(media.tracks.get(t).format, false);
      }
      recorder.start();
      int[] order = media.orderTrack;
      Sample[] samples = media.orderSample;
      for (int i = 0; i < samples.length; i++) {
        WriterInput input = inputs[order[i]];
        AppendResult r;
        while ((r = input.append(samples[i])) == AppendResult.NOT_READY) {
          input.awaitReady(10, TimeUnit.SECONDS);
        }
        if (r != AppendResult.ACCEPTED) {
          throw new IllegalStateException("sample " + i + " not accepted: " + r);
        }
      }
      Mp4Result result = recorder.finish().get(10, TimeUnit.SECONDS);
      if (result.samplesDropped() != 0 || result.samplesRejected() != 0) {
        throw new IllegalStateException("recording lost samples: " + result);
      }
    }
  }

  /**
   * mp4parser's streaming {@link FragmentedMp4Writer} (org.mp4parser:streaming): the clip's tracks
   * as pass-through {@link StreamingTrack}s, each sample a {@link StreamingSampleImpl} with its sync
   * flag and composition offset, as mp4parser's own {@code ClassicMp4ContainerSource} builds them.
   */
  final class Mp4parserStreaming implements ClipMuxer {
    private final BenchmarkMedia media;
    private final List<StreamingTrack> tracks;
    private final StreamingTrack[] orderTrack;
    private final StreamingSample[] orderSample;

    /** A track whose samples the benchmark pushes straight into the writer. */
    private static final class PassThroughTrack extends AbstractStreamingTrack {
      private final long timescale;
      private final String handler;
      private final SampleDescriptionBox stsd = new SampleDescriptionBox();

      PassThroughTrack(BenchmarkMedia.SourceTrack source, int trackId) {
        this.timescale = source.timescale;
        this.handler = source.handler;
        stsd.addBox(source.sampleEntry);
        addTrackExtension(new TrackIdTrackExtension(trackId));
        if (handler.equals("vide")) {
          addTrackExtension(new CompositionTimeTrackExtension());
        }
      }

      @Override
      public long getTimescale() {
        return timescale;
      }

      @Override
      public String getHandler() {
        return handler;
      }

      @Override
      public String getLanguage() {
        return "und";
      }

      @Override
      public SampleDescriptionBox getSampleDescriptionBox() {
        return stsd;
      }

      @Override
      public void close() {}
    }

    Mp4parserStreaming(BenchmarkMedia media) {
      this.media = media;
      PassThroughTrack[] byIndex = new PassThroughTrack[media.tracks.size()];
      for (int t = 0; t < byIndex.length; t++) {
        byIndex[t] = new PassThroughTrack(media.tracks.get(t), t + 1);
      }
      this.tracks = List.of(byIndex);
      orderTrack = new StreamingTrack[media.sampleCount()];
      orderSample = new StreamingSample[media.sampleCount()];
      for (int i = 0; i < orderSample.length; i++) {
        Sample s = media.orderSample[i];
        PassThroughTrack track = byIndex[media.orderTrack[i]];
        StreamingSampleImpl sample = new StreamingSampleImpl(s.payload(), s.durationTicks());
        SampleFlagsSampleExtension flags = new SampleFlagsSampleExtension();
        flags.setSampleIsNonSyncSample(!s.isSync());
        flags.setSampleDependsOn(s.isSync() ? 2 : 1);
        sample.addSampleExtension(flags);
        if (track.getTrackExtension(CompositionTimeTrackExtension.class) != null) {
          sample.addSampleExtension(CompositionTimeSampleExtension.create(s.compositionOffsetTicks()));
        }
        orderTrack[i] = track;
        orderSample[i] = sample;
      }
    }

    @Override
    public void mux(Path out) throws IOException {
      try (FileChannel channel =
          FileChannel.open(
              out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        FragmentedMp4Writer writer = new FragmentedMp4Writer(tracks, channel);
        for (int i = 0; i < orderSample.length; i++) {
          writer.acceptSample(orderSample[i], orderTrack[i]);
        }
        writer.close();
      }
      for (StreamingSample s : orderSample) {
        ((Buffer) s.getContent()).rewind(); // mp4parser's mdat write consumed the payload views
      }
    }
  }

  /**
   * JCodec 0.2.5's {@link MP4Muxer} with pass-through {@link MP4MuxerTrack}s (the tracks under its
   * {@code addVideoTrack}/{@code addAudioTrack}, without their Annex B / ADTS parsing: our samples
   * are already length-prefixed NAL units and raw AAC frames), sample entries from the formats.
   */
  final class Jcodec implements ClipMuxer {
    private final BenchmarkMedia media;
    private final org.jcodec.containers.mp4.boxes.SampleEntry[] entries;
    private final Packet[] packets;

    Jcodec(BenchmarkMedia media) {
      this.media = media;
      entries = new org.jcodec.containers.mp4.boxes.SampleEntry[media.tracks.size()];
      for (int t = 0; t < entries.length; t++) {
        Object format = media.tracks.get(t).format;
        if (format instanceof H264Format) {
          ByteBuffer avcC = ByteBuffer.allocate(((H264Format) format).avcC().remaining());
          avcC.put(((H264Format) format).avcC());
          ((Buffer) avcC).flip();
          entries[t] = H264Utils.createMOVSampleEntryFromAvcC(AvcCBox.parseAvcCBox(avcC));
        } else {
          AacFormat aac = (AacFormat) format;
          AudioSampleEntry entry =
              AudioSampleEntry.compressedAudioSampleEntry(
                  "mp4a", 1, 16, aac.channelCount(), aac.sampleRateHz(), 0, 0, 0);
          // objectTypeIndication 0x40: ISO/IEC 14496-3 audio (14496-1 Table 5).
          entry.add(EsdsBox.createEsdsBox(aac.audioSpecificConfig(), 0x40, 0, 0, 0, t + 1));
          entries[t] = entry;
        }
      }
      packets = new Packet[media.sampleCount()];
      for (int i = 0; i < packets.length; i++) {
        Sample s = media.orderSample[i];
        packets[i] =
            Packet.createPacket(
                s.payload(), s.presentationTimeTicks(), s.timescale(), s.durationTicks(), i,
                s.isSync() ? Packet.FrameType.KEY : Packet.FrameType.INTER, null);
      }
    }

    @Override
    public void mux(Path out) throws IOException {
      try (SeekableByteChannel channel = NIOUtils.writableChannel(out.toFile())) {
        MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(channel);
        MP4MuxerTrack[] tracks = new MP4MuxerTrack[entries.length];
        for (int t = 0; t < tracks.length; t++) {
          MP4TrackType type = entries[t] instanceof AudioSampleEntry ? MP4TrackType.SOUND : MP4TrackType.VIDEO;
          tracks[t] = muxer.addTrack(new MP4MuxerTrack(t + 1, type));
          tracks[t].addSampleEntry(entries[t]);
        }
        int[] order = media.orderTrack;
        for (int i = 0; i < packets.length; i++) {
          tracks[order[i]].addFrame(packets[i]);
        }
        muxer.finish();
      }
      for (Packet p : packets) {
        ((Buffer) p.getData()).rewind(); // JCodec's write consumed the payload views
      }
    }
  }
}
