package io.livemux.cli;

import io.livemux.LivemuxException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The container of an input file, told by its first bytes, never by its name. */
enum Container {
  FLV,
  MP4;

  /** Top-level box types an MP4 (ISO/IEC 14496-12 4.2) may start with, as ffmpeg, OBS and we write them. */
  private static final String[] MP4_FIRST_BOXES = {"ftyp", "styp", "moov", "mdat", "free", "skip", "wide", "moof"};

  /**
   * Reads the first bytes of {@code path}: FLV starts with "FLV" and version 1 (FLV 1.0 E.2); an
   * MP4 with a box header whose type is one of the above.
   *
   * @throws LivemuxException naming the file if it is missing, unreadable, or neither
   */
  static Container of(Path path) throws LivemuxException {
    if (Files.isDirectory(path)) {
      throw new LivemuxException(path + " is a directory, not an MP4 or FLV file");
    }
    ByteBuffer head = ByteBuffer.allocate(12);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      while (head.hasRemaining() && channel.read(head) >= 0) {
        // until 12 bytes or the end of the file
      }
    } catch (NoSuchFileException e) {
      throw new LivemuxException(path + ": no such file");
    } catch (IOException e) {
      throw new LivemuxException("cannot read " + path + ": " + e.getMessage(), e);
    }
    ((java.nio.Buffer) head).flip();
    int n = head.remaining();
    if (n >= 4 && head.get(0) == 'F' && head.get(1) == 'L' && head.get(2) == 'V' && head.get(3) == 1) {
      return FLV;
    }
    if (n >= 8) {
      String type = new String(new byte[] {head.get(4), head.get(5), head.get(6), head.get(7)},
          java.nio.charset.StandardCharsets.ISO_8859_1);
      for (String first : MP4_FIRST_BOXES) {
        if (first.equals(type)) {
          return MP4;
        }
      }
    }
    throw new LivemuxException(
        path + " is not an MP4 or FLV file (" + (n == 0 ? "it is empty" : "its first bytes are neither") + ")");
  }
}
