package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.LivemuxException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The two parsers of outside bytes in the command line, {@link BoxScan} and {@link Container#of},
 * meet random and mutated input: they return or throw a {@link LivemuxException}, nothing else, in
 * time bounded by the input.
 */
class BoxScanProperties {
  private static Path dir;
  private static byte[] real;

  @BeforeContainer
  static void realFile() throws IOException {
    dir = Files.createTempDirectory("boxscan");
    Path out = dir.resolve("real.mp4");
    Cli.Run run = Cli.run("remux", Sources.mp4(4).toString(), out.toString(), "--fragmented");
    assertEquals(0, run.exitCode, run.toString());
    real = Files.readAllBytes(out);
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    Sources.deleteDirectory(dir);
  }

  @Property(tries = 300)
  void randomBytes_scanOrFailClearly(@ForAll @Size(max = 4096) byte[] bytes) throws IOException {
    check(bytes);
  }

  @Property(tries = 300)
  void mutatedRealFile_scansOrFailsClearly(@ForAll("mutations") byte[] bytes) throws IOException {
    check(bytes);
  }

  @Property(tries = 100)
  void realFileCutAnywhere_endsInACutBoxOrTrailingBytes_neverAnError(@ForAll("cuts") int length)
      throws IOException {
    BoxScan scan = scan(java.util.Arrays.copyOf(real, length));
    long covered = 0;
    for (BoxScan.Box b : scan.boxes) {
      covered += b.presentBytes;
    }
    assertEquals(length, covered + scan.trailingBytes, "every byte is in a box or the trailing bytes");
    assertTrue(scan.layout().startsWith(length >= 8 ? "ftyp" : ""), scan.layout());
  }

  @Provide
  Arbitrary<byte[]> mutations() {
    return Arbitraries.integers().between(0, real.length - 1).list().ofMinSize(1).ofMaxSize(8)
        .flatMap(positions -> Arbitraries.bytes().list().ofSize(positions.size()).map(values -> {
          byte[] copy = real.clone();
          for (int i = 0; i < positions.size(); i++) {
            copy[positions.get(i)] = values.get(i);
          }
          return copy;
        }));
  }

  @Provide
  Arbitrary<Integer> cuts() {
    return Arbitraries.integers().between(0, real.length);
  }

  private static void check(byte[] bytes) throws IOException {
    long start = System.nanoTime();
    try {
      BoxScan scan = scan(bytes);
      assertTrue(scan.boxes.size() <= bytes.length / 8 + 1, "at most one box per 8 bytes");
      scan.layout();
    } catch (LivemuxException e) {
      assertTrue(e.getMessage().startsWith("malformed MP4") || e.getMessage().startsWith("MP4"), e.getMessage());
    }
    Path file = dir.resolve("input");
    Files.write(file, bytes);
    try {
      Container.of(file);
    } catch (LivemuxException e) {
      assertTrue(e.getMessage().startsWith(file + " is not an MP4 or FLV file"), e.getMessage());
    }
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "bounded time");
  }

  private static BoxScan scan(byte[] bytes) throws IOException {
    Path file = dir.resolve("scan.mp4");
    Files.write(file, bytes);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return BoxScan.scan(channel, channel.size());
    }
  }

}
