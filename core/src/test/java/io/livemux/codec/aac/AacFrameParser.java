package io.livemux.codec.aac;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Our own parser of AAC-LC raw_data_block()s (ISO/IEC 14496-3 4.4.2), written from the syntax
 * tables to read back what the encoder writes, element by element: SCE/CPE with ics_info,
 * section_data, scale_factor_data and spectral_data fully Huffman-decoded, FIL and END, and the
 * byte alignment. Anything outside the subset the encoder may produce (or any syntax error) throws
 * {@link LivemuxException} naming the field.
 */
final class AacFrameParser {
  static final int ID_SCE = 0;
  static final int ID_CPE = 1;
  static final int ID_FIL = 6;
  static final int ID_END = 7;

  /** One individual_channel_stream, decoded. */
  static final class Ics {
    int globalGain;
    int windowSequence;
    int windowShape;
    int maxSfb;
    int scaleFactorGrouping;
    int[] groupLengths;
    int[] books;
    int[] scalefactors;
    /** Quantized values in coding order (grouped, interleaved for short windows). */
    final int[] quant = new int[1024];
    long bits;
  }

  /** One syntactic element. */
  static final class Element {
    int id;
    int tag;
    boolean commonWindow;
    int msMaskPresent;
    final List<Ics> channels = new ArrayList<>();
    int fillBytes;
  }

  /** A whole raw_data_block. */
  static final class Frame {
    final List<Element> elements = new ArrayList<>();
    long bits;
  }

  private static final Map<Long, Integer>[] SPECTRUM_DECODE = buildSpectrum();
  private static final Map<Long, Integer> SCALEFACTOR_DECODE = build(Codebooks.scalefactor());

  @SuppressWarnings("unchecked")
  private static Map<Long, Integer>[] buildSpectrum() {
    Map<Long, Integer>[] maps = new Map[12];
    for (int book = 1; book <= 11; book++) {
      maps[book] = build(Codebooks.spectrum(book));
    }
    return maps;
  }

  private static Map<Long, Integer> build(int[] entries) {
    Map<Long, Integer> map = new HashMap<>();
    for (int i = 0; i < entries.length; i++) {
      map.put(((long) Codebooks.length(entries[i]) << 32) | Codebooks.codeword(entries[i]), i);
    }
    return map;
  }

  private final BitReader reader;
  private final ScalefactorBands bands;
  private final int totalBits;

  private AacFrameParser(byte[] frame, int samplingFrequencyIndex) {
    this.reader = BitReader.of(ByteBuffer.wrap(frame));
    this.bands = ScalefactorBands.forIndex(samplingFrequencyIndex);
    this.totalBits = frame.length * 8;
  }

  /** Parses one raw frame of {@code channels} channels (1: an SCE, 2: a CPE). */
  static Frame parse(byte[] frame, int samplingFrequencyIndex, int channels)
      throws LivemuxException {
    return new AacFrameParser(frame, samplingFrequencyIndex).parse(channels);
  }

