package io.livemux.cli;

import io.livemux.LivemuxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A 16-bit PCM WAV file (RIFF/WAVE with a {@code fmt } chunk of format 1, or WAVE_FORMAT_EXTENSIBLE
 * with the PCM sub-format): its rate, channels and where its sample data is. Anything else is refused
 * with a message that names what the file holds.
 *
 * <p>Immutable after {@link #open}; the caller reads the data range from the file.
 */
final class WavFile {
  final int sampleRateHz;
  final int channelCount;
  final long dataOffset;
  final long dataBytes;

  private WavFile(int sampleRateHz, int channelCount, long dataOffset, long dataBytes) {
    this.sampleRateHz = sampleRateHz;
    this.channelCount = channelCount;
    this.dataOffset = dataOffset;
    this.dataBytes = dataBytes;
  }

  static WavFile open(Path path) throws IOException {
    try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = in.size();
      ByteBuffer header = read(in, 0, 12, path);
      if (header.getInt(0) != 0x46464952 /* "RIFF" */ || header.getInt(8) != 0x45564157 /* "WAVE" */) {
        throw new LivemuxException(path + ": not a WAV file (no RIFF/WAVE header)");
      }
      int format = -1;
      int channels = 0;
      int rate = 0;
      int bits = 0;
      long at = 12;
      while (at + 8 <= size) {
        ByteBuffer chunk = read(in, at, 8, path);
        int id = chunk.getInt(0);
        long length = chunk.getInt(4) & 0xFFFFFFFFL;
        if (id == 0x20746d66 /* "fmt " */) {
          if (length < 16) {
            throw new LivemuxException(path + ": fmt chunk of " + length + " bytes is too short");
          }
          ByteBuffer fmt = read(in, at + 8, (int) Math.min(length, 40), path);
          format = fmt.getShort(0) & 0xFFFF;
          channels = fmt.getShort(2) & 0xFFFF;
          rate = fmt.getInt(4);
          bits = fmt.getShort(14) & 0xFFFF;
          if (format == 0xFFFE && length >= 40) {
            format = fmt.getShort(24) & 0xFFFF; // the sub-format GUID starts with the format code
          }
        } else if (id == 0x61746164 /* "data" */) {
          if (format < 0) {
            throw new LivemuxException(path + ": data chunk before the fmt chunk");
          }
          if (format != 1) {
            throw new LivemuxException(path + ": WAV format " + describe(format)
                + "; encode-audio takes 16-bit integer PCM");
          }
          if (bits != 16) {
            throw new LivemuxException(path + ": " + bits + "-bit samples; encode-audio takes 16-bit PCM"
                + " (convert with: sox in.wav -b 16 out.wav)");
          }
          if (channels != 1 && channels != 2) {
            throw new LivemuxException(path + ": " + channels + " channels; encode-audio takes mono or stereo");
          }
          long bytes = Math.min(length, size - (at + 8));
          return new WavFile(rate, channels, at + 8, bytes - bytes % (2L * channels));
        }
        at += 8 + length + (length & 1);
      }
      throw new LivemuxException(path + ": no data chunk");
    }
  }

  private static String describe(int format) {
    switch (format) {
      case 3:
        return "3 (32-bit float)";
      case 6:
        return "6 (A-law)";
      case 7:
        return "7 (mu-law)";
      case 2:
        return "2 (ADPCM)";
      default:
        return Integer.toString(format);
    }
  }

  private static ByteBuffer read(FileChannel in, long position, int length, Path path) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (in.read(b, position + b.position()) < 0) {
        throw new LivemuxException(path + ": cut off: " + length + " bytes expected at offset " + position);
      }
    }
    b.flip();
    return b;
  }
}
