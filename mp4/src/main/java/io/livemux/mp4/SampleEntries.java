package io.livemux.mp4;

import io.livemux.LivemuxException;
import io.livemux.format.AacFormat;
import io.livemux.format.H264Format;
import io.livemux.format.H265Format;
import io.livemux.format.MediaFormat;
import io.livemux.format.PcmFormat;
import java.nio.ByteBuffer;

/**
 * Reads a track's sample description (14496-12 8.5.2 'stsd') into a livemux {@link MediaFormat}:
 * 'avc1'/'avc3' with 'avcC' and 'hvc1'/'hev1' with 'hvcC' (14496-15), 'mp4a' with 'esds'
 * (14496-14) holding AAC. Anything else is refused, naming the sample entry type.
 */
final class SampleEntries {
  private SampleEntries() {}

  /** Bytes of a VisualSampleEntry (12.1.3) before its child boxes, after the box header. */
  private static final int VISUAL_ENTRY_FIELDS = 78;
  /** Bytes of an AudioSampleEntry (12.2.3) version 0 before its child boxes. */
  private static final int AUDIO_ENTRY_FIELDS = 28;

  /** The format of the first sample entry of {@code stsd} in track {@code trackId}. */
  static MediaFormat format(BoxData stsd, int trackId) throws Mp4Exception {
    stsd.versionAndFlags();
    long entries = stsd.u32("entry_count");
    BoxData entry = stsd.nextChild();
    if (entries < 1 || entry == null) {
      throw new Mp4Exception("malformed MP4: track " + trackId + " has no sample entry in " + stsd.path);
    }
    String type = entry.type;
    try {
      switch (type) {
        case "avc1":
        case "avc3":
          return H264Format.fromAvcC(ByteBuffer.wrap(visualConfig(entry, "avcC").rest()));
        case "hvc1":
        case "hev1":
          return H265Format.fromHvcC(ByteBuffer.wrap(visualConfig(entry, "hvcC").rest()));
        case "mp4a":
          return aac(entry, trackId);
        case "sowt":
          return sowt(entry, trackId);
        default:
          throw new Mp4Exception(
              "track " + trackId + " has sample entry '" + BoxData.printable(type)
                  + "': livemux reads H.264 ('avc1', 'avc3'), H.265 ('hvc1', 'hev1'), AAC ('mp4a')"
                  + " and 16-bit PCM ('sowt') tracks");
      }
    } catch (Mp4Exception e) {
      throw e;
    } catch (LivemuxException e) {
      throw new Mp4Exception(
          "malformed MP4: track " + trackId + " sample entry '" + BoxData.printable(type) + "': " + e.getMessage(), e);
    }
  }

  /** QuickTime 'sowt' (16-bit little-endian PCM), version 0, as the writer makes it. */
  private static PcmFormat sowt(BoxData entry, int trackId) throws Mp4Exception {
    entry.skip(8, "SampleEntry fields");
    int version = entry.u16("sound version");
    entry.skip(6, "revision and vendor");
    int channels = entry.u16("channelcount");
    int bits = entry.u16("samplesize");
    entry.skip(4, "compression ID and packet size");
    long rate = entry.u32("samplerate") >>> 16;
    if (version != 0 || bits != 16 || channels < 1 || channels > PcmFormat.MAX_CHANNELS || rate < 1) {
      throw new Mp4Exception(
          "track " + trackId + " 'sowt' entry: livemux reads version 0, 16-bit, 1.."
              + PcmFormat.MAX_CHANNELS + " channels; got version " + version + ", " + bits + " bits, "
              + channels + " channels, " + rate + " Hz");
    }
    return PcmFormat.s16le((int) rate, channels);
  }

  private static BoxData visualConfig(BoxData entry, String configType) throws Mp4Exception {
    entry.skip(VISUAL_ENTRY_FIELDS, "VisualSampleEntry fields");
    return entry.require(configType);
  }

  /** 14496-14 5.6: an 'mp4a' entry's 'esds' must describe AAC (objectTypeIndication 0x40, 0x66-0x68). */
  private static AacFormat aac(BoxData entry, int trackId) throws Mp4Exception, LivemuxException {
    entry.skip(8, "SampleEntry fields");
    int version = entry.u16("sound version"); // QuickTime sound descriptions reuse this field
    entry.skip(AUDIO_ENTRY_FIELDS - 10, "AudioSampleEntry fields");
    if (version == 1) {
      entry.skip(16, "sound description v1 fields");
    } else if (version == 2) {
      entry.skip(36, "sound description v2 fields");
    }
    BoxData esds = entry.child("esds");
    if (esds == null) {
      BoxData wave = entry.child("wave"); // QuickTime wraps esds in 'wave'
      esds = wave == null ? null : wave.child("esds");
    }
    if (esds == null) {
      throw new Mp4Exception("malformed MP4: track " + trackId + " 'mp4a' entry has no 'esds' box");
    }
    esds.versionAndFlags();
    return AacFormat.fromAudioSpecificConfig(ByteBuffer.wrap(decoderSpecificInfo(esds, trackId)));
  }

  /** Walks ES_Descriptor (14496-1 7.2.6.5) to the DecoderSpecificInfo of its DecoderConfigDescriptor. */
  private static byte[] decoderSpecificInfo(BoxData esds, int trackId) throws Mp4Exception {
    if (esds.u8("ES_DescrTag") != 0x03) {
      throw new Mp4Exception("malformed MP4: " + esds.path + " does not start with an ES_Descriptor");
    }
    descriptorLength(esds);
    esds.skip(2, "ES_ID");
    int esFlags = esds.u8("ES flags");
    if ((esFlags & 0x80) != 0) {
      esds.skip(2, "dependsOn_ES_ID");
    }
    if ((esFlags & 0x40) != 0) {
      esds.skip(esds.u8("URLlength"), "URLstring");
    }
    if ((esFlags & 0x20) != 0) {
      esds.skip(2, "OCR_ES_Id");
    }
    if (esds.u8("DecoderConfigDescrTag") != 0x04) {
      throw new Mp4Exception("malformed MP4: " + esds.path + " has no DecoderConfigDescriptor");
    }
    descriptorLength(esds);
    int objectType = esds.u8("objectTypeIndication");
    if (objectType != 0x40 && (objectType < 0x66 || objectType > 0x68)) {
      throw new Mp4Exception(
          "track " + trackId + " has sample entry 'mp4a' with objectTypeIndication 0x"
              + Integer.toHexString(objectType) + ", which is not AAC: livemux reads AAC audio only");
    }
    esds.skip(12, "DecoderConfigDescriptor fields");
    if (esds.u8("DecSpecificInfoTag") != 0x05) {
      throw new Mp4Exception("malformed MP4: " + esds.path + " has no DecoderSpecificInfo");
    }
    return esds.bytes(descriptorLength(esds), "DecoderSpecificInfo");
  }

  /** 14496-1 8.3.3: a size in up to four 7-bit groups, high bit = more. */
  private static int descriptorLength(BoxData esds) throws Mp4Exception {
    int length = 0;
    for (int i = 0; i < 4; i++) {
      int b = esds.u8("descriptor size");
      length = length << 7 | (b & 0x7F);
      if ((b & 0x80) == 0) {
        break;
      }
    }
    return length;
  }
}