  private Frame parse(int channels) throws LivemuxException {
    Frame frame = new Frame();
    int audioElements = 0;
    while (true) {
      Element element = new Element();
      element.id = reader.readInt(3, "id_syn_ele");
      if (element.id == ID_END) {
        frame.elements.add(element);
        break;
      }
      switch (element.id) {
        case ID_SCE:
          element.tag = reader.readInt(4, "element_instance_tag");
          element.channels.add(ics(false, null));
          audioElements++;
          break;
        case ID_CPE:
          element.tag = reader.readInt(4, "element_instance_tag");
          element.commonWindow = reader.readFlag("common_window");
          Ics shared = null;
          if (element.commonWindow) {
            shared = new Ics();
            icsInfo(shared);
            element.msMaskPresent = reader.readInt(2, "ms_mask_present");
            if (element.msMaskPresent == 3) {
              throw new LivemuxException("ms_mask_present 3 is reserved");
            }
            if (element.msMaskPresent == 1) {
              reader.skipBits((long) shared.groupLengths.length * shared.maxSfb, "ms_used");
            }
          }
          element.channels.add(ics(element.commonWindow, shared));
          element.channels.add(ics(element.commonWindow, shared));
          audioElements++;
          break;
        case ID_FIL:
          int count = reader.readInt(4, "count");
          if (count == 15) {
            count += reader.readInt(8, "esc_count") - 1;
          }
          if (count > 0) {
            int type = reader.readInt(4, "extension_type");
            if (type != 0) {
              throw new LivemuxException("extension_type not EXT_FILL: " + type);
            }
            reader.skipBits(8L * count - 4, "fill payload");
          }
          element.fillBytes = count;
          break;
        default:
          throw new LivemuxException("unexpected id_syn_ele " + element.id);
      }
      frame.elements.add(element);
    }
    if (audioElements != 1) {
      throw new LivemuxException("expected one audio element, found " + audioElements);
    }
    Element audio = frame.elements.get(0);
    if (audio.id != (channels == 1 ? ID_SCE : ID_CPE)) {
      throw new LivemuxException("first element " + audio.id + " for " + channels + " channels");
    }
    // byte_alignment(): zero bits up to the end, which must be the end of the frame.
    while (!reader.isByteAligned()) {
      if (reader.readFlag("byte_alignment")) {
        throw new LivemuxException("non-zero alignment bit");
      }
    }
    frame.bits = reader.bitsRead();
    if (frame.bits != totalBits) {
      throw new LivemuxException(
          "frame has " + (totalBits - frame.bits) / 8 + " bytes after the end element");
    }
    return frame;
  }

  private void icsInfo(Ics ics) throws LivemuxException {
    if (reader.readFlag("ics_reserved_bit")) {
      throw new LivemuxException("ics_reserved_bit set");
    }
    ics.windowSequence = reader.readInt(2, "window_sequence");
    ics.windowShape = reader.readInt(1, "window_shape");
    if (ics.windowSequence == IcsLayout.EIGHT_SHORT_SEQUENCE) {
      ics.maxSfb = reader.readInt(4, "max_sfb");
      ics.scaleFactorGrouping = reader.readInt(7, "scale_factor_grouping");
      List<Integer> groups = new ArrayList<>();
      int length = 1;
      for (int w = 1; w < 8; w++) {
        if ((ics.scaleFactorGrouping & (1 << (6 - (w - 1)))) != 0) {
          length++;
        } else {
          groups.add(length);
          length = 1;
        }
      }
      groups.add(length);
      ics.groupLengths = new int[groups.size()];
      for (int g = 0; g < groups.size(); g++) {
        ics.groupLengths[g] = groups.get(g);
      }
      if (ics.maxSfb > bands.shortCount()) {
        throw new LivemuxException("max_sfb " + ics.maxSfb + " > " + bands.shortCount());
      }
    } else {
      ics.maxSfb = reader.readInt(6, "max_sfb");
      if (reader.readFlag("predictor_data_present")) {
        throw new LivemuxException("predictor_data_present in AAC LC");
      }
      ics.groupLengths = new int[] {1};
      if (ics.maxSfb > bands.longCount()) {
        throw new LivemuxException("max_sfb " + ics.maxSfb + " > " + bands.longCount());
      }
    }
  }

