package io.livemux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What the command line reads from users' files, {@link Inspection} and {@link MediaSource} (FLV
 * and MP4), meets real files mutated and cut anywhere: each reads them or throws an {@link
 * IOException} that says what is wrong, never another exception, in bounded time.
 */
class InputReadersProperties {
  private static Path dir;
  private static List<byte[]> real;

  @BeforeContainer
  static void realFiles() throws IOException {
    dir = Files.createTempDirectory("input-readers");
    Path fragmented = dir.resolve("fragmented.mp4");
    Cli.Run run = Cli.run("remux", Sources.mp4(2).toString(), fragmented.toString(), "--fragmented");
    assertEquals(0, run.exitCode, run.toString());
    real = List.of(Files.readAllBytes(Sources.flv(2)), Files.readAllBytes(Sources.mp4WithPriming(2)),
        Files.readAllBytes(fragmented));
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    Sources.deleteDirectory(dir);
  }

  @Property(tries = 400)
  void mutatedOrCutRealFiles_areReadOrRefusedClearly(
      @ForAll @IntRange(min = 0, max = 2) int which, @ForAll long seed) throws Exception {
    Random random = new Random(seed);
    byte[] bytes = real.get(which).clone();
    for (int i = random.nextInt(9); i > 0; i--) {
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
    }
    if (random.nextBoolean()) {
      bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }
    Path file = dir.resolve("input-" + which);
    Files.write(file, bytes);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      readOrRefuse(() -> Inspection.of(file).problems.size());
      readOrRefuse(() -> {
        long samples = 0;
        try (MediaSource source = MediaSource.open(file)) {
          source.formats();
          while (source.advance()) {
            source.sample().payload();
            source.track();
            samples++;
          }
        }
        return samples;
      });
    });
  }

  /** Runs {@code read}; an IOException must say what is wrong in words, not name a Java class. */
  private static void readOrRefuse(java.util.concurrent.Callable<?> read) throws Exception {
    try {
      read.call();
    } catch (IOException e) {
      String message = e.getMessage();
      assertTrue(message != null && !message.isEmpty(), e.toString());
      assertFalse(message.matches("(?s).*\\b(java|sun)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*"),
          "a Java class name in the message: " + message);
    }
  }
}
