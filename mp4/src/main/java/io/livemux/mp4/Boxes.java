package io.livemux.mp4;

import io.livemux.format.AacFormat;
import io.livemux.format.AudioFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import io.livemux.format.VideoFormat;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One small static method per box, named by its four-character code, each writing its fields with
 * the clause of ISO/IEC 14496-12 (ISOBMFF) or 14496-15 (NAL-unit file formats) that defines it.
 */
final class Boxes {
  private Boxes() {}

  /** Movie timescale: milliseconds, as most writers use. */
  static final int MOVIE_TIMESCALE = 1000;

  /** Size of the placeholder that finalization turns into a 64-bit mdat header. */
  static final int PLACEHOLDER_SIZE = 16;

  /** sample_flags (14496-12 8.8.3.1) of a sync sample: sample_depends_on = 2 (does not depend). */
  static final int FLAGS_SYNC = 0x0200_0000;
  /** sample_flags of a non-sync sample: sample_depends_on = 1, sample_is_non_sync_sample = 1. */
  static final int FLAGS_NON_SYNC = 0x0101_0000;
  /** sample_is_depended_on = 2: no other sample refers to this one. */
  static final int FLAGS_DISPOSABLE = 0x0080_0000;

  /** 4.3 FileTypeBox. */
  static void ftyp(BoxBuffer b) {
    int box = b.start("ftyp");
    b.fourcc("isom"); // major_brand
    b.u32(0x200); // minor_version
    for (String brand : new String[] {"isom", "iso6", "iso2", "avc1", "mp41"}) {
      b.fourcc(brand); // compatible_brands
    }
    b.end(box);
  }

  /**
   * A 16-byte free box (8.1.2) standing where finalization writes a 64-bit mdat header (size = 1,
   * 'mdat', largesize) that spans the fragments.
   */
  static void placeholder(BoxBuffer b) {
    int box = b.start("free");
    b.u64(0);
    b.end(box);
  }

  /** The 64-bit mdat header (8.1.1) that replaces the placeholder: its payload runs to {@code endOffset}. */
  static ByteBuffer largeMdatHeader(long placeholderOffset, long endOffset) {
    BoxBuffer b = new BoxBuffer(PLACEHOLDER_SIZE);
    b.u32(1); // size = 1: largesize follows
    b.fourcc("mdat");
    b.u64(endOffset - placeholderOffset); // largesize
    return b.toByteBuffer();
  }

  /** 8.2.2 MovieHeaderBox, version 1 (64-bit duration). */
  static void mvhd(BoxBuffer b, long durationMovieTicks, int nextTrackId) {
    int box = b.startFull("mvhd", 1, 0);
    b.u64(0); // creation_time
    b.u64(0); // modification_time
    b.u32(MOVIE_TIMESCALE); // timescale
    b.u64(durationMovieTicks); // duration
    b.u32(0x0001_0000); // rate 1.0
    b.u16(0x0100); // volume 1.0
    b.zeros(2 + 8); // reserved
    matrix(b);
    b.zeros(6 * 4); // pre_defined
    b.u32(nextTrackId); // next_track_ID
    b.end(box);
  }

  private static void matrix(BoxBuffer b) {
    int[] unity = {0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000};
    for (int v : unity) {
      b.u32(v);
    }
  }

  /** 8.3.2 TrackHeaderBox, version 1; flags 3 = track_enabled | track_in_movie. */
  static void tkhd(BoxBuffer b, int trackId, MediaFormat format, long durationMovieTicks) {
    int box = b.startFull("tkhd", 1, 3);
    b.u64(0); // creation_time
    b.u64(0); // modification_time
    b.u32(trackId); // track_ID
    b.u32(0); // reserved
    b.u64(durationMovieTicks); // duration
    b.zeros(8); // reserved
    b.u16(0); // layer
    b.u16(0); // alternate_group
    b.u16(format instanceof AudioFormat ? 0x0100 : 0); // volume
    b.u16(0); // reserved
    matrix(b);
    if (format instanceof VideoFormat) {
      b.u32((long) ((VideoFormat) format).width() << 16); // width, 16.16
      b.u32((long) ((VideoFormat) format).height() << 16); // height, 16.16
    } else {
      b.u32(0);
      b.u32(0);
    }
    b.end(box);
  }

