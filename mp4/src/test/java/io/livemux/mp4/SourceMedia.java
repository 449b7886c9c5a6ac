package io.livemux.mp4;

import io.livemux.LivemuxException;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.sample.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mp4parser.Box;
import org.mp4parser.boxes.iso14496.part12.CompositionTimeToSample;
import org.mp4parser.boxes.sampleentry.SampleEntry;
import org.mp4parser.muxer.Movie;
import org.mp4parser.muxer.Track;
import org.mp4parser.muxer.container.mp4.MovieCreator;

/**
 * Reads an MP4 that ffmpeg made into livemux formats and samples, with mp4parser (code we did not
 * write), so tests can feed a recorder with real encoded media and known timestamps.
 */
final class SourceMedia {
  /** One track: its format and samples in decode order. */
  static final class SourceTrack {
    final MediaFormat format;
    final List<Sample> samples;

    SourceTrack(MediaFormat format, List<Sample> samples) {
      this.format = format;
      this.samples = samples;
    }
  }

  private SourceMedia() {}

  /**
   * The track whose next sample (at {@code next[track]}) decodes first, or -1 when every track is
   * used up: the order a live producer appends in.
   */
  static int nextTrack(List<SourceTrack> source, int[] next) {
    int best = -1;
    for (int t = 0; t < source.size(); t++) {
      if (next[t] < source.get(t).samples.size()
          && (best < 0 || source.get(t).samples.get(next[t]).decodeTime()
              .compareTo(source.get(best).samples.get(next[best]).decodeTime()) < 0)) {
        best = t;
      }
    }
    return best;
  }

  /** The tracks as a sink driven without a pipeline sees them. */
  static List<io.livemux.pipeline.TrackInfo> trackInfos(List<SourceTrack> source) {
    List<io.livemux.pipeline.TrackInfo> infos = new ArrayList<>();
    for (int t = 0; t < source.size(); t++) {
      infos.add(io.livemux.pipeline.TrackInfo.of(t, source.get(t).format, false));
    }
    return infos;
  }

  static List<SourceTrack> read(Path mp4) throws IOException {
    Movie movie = MovieCreator.build(mp4.toString());
    List<SourceTrack> out = new ArrayList<>();
    for (Track track : movie.getTracks()) {
      MediaFormat format = formatOf(track.getSampleEntries().get(0));
      int timescale = (int) track.getTrackMetaData().getTimescale();
      long[] durations = track.getSampleDurations();
      int[] offsets = new int[durations.length];
      List<CompositionTimeToSample.Entry> ctts = track.getCompositionTimeEntries();
      if (ctts != null) {
        int i = 0;
        for (CompositionTimeToSample.Entry e : ctts) {
          for (int k = 0; k < e.getCount(); k++) {
            offsets[i++] = e.getOffset();
          }
        }
      }
      long[] sync = track.getSyncSamples();
      List<Sample> samples = new ArrayList<>();
      // Times as ffmpeg presents them: the edit list's empty edit delays the track, and its
      // media_time is the media time shown first (B-frame delay). An AAC track's media_time is its
      // encoder's priming, which Mp4Reader keeps in the format (AacFormat.encoderDelaySamples).
      long shift = 0;
      for (org.mp4parser.muxer.Edit edit : track.getEdits()) {
        if (edit.getMediaTime() == -1) {
          shift += Math.round(edit.getSegmentDuration() * timescale);
        } else if (format instanceof AacFormat && edit.getMediaTime() > 0) {
          AacFormat aac = (AacFormat) format;
          format = aac.withEncoderDelaySamples(
              (int) (edit.getMediaTime() * aac.sampleRateHz() / timescale));
          break;
        } else {
          shift -= edit.getMediaTime();
          break;
        }
      }
      long dts = shift;
      List<org.mp4parser.muxer.Sample> source = track.getSamples();
      for (int i = 0; i < source.size(); i++) {
        ByteBuffer payload = ByteBuffer.wrap(copy(source.get(i).asByteBuffer()));
        boolean isSync = sync == null || Arrays.binarySearch(sync, i + 1) >= 0;
        samples.add(
            Sample.builder(format)
                .timescale(timescale)
                .decodeTimeTicks(dts)
                .presentationTimeTicks(dts + offsets[i])
                .durationTicks(durations[i])
                .flags(isSync ? Sample.FLAG_SYNC : 0)
                .payload(payload)
                .build());
        dts += durations[i];
      }
      out.add(new SourceTrack(format, samples));
    }
    return out;
  }

  private static byte[] copy(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return bytes;
  }

  private static MediaFormat formatOf(SampleEntry entry) throws IOException {
    String type = entry.getType();
    for (Box child : ((org.mp4parser.support.AbstractContainerBox) entry).getBoxes()) {
      byte[] box = serialize(child);
      ByteBuffer body = ByteBuffer.wrap(box, 8, box.length - 8).slice();
      if (child.getType().equals("avcC")) {
        return H264Format.fromAvcC(body);
      }
      if (child.getType().equals("hvcC")) {
        return H265Format.fromHvcC(body);
      }
      if (child.getType().equals("esds")) {
        return AacFormat.fromAudioSpecificConfig(decoderSpecificInfo(box));
      }
    }
    throw new LivemuxException("unsupported sample entry in test source: " + type);
  }

  private static byte[] serialize(Box box) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    box.getBox(Channels.newChannel(bytes));
    return bytes.toByteArray();
  }

  /** The DecoderSpecificInfo (tag 0x05) inside an esds box, found by walking its descriptors. */
  static ByteBuffer decoderSpecificInfo(byte[] esds) throws LivemuxException {
    int i = 12; // size, type, version/flags
    while (i < esds.length) {
      int tag = esds[i++] & 0xFF;
      int length = 0;
      for (int k = 0; k < 4; k++) {
        int b = esds[i++] & 0xFF;
        length = length << 7 | (b & 0x7F);
        if ((b & 0x80) == 0) {
          break;
        }
      }
      if (tag == 0x05) {
        return ByteBuffer.wrap(esds, i, length).slice();
      }
      if (tag == 0x03) {
        i += 3; // ES_ID, flags (no optional fields in ffmpeg's output)
      } else if (tag == 0x04) {
        i += 13;
      } else {
        i += length;
      }
    }
    throw new LivemuxException("no DecoderSpecificInfo in esds");
  }
}
