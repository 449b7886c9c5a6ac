package io.livemux.rtmp.flv;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * The body of an AAC audio tag or RTMP audio message (FLV 10.1 E.4.2.1: SoundFormat 10), parsed:
 * either the AudioSpecificConfig ({@link Type#SEQUENCE_HEADER}, AACPacketType 0) or one raw AAC
 * access unit ({@link Type#RAW}, AACPacketType 1). Other SoundFormats are refused by the decoder.
 *
 * <p>For AAC the header's SoundRate, SoundSize and SoundType are nominal (the spec asks for 44 kHz,
 * 16-bit, stereo whatever the stream is: the AudioSpecificConfig is what counts); they are kept as
 * read so that a packet can be written back unchanged.
 *
 * <p>Immutable. The data is a read-only view of the bytes it was made from, not a copy: those must
 * not change while the packet is in use. {@link #data()} hands out a fresh view each call.
 */
public final class FlvAudioPacket {
  /** SoundFormat 10. */
  public static final int SOUND_FORMAT_AAC = 10;
  /** SoundRate 3 (44 kHz), SoundSize 1 (16-bit), SoundType 1 (stereo): what AAC tags declare. */
  public static final int AAC_NOMINAL_FLAGS = 0x0F;

  /** What the packet carries. */
  public enum Type {
    /** AACPacketType 0: the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1). */
    SEQUENCE_HEADER,
    /** AACPacketType 1: one raw AAC frame. */
    RAW
  }

  private final Type type;
  private final int soundFlags;
  private final ByteBuffer data;

  private FlvAudioPacket(Type type, int soundFlags, ByteBuffer data) {
    this.type = type;
    this.soundFlags = soundFlags;
    this.data = data;
  }

  /** An AAC packet with the nominal flags; {@code data} is its remaining bytes, kept as a view. */
  public static FlvAudioPacket aac(Type type, ByteBuffer data) {
    return aac(type, AAC_NOMINAL_FLAGS, data);
  }

  /** An AAC packet with explicit SoundRate, SoundSize and SoundType bits (the low nibble). */
  public static FlvAudioPacket aac(Type type, int soundFlags, ByteBuffer data) {
    if (type == null) {
      throw new NullPointerException("type");
    }
    if ((soundFlags & ~0x0F) != 0) {
      throw new IllegalArgumentException("sound flags are 4 bits: 0x" + Integer.toHexString(soundFlags));
    }
    return new FlvAudioPacket(type, soundFlags, data.slice().asReadOnlyBuffer());
  }

  public Type type() {
    return type;
  }

  /** Always {@link #SOUND_FORMAT_AAC}. */
  public int soundFormat() {
    return SOUND_FORMAT_AAC;
  }

  /** SoundRate UB[2], SoundSize UB[1], SoundType UB[1]: the header byte's low nibble. */
  public int soundFlags() {
    return soundFlags;
  }

  /** A fresh read-only view of the data, position 0. */
  public ByteBuffer data() {
    ByteBuffer view = data.duplicate();
    ((Buffer) view).clear();
    return view;
  }

  public int dataSize() {
    return data.capacity();
  }

  @Override
  public String toString() {
    return "FlvAudioPacket{AAC " + type + ", " + dataSize() + " bytes}";
  }
}