  private Ics ics(boolean commonWindow, Ics shared) throws LivemuxException {
    long start = reader.bitsRead();
    Ics ics = new Ics();
    ics.globalGain = reader.readInt(8, "global_gain");
    if (commonWindow) {
      ics.windowSequence = shared.windowSequence;
      ics.windowShape = shared.windowShape;
      ics.maxSfb = shared.maxSfb;
      ics.scaleFactorGrouping = shared.scaleFactorGrouping;
      ics.groupLengths = shared.groupLengths;
    } else {
      icsInfo(ics);
    }
    boolean isShort = ics.windowSequence == IcsLayout.EIGHT_SHORT_SEQUENCE;
    int groups = ics.groupLengths.length;
    int maxSfb = ics.maxSfb;
    ics.books = new int[groups * maxSfb];
    ics.scalefactors = new int[groups * maxSfb];
    // section_data()
    int sectBits = isShort ? 3 : 5;
    int escape = (1 << sectBits) - 1;
    for (int g = 0; g < groups; g++) {
      int k = 0;
      while (k < maxSfb) {
        int book = reader.readInt(4, "sect_cb");
        if (book > 11) {
          throw new LivemuxException("sect_cb " + book + " (noise, intensity or reserved)");
        }
        int length = 0;
        int increment;
        do {
          increment = reader.readInt(sectBits, "sect_len_incr");
          length += increment;
        } while (increment == escape);
        if (length == 0 || k + length > maxSfb) {
          throw new LivemuxException(
              "section length " + length + " at band " + k + " of " + maxSfb);
        }
        for (int i = 0; i < length; i++) {
          ics.books[g * maxSfb + k + i] = book;
        }
        k += length;
      }
    }
    // scale_factor_data()
    int sf = ics.globalGain;
    for (int b = 0; b < groups * maxSfb; b++) {
      if (ics.books[b] != 0) {
        sf += decode(SCALEFACTOR_DECODE, "scalefactor") - Codebooks.SCALEFACTOR_DIFF_OFFSET;
        if (sf < 0 || sf > 255) {
          throw new LivemuxException("scalefactor out of 0..255: " + sf);
        }
        ics.scalefactors[b] = sf;
      }
    }
    if (reader.readFlag("pulse_data_present")) {
      throw new LivemuxException("pulse_data_present");
    }
    if (reader.readFlag("tns_data_present")) {
      throw new LivemuxException("tns_data_present");
    }
    if (reader.readFlag("gain_control_data_present")) {
      throw new LivemuxException("gain_control_data_present");
    }
    // spectral_data()
    int[] swb = isShort ? bands.shortOffsets() : bands.longOffsets();
    int groupStart = 0;
    for (int g = 0; g < groups; g++) {
      for (int sfb = 0; sfb < maxSfb; sfb++) {
        int book = ics.books[g * maxSfb + sfb];
        int begin = groupStart + swb[sfb] * ics.groupLengths[g];
        int end = groupStart + swb[sfb + 1] * ics.groupLengths[g];
        if (book != 0) {
          int dimension = Codebooks.DIMENSION[book];
          for (int i = begin; i < end; i += dimension) {
            spectralTuple(book, ics.quant, i);
          }
        }
      }
      groupStart += (isShort ? 128 : 1024) * ics.groupLengths[g];
    }
    ics.bits = reader.bitsRead() - start;
    return ics;
  }

  private void spectralTuple(int book, int[] out, int at) throws LivemuxException {
    int index = decode(SPECTRUM_DECODE[book], "spectral codeword (book " + book + ")");
    int dimension = Codebooks.DIMENSION[book];
    boolean unsigned = Codebooks.UNSIGNED[book];
    int lav = Codebooks.LARGEST_ABS_VALUE[book];
    int modulus = unsigned ? lav + 1 : 2 * lav + 1;
    int offset = unsigned ? 0 : lav;
    int[] values = new int[dimension];
    for (int d = dimension - 1; d >= 0; d--) {
      values[d] = index % modulus - offset;
      index /= modulus;
    }
    if (unsigned) {
      for (int d = 0; d < dimension; d++) {
        if (values[d] != 0 && reader.readFlag("sign_bits")) {
          values[d] = -values[d];
        }
      }
      if (book == 11) {
        for (int d = 0; d < dimension; d++) {
          if (Math.abs(values[d]) == 16) {
            int n = 0;
            while (reader.readFlag("escape_prefix")) {
              n++;
              if (n > 8) {
                throw new LivemuxException("escape_prefix longer than 8");
              }
            }
            int magnitude = (1 << (n + 4)) + reader.readInt(n + 4, "escape_word");
            if (magnitude > 8191) {
              throw new LivemuxException("escaped value " + magnitude + " > 8191");
            }
            values[d] = values[d] < 0 ? -magnitude : magnitude;
          }
        }
      }
    }
    for (int d = 0; d < dimension; d++) {
      out[at + d] = values[d];
    }
  }

  private int decode(Map<Long, Integer> book, String field) throws LivemuxException {
    long code = 0;
    for (int length = 1; length <= 19; length++) {
      code = (code << 1) | (reader.readFlag(field) ? 1 : 0);
      Integer index = book.get(((long) length << 32) | code);
      if (index != null) {
        return index;
      }
    }
    throw new LivemuxException("no " + field + " matches the next 19 bits");
  }
}
