package io.livemux.codec.aac;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import io.livemux.bitstream.BitWriter;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The header of one ADTS frame (ISO/IEC 14496-3 1.A.2.2 {@code adts_fixed_header} and {@code
 * adts_variable_header}, with {@code adts_error_check} when {@code protection_absent} is 0): what
 * an AAC encoder's raw stream, MPEG-TS and {@code .aac} files put before each raw AAC frame.
 *
 * <p>{@link #parse} checks the syncword, that {@code layer} is 0, that {@code aac_frame_length}
 * covers the header, and refuses {@code sampling_frequency_index} 13..15 and {@code
 * channel_configuration} 0 (a program_config_element inside the payload), all with {@link
 * LivemuxException} naming the offset and the value. {@link #forFrame} builds the 7-byte header
 * (MPEG-4, no CRC, buffer fullness 0x7FF) for a raw frame; {@link #cursor()} walks an ADTS stream
 * and yields each raw access unit without copying.
 *
 * <p>ADTS carries the AAC core only: for HE-AAC the header names the AAC LC core at the core rate,
 * and SBR/PS are found by the decoder implicitly, so {@link #toAudioSpecificConfig()} never reports
 * them.
 *
 * <p>Immutable and thread-safe; parsing copies the header bytes and leaves the source buffer alone.
 */
public final class AdtsHeader {
  /** Length of a header without CRC; with one it is 9 (plus 2 per extra raw data block). */
  public static final int HEADER_LENGTH_BYTES = 7;

  /** Largest {@code aac_frame_length}, a 13-bit field. */
  public static final int MAX_FRAME_LENGTH_BYTES = 0x1FFF;

  /** Largest raw frame {@link #forFrame} can frame. */
  public static final int MAX_PAYLOAD_LENGTH_BYTES = MAX_FRAME_LENGTH_BYTES - HEADER_LENGTH_BYTES;

  private static final int SYNCWORD = 0xFFF;
  private static final int BUFFER_FULLNESS_VBR = 0x7FF;

  private final boolean mpeg2;
  private final boolean hasCrc;
  private final int audioObjectType;
  private final int samplingFrequencyIndex;
  private final int sampleRateHz;
  private final int channelConfiguration;
  private final int frameLengthBytes;
  private final int bufferFullness;
  private final int rawDataBlockCount;

  /** The header exactly as read or built, CRC fields included. */
  private final byte[] bytes;

  private AdtsHeader(
      boolean mpeg2,
      boolean hasCrc,
      int audioObjectType,
      int samplingFrequencyIndex,
      int sampleRateHz,
      int channelConfiguration,
      int frameLengthBytes,
      int bufferFullness,
      int rawDataBlockCount,
      byte[] bytes) {
    this.mpeg2 = mpeg2;
    this.hasCrc = hasCrc;
    this.audioObjectType = audioObjectType;
    this.samplingFrequencyIndex = samplingFrequencyIndex;
    this.sampleRateHz = sampleRateHz;
    this.channelConfiguration = channelConfiguration;
    this.frameLengthBytes = frameLengthBytes;
    this.bufferFullness = bufferFullness;
    this.rawDataBlockCount = rawDataBlockCount;
    this.bytes = bytes;
  }

  /**
   * Parses the header at the position of {@code data} (the position is not moved). Only the header
   * needs to be there, not the whole frame.
   */
  public static AdtsHeader parse(ByteBuffer data) throws LivemuxException {
    return parse(data, data.position(), data.limit());
  }

  static AdtsHeader parse(ByteBuffer data, int offset, int end) throws LivemuxException {
    int available = end - offset;
    if (available < HEADER_LENGTH_BYTES) {
      throw new LivemuxException(
          "truncated ADTS header at offset "
              + offset
              + ": "
              + available
              + " bytes, a header needs "
              + HEADER_LENGTH_BYTES);
    }
    BitReader reader = BitReader.of(data, offset, available);
    // adts_fixed_header()
    int syncword = reader.readInt(12, "syncword");
    if (syncword != SYNCWORD) {
      throw new LivemuxException(
          "no ADTS syncword at offset " + offset + ": " + String.format("0x%03X", syncword));
    }
    boolean mpeg2 = reader.readFlag("ID"); // 0: MPEG-4, 1: MPEG-2
    int layer = reader.readInt(2, "layer");
    if (layer != 0) {
      throw new LivemuxException("ADTS layer must be 0, at offset " + offset + " it is " + layer);
    }
    boolean protectionAbsent = reader.readFlag("protection_absent");
    int profile = reader.readInt(2, "profile_ObjectType");
    int samplingFrequencyIndex = reader.readInt(4, "sampling_frequency_index");
    if (samplingFrequencyIndex > 12) {
      throw new LivemuxException(
          "ADTS sampling_frequency_index "
              + samplingFrequencyIndex
              + " at offset "
              + offset
              + " is reserved or an escape, not allowed in ADTS");
    }
    int sampleRateHz =
        AudioSpecificConfig.sampleRateForIndex(samplingFrequencyIndex, "sampling_frequency_index");
    reader.readFlag("private_bit");
    int channelConfiguration = reader.readInt(3, "channel_configuration");
    if (channelConfiguration == 0) {
      throw new LivemuxException(
          "ADTS channel_configuration 0 at offset "
              + offset
              + " (channels given by a program_config_element in the payload) is not supported");
    }
    reader.readFlag("original_copy");
    reader.readFlag("home");
    // adts_variable_header()
    reader.readFlag("copyright_identification_bit");
    reader.readFlag("copyright_identification_start");
    int frameLengthBytes = reader.readInt(13, "aac_frame_length");
    int bufferFullness = reader.readInt(11, "adts_buffer_fullness");
    int rawDataBlocks = reader.readInt(2, "number_of_raw_data_blocks_in_frame") + 1;
    // adts_error_check() / adts_header_error_check(): raw_data_block_position[1..n] and crc_check.
    int headerLength =
        protectionAbsent ? HEADER_LENGTH_BYTES : HEADER_LENGTH_BYTES + 2 * rawDataBlocks;
    if (frameLengthBytes < headerLength) {
      throw new LivemuxException(
          "ADTS aac_frame_length "
              + frameLengthBytes
              + " at offset "
              + offset
              + " is shorter than its "
              + headerLength
              + "-byte header");
    }
    if (available < headerLength) {
      throw new LivemuxException(
          "truncated ADTS header at offset "
              + offset
              + ": "
              + available
              + " bytes, this header (with CRC) needs "
              + headerLength);
    }
    byte[] bytes = new byte[headerLength];
    for (int i = 0; i < headerLength; i++) {
      bytes[i] = data.get(offset + i);
    }
    return new AdtsHeader(
        mpeg2,
        !protectionAbsent,
        profile + 1,
        samplingFrequencyIndex,
        sampleRateHz,
        channelConfiguration,
        frameLengthBytes,
        bufferFullness,
        rawDataBlocks,
        bytes);
  }

  /**
   * The 7-byte header (MPEG-4 ID, no CRC, one raw data block, buffer fullness 0x7FF for VBR) of a
   * frame carrying {@code payloadLengthBytes} (0..8184) of raw AAC described by {@code config}. The
   * header names the config's core: its object type (1..4), {@code samplingFrequencyIndex} (0..12)
   * and {@code channelConfiguration} (1..7).
   *
   * @throws IllegalArgumentException if ADTS cannot express the config or the length, naming which
   */
  public static AdtsHeader forFrame(AudioSpecificConfig config, int payloadLengthBytes) {
    int type = config.coreAudioObjectType();
    if (type < 1 || type > 4) {
      throw new IllegalArgumentException(
          "ADTS carries audioObjectType 1..4 only (profile_ObjectType is 2 bits): " + type);
    }
    if (config.samplingFrequencyIndex() > 12) {
      throw new IllegalArgumentException(
          "ADTS cannot carry an explicit sampling frequency: " + config.coreSampleRateHz() + " Hz");
    }
    if (config.channelConfiguration() > 7) {
      throw new IllegalArgumentException(
          "ADTS channel_configuration is 3 bits, cannot carry " + config.channelConfiguration());
    }
    if (payloadLengthBytes < 0 || payloadLengthBytes > MAX_PAYLOAD_LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "payloadLengthBytes out of range 0.."
              + MAX_PAYLOAD_LENGTH_BYTES
              + ": "
              + payloadLengthBytes);
    }
    int frameLengthBytes = HEADER_LENGTH_BYTES + payloadLengthBytes;
    byte[] bytes =
        new BitWriter(HEADER_LENGTH_BYTES)
            .writeBits(SYNCWORD, 12) // syncword
            .writeFlag(false) // ID: MPEG-4
            .writeBits(0, 2) // layer
            .writeFlag(true) // protection_absent
            .writeBits(type - 1, 2) // profile_ObjectType
            .writeBits(config.samplingFrequencyIndex(), 4) // sampling_frequency_index
            .writeFlag(false) // private_bit
            .writeBits(config.channelConfiguration(), 3) // channel_configuration
            .writeFlag(false) // original_copy
            .writeFlag(false) // home
            .writeFlag(false) // copyright_identification_bit
            .writeFlag(false) // copyright_identification_start
            .writeBits(frameLengthBytes, 13) // aac_frame_length
            .writeBits(BUFFER_FULLNESS_VBR, 11) // adts_buffer_fullness
            .writeBits(0, 2) // number_of_raw_data_blocks_in_frame
            .toByteArray();
    return new AdtsHeader(
        false,
        false,
        type,
        config.samplingFrequencyIndex(),
        config.coreSampleRateHz(),
        config.channelConfiguration(),
        frameLengthBytes,
        BUFFER_FULLNESS_VBR,
        1,
        bytes);
  }

  /**
   * The AudioSpecificConfig an MP4 or RTMP stream needs for these frames: the core, flags clear.
   */
  public AudioSpecificConfig toAudioSpecificConfig() {
    return AudioSpecificConfig.ofAdts(
        audioObjectType, samplingFrequencyIndex, channelConfiguration);
  }

  /** {@code profile_ObjectType + 1}: 1 AAC Main, 2 AAC LC, 3 AAC SSR, 4 AAC LTP. */
  public int audioObjectType() {
    return audioObjectType;
  }

  /** {@code sampling_frequency_index}, 0..12. */
  public int samplingFrequencyIndex() {
    return samplingFrequencyIndex;
  }

  /** The sample rate in Hz of the AAC core. */
  public int sampleRateHz() {
    return sampleRateHz;
  }

  /** {@code channel_configuration}, 1..7. */
  public int channelConfiguration() {
    return channelConfiguration;
  }

  /** Channels of {@link #channelConfiguration()}: 1..6, or 8 for configuration 7. */
  public int channelCount() {
    return AudioSpecificConfig.channelsForConfiguration(channelConfiguration);
  }

  /** {@code aac_frame_length}: the whole frame, header included. */
  public int frameLengthBytes() {
    return frameLengthBytes;
  }

  /** 7, or with a CRC 9 plus 2 per raw data block after the first. */
  public int headerLengthBytes() {
    return bytes.length;
  }

  /** Bytes after the header: the raw data block(s), and their CRCs if there are several. */
  public int payloadLengthBytes() {
    return frameLengthBytes - bytes.length;
  }

  /** Whether {@code protection_absent} is 0, so the header carries a CRC. */
  public boolean hasCrc() {
    return hasCrc;
  }

  /** {@code number_of_raw_data_blocks_in_frame + 1}: access units in the frame, 1..4. */
  public int rawDataBlockCount() {
    return rawDataBlockCount;
  }

  /** Whether the {@code ID} bit says MPEG-2 AAC rather than MPEG-4. */
  public boolean isMpeg2() {
    return mpeg2;
  }

  /** {@code adts_buffer_fullness}; 0x7FF means variable bit rate. */
  public int bufferFullness() {
    return bufferFullness;
  }

  /** The header bytes, as parsed or built: a new array each call. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the header bytes at the position of {@code out} and advances it. */
  public void writeTo(ByteBuffer out) {
    out.put(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdtsHeader && Arrays.equals(((AdtsHeader) o).bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "AdtsHeader{aot "
        + audioObjectType
        + ", "
        + sampleRateHz()
        + " Hz, channel_configuration "
        + channelConfiguration
        + ", frame "
        + frameLengthBytes
        + " bytes"
        + (hasCrc ? ", crc" : "")
        + (rawDataBlockCount > 1 ? ", " + rawDataBlockCount + " blocks" : "")
        + "}";
  }

  /** A cursor over the frames of an ADTS stream; {@link Cursor#reset} it onto each buffer. */
  public static Cursor cursor() {
    return new Cursor();
  }

  /**
   * Walks the frames of an ADTS stream, telling where each raw AAC access unit lies without copying
   * a byte: this strips ADTS for MP4 or RTMP.
   *
   * <pre>{@code
   * AdtsHeader.Cursor frames = AdtsHeader.cursor().reset(stream);
   * while (frames.next()) {
   *   sink.write(frames.payload(), frames.header().toAudioSpecificConfig());
   * }
   * }</pre>
   *
   * <p>The stream must be frames back to back from its position to its limit: {@link #next} throws
   * {@link LivemuxException} on a missing syncword (no resynchronisation), on a frame cut off by
   * the limit (feed whole frames: {@link AdtsHeader#parse} and {@link AdtsHeader#frameLengthBytes}
   * tell where one ends), and on a frame holding more than one raw data block, which cannot be
   * split without decoding. Frames are not required to share a configuration; compare {@link
   * #header()}s to see a change.
   *
   * <p>The buffer's position and limit are never moved and it must not change while walked. After
   * an exception, reset the cursor before reuse. Not thread-safe.
   */
  public static final class Cursor {
    private ByteBuffer data;
    private int end;
    private int position;
    private AdtsHeader header;
    private int frameOffset = -1;

    private Cursor() {}

    /** Points the cursor before the first frame of {@code stream}'s remaining bytes. */
    public Cursor reset(ByteBuffer stream) {
      this.data = stream;
      this.position = stream.position();
      this.end = stream.limit();
      this.header = null;
      this.frameOffset = -1;
      return this;
    }

    /**
     * Moves to the next frame.
     *
     * @return false at the end of the stream
     * @throws LivemuxException if the frame there is malformed, cut off or holds several blocks
     */
    public boolean next() throws LivemuxException {
      if (data == null) {
        throw new IllegalStateException("reset the cursor onto a buffer first");
      }
      header = null;
      frameOffset = -1;
      if (position == end) {
        return false;
      }
      AdtsHeader next = parse(data, position, end);
      if (next.frameLengthBytes > end - position) {
        throw new LivemuxException(
            "ADTS frame at offset "
                + position
                + " is "
                + next.frameLengthBytes
                + " bytes but only "
                + (end - position)
                + " remain");
      }
      if (next.rawDataBlockCount > 1) {
        throw new LivemuxException(
            "ADTS frame at offset "
                + position
                + " holds "
                + next.rawDataBlockCount
                + " raw data blocks; only frames of 1 can be split without decoding");
      }
      header = next;
      frameOffset = position;
      position += next.frameLengthBytes;
      return true;
    }

    /** The current frame's header. */
    public AdtsHeader header() {
      checkCurrent();
      return header;
    }

    /** Absolute index in the buffer of the current frame's first header byte. */
    public int frameOffset() {
      checkCurrent();
      return frameOffset;
    }

    /** Absolute index in the buffer of the current raw access unit. */
    public int payloadOffset() {
      checkCurrent();
      return frameOffset + header.headerLengthBytes();
    }

    /** Length in bytes of the current raw access unit. */
    public int payloadLength() {
      checkCurrent();
      return header.payloadLengthBytes();
    }

    /**
     * A view of the current raw access unit (position 0, limit its length) sharing the buffer's
     * bytes.
     */
    public ByteBuffer payload() {
      checkCurrent();
      ByteBuffer view = data.duplicate();
      ((Buffer) view).limit(payloadOffset() + payloadLength());
      ((Buffer) view).position(payloadOffset());
      return view.slice();
    }

    private void checkCurrent() {
      if (header == null) {
        throw new IllegalStateException("no current frame: next() has not returned true");
      }
    }
  }
}
