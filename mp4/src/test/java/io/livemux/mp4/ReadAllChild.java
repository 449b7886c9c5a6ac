package io.livemux.mp4;

import java.nio.file.Path;

/**
 * Reads every sample of the MP4 at args[0] with {@link Mp4Reader} and prints {@code samples N}, or
 * {@code refused: MESSAGE} (exit 3) for an {@link Mp4Exception}: run with a small heap to show what
 * a file can make the reader hold.
 */
public final class ReadAllChild {
  private ReadAllChild() {}

  public static void main(String[] args) throws Exception {
    long samples = 0;
    try (Mp4Reader reader = Mp4Reader.open(Path.of(args[0]))) {
      while (reader.advance()) {
        samples++;
      }
    } catch (Mp4Exception e) {
      System.out.println("refused: " + e.getMessage());
      System.exit(3);
    }
    System.out.println("samples " + samples);
  }
}