  /**
   * 8.6.5 EditBox with one EditListBox (8.6.6, version 1): an optional empty edit (a delay), then
   * the media from {@code mediaTimeTicks} on.
   */
  static void edts(
      BoxBuffer b, long emptyDurationMovieTicks, long mediaTimeTicks, long segmentDurationMovieTicks) {
    int edts = b.start("edts");
    int elst = b.startFull("elst", 1, 0);
    b.u32(emptyDurationMovieTicks > 0 ? 2 : 1); // entry_count
    if (emptyDurationMovieTicks > 0) {
      b.u64(emptyDurationMovieTicks); // segment_duration
      b.u64(-1L); // media_time -1: empty edit
      b.u16(1).u16(0); // media_rate 1.0
    }
    b.u64(segmentDurationMovieTicks); // segment_duration (0: the whole fragmented track)
    b.u64(mediaTimeTicks); // media_time
    b.u16(1).u16(0); // media_rate_integer, media_rate_fraction
    b.end(elst);
    b.end(edts);
  }

  /** 8.4.2 MediaHeaderBox, version 1; language 'und'. */
  static void mdhd(BoxBuffer b, int timescale, long durationTicks) {
    int box = b.startFull("mdhd", 1, 0);
    b.u64(0); // creation_time
    b.u64(0); // modification_time
    b.u32(timescale); // timescale
    b.u64(durationTicks); // duration
    b.u16(('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60)); // language, ISO-639-2/T packed
    b.u16(0); // pre_defined
    b.end(box);
  }

  /** 8.4.3 HandlerBox. */
  static void hdlr(BoxBuffer b, MediaFormat format) {
    boolean video = format instanceof VideoFormat;
    int box = b.startFull("hdlr", 0, 0);
    b.u32(0); // pre_defined
    b.fourcc(video ? "vide" : "soun"); // handler_type
    b.zeros(12); // reserved
    b.bytes((video ? "VideoHandler\0" : "SoundHandler\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.end(box);
  }

  /** 12.1.2 VideoMediaHeaderBox (flags 1) or 12.2.2 SoundMediaHeaderBox. */
  static void mediaHeader(BoxBuffer b, MediaFormat format) {
    if (format instanceof VideoFormat) {
      int box = b.startFull("vmhd", 0, 1);
      b.u16(0); // graphicsmode
      b.zeros(6); // opcolor
      b.end(box);
    } else {
      int box = b.startFull("smhd", 0, 0);
      b.u16(0); // balance
      b.u16(0); // reserved
      b.end(box);
    }
  }

  /** 8.7.1 DataInformationBox with a self-contained 'url ' entry (flags 1). */
  static void dinf(BoxBuffer b) {
    int dinf = b.start("dinf");
    int dref = b.startFull("dref", 0, 0);
    b.u32(1); // entry_count
    int url = b.startFull("url ", 0, 1);
    b.end(url);
    b.end(dref);
    b.end(dinf);
  }

  /** 8.5.2 SampleDescriptionBox with the one sample entry of {@code format}. */
  static void stsd(BoxBuffer b, MediaFormat format) throws Mp4Exception {
    int box = b.startFull("stsd", 0, 0);
    b.u32(1); // entry_count
    if (format instanceof H264Format) {
      visualSampleEntry(b, "avc1", (VideoFormat) format, "avcC", ((H264Format) format).avcC());
    } else if (format instanceof H265Format) {
      visualSampleEntry(b, "hvc1", (VideoFormat) format, "hvcC", ((H265Format) format).hvcC());
    } else if (format instanceof AacFormat) {
      mp4a(b, (AacFormat) format);
    } else if (format instanceof PcmFormat) {
      sowt(b, (PcmFormat) format);
    } else {
      throw new Mp4Exception(
          "no MP4 sample entry for " + format + ": livemux records H.264, H.265, AAC and PCM tracks");
    }
    b.end(box);
  }

  /**
   * 12.1.3 VisualSampleEntry ('avc1' per 14496-15 5.4.2, 'hvc1' per 8.4.1) with its decoder
   * configuration record box.
   */
  private static void visualSampleEntry(
      BoxBuffer b, String type, VideoFormat format, String configType, ByteBuffer config) {
    int box = b.start(type);
    b.zeros(6); // reserved
    b.u16(1); // data_reference_index
    b.u16(0); // pre_defined
    b.u16(0); // reserved
    b.zeros(12); // pre_defined
    b.u16(format.width()); // width
    b.u16(format.height()); // height
    b.u32(0x0048_0000); // horizresolution 72 dpi
    b.u32(0x0048_0000); // vertresolution 72 dpi
    b.u32(0); // reserved
    b.u16(1); // frame_count
    b.zeros(32); // compressorname
    b.u16(0x0018); // depth
    b.u16(0xFFFF); // pre_defined = -1
    int configBox = b.start(configType);
    b.bytes(config);
    b.end(configBox);
    b.end(box);
  }

  /** 14496-14 5.6 MP4AudioSampleEntry ('mp4a', 12.2.3 AudioSampleEntry) with its 'esds'. */
  private static void mp4a(BoxBuffer b, AacFormat format) {
    int box = b.start("mp4a");
    b.zeros(6); // reserved
    b.u16(1); // data_reference_index
    b.zeros(8); // reserved
    b.u16(format.channelCount()); // channelcount
    b.u16(16); // samplesize
    b.u16(0); // pre_defined
    b.u16(0); // reserved
    b.u32((long) Math.min(format.sampleRateHz(), 0xFFFF) << 16); // samplerate, 16.16
    esds(b, format.audioSpecificConfig());
    b.end(box);
  }

  /**
   * 16-bit little-endian PCM as QuickTime's 'sowt' sound description (version 0), which has the
   * layout of 14496-12 12.2.3 AudioSampleEntry. Chosen because both ffmpeg and Chromium play it
   * in a finished file; neither plays ISO/IEC 23003-5 'ipcm' (ffmpeg 5.1 here) nor does Chrome's
   * MSE take any PCM entry. Each sample is a block of frames; its duration is its frame count.
   */
  private static void sowt(BoxBuffer b, PcmFormat format) {
    int box = b.start("sowt");
    b.zeros(6); // reserved
    b.u16(1); // data_reference_index
    b.u16(0); // version
    b.u16(0); // revision level
    b.u32(0); // vendor
    b.u16(format.channelCount()); // channelcount
    b.u16(16); // samplesize
    b.u16(0); // compression ID
    b.u16(0); // packet size
    b.u32((long) Math.min(format.sampleRateHz(), 0xFFFF) << 16); // samplerate, 16.16
    b.end(box);
  }

  /** 14496-14 5.6 ESDBox: ES_Descriptor with DecoderConfigDescriptor and SLConfigDescriptor (14496-1 7.2.6). */
  private static void esds(BoxBuffer b, ByteBuffer audioSpecificConfig) {
    int box = b.startFull("esds", 0, 0);
    int asc = audioSpecificConfig.remaining();
    int decoderSpecific = 5 + asc;
    int decoderConfig = 5 + 13 + decoderSpecific;
    int sl = 5 + 1;
    b.u8(0x03).u32(0x8080_8000 | (3 + decoderConfig + sl)); // ES_DescrTag, 4-byte size
    b.u16(1); // ES_ID
    b.u8(0); // flags
    b.u8(0x04).u32(0x8080_8000 | (13 + decoderSpecific)); // DecoderConfigDescrTag
    b.u8(0x40); // objectTypeIndication: Audio ISO/IEC 14496-3
    b.u8(0x15); // streamType 5 (audio) << 2 | upStream 0 | reserved 1
    b.u24(0); // bufferSizeDB
    b.u32(0); // maxBitrate
    b.u32(0); // avgBitrate
    b.u8(0x05).u32(0x8080_8000 | asc); // DecSpecificInfoTag
    b.bytes(audioSpecificConfig);
    b.u8(0x06).u32(0x8080_8000 | 1); // SLConfigDescrTag
    b.u8(0x02); // predefined: MP4
    b.end(box);
  }

  /** 8.8.1 MovieExtendsBox with one 8.8.3 TrackExtendsBox per track. */
  static void mvex(BoxBuffer b, int trackCount) {
    int box = b.start("mvex");
    for (int id = 1; id <= trackCount; id++) {
      int trex = b.startFull("trex", 0, 0);
      b.u32(id); // track_ID
      b.u32(1); // default_sample_description_index
      b.u32(0); // default_sample_duration
      b.u32(0); // default_sample_size
      b.u32(0); // default_sample_flags
      b.end(trex);
    }
    b.end(box);
  }

  /** 8.8.5 MovieFragmentHeaderBox. */
  static void mfhd(BoxBuffer b, long sequenceNumber) {
    int box = b.startFull("mfhd", 0, 0);
    b.u32(sequenceNumber); // sequence_number
    b.end(box);
  }

  /** 8.8.7 TrackFragmentHeaderBox: default-base-is-moof (0x020000), nothing else defaulted. */
  static void tfhd(BoxBuffer b, int trackId) {
    int box = b.startFull("tfhd", 0, 0x02_0000);
    b.u32(trackId); // track_ID
    b.end(box);
  }

  /** 8.8.12 TrackFragmentBaseMediaDecodeTimeBox, version 1. */
  static void tfdt(BoxBuffer b, long baseMediaDecodeTimeTicks) {
    int box = b.startFull("tfdt", 1, 0);
    b.u64(baseMediaDecodeTimeTicks); // baseMediaDecodeTime
    b.end(box);
  }

  /**
   * 8.8.8 TrackRunBox, version 1 (signed composition offsets): data-offset, and per sample
   * duration, size, flags and composition offset. Returns the position of data_offset, patched
   * once the moof's size is known.
   */
  static int trun(BoxBuffer b, FragmentRun run, int count) {
    int box = b.startFull("trun", 1, 0x0001 | 0x0100 | 0x0200 | 0x0400 | 0x0800);
    b.u32(count); // sample_count
    int dataOffsetAt = b.position();
    b.u32(0); // data_offset, patched
    for (int i = 0; i < count; i++) {
      b.u32(run.durations[i]); // sample_duration
      b.u32(run.sizes[i]); // sample_size
      b.u32(run.flags[i]); // sample_flags
      b.u32(run.compositionOffsets[i]); // sample_composition_time_offset, signed in version 1
    }
    b.end(box);
    return dataOffsetAt;
  }

  /**
   * 8.8.9 MovieFragmentRandomAccessBox: per track a tfra (8.8.10) with entries {time (the sync
   * sample's presentation time), moof_offset, traf_number, sample_number} (trun_number is always
   * 1: one trun per traf), the number fields as wide as their largest value needs; then mfro.
   */
  static void mfra(BoxBuffer b, List<List<long[]>> entriesByTrack) {
    int box = b.start("mfra");
    for (int t = 0; t < entriesByTrack.size(); t++) {
      List<long[]> entries = entriesByTrack.get(t);
      long maxTraf = 1;
      long maxSample = 1;
      for (long[] e : entries) {
        maxTraf = Math.max(maxTraf, e[2]);
        maxSample = Math.max(maxSample, e[3]);
      }
      int trafSize = numberSizeCode(maxTraf);
      int sampleSize = numberSizeCode(maxSample);
      int tfra = b.startFull("tfra", 1, 0);
      b.u32(t + 1); // track_ID
      // reserved(26), length_size_of_traf_num(2), length_size_of_trun_num(2), length_size_of_sample_num(2)
      b.u32(trafSize << 4 | sampleSize);
      b.u32(entries.size()); // number_of_entry
      for (long[] e : entries) {
        b.u64(e[0]); // time
        b.u64(e[1]); // moof_offset
        number(b, e[2], trafSize); // traf_number
        b.u8(1); // trun_number
        number(b, e[3], sampleSize); // sample_number
      }
      b.end(tfra);
    }
    int mfro = b.startFull("mfro", 0, 0);
    b.u32(b.position() - box + 4); // size of the enclosing mfra, this field included
    b.end(mfro);
    b.end(box);
  }

  /** A tfra length_size code: the field is (code + 1) bytes, enough for {@code max}. */
  private static int numberSizeCode(long max) {
    return max <= 0xFF ? 0 : max <= 0xFFFF ? 1 : max <= 0xFF_FFFFL ? 2 : 3;
  }

  private static void number(BoxBuffer b, long value, int sizeCode) {
    switch (sizeCode) {
      case 0:
        b.u8((int) value);
        break;
      case 1:
        b.u16((int) value);
        break;
      case 2:
        b.u24((int) value);
        break;
      default:
        b.u32(value);
    }
  }

}
