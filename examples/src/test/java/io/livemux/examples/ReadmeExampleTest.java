package io.livemux.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadmeExampleTest {
  @Test
  void readmeExample_runs_andDeliversEveryByte() throws Exception {
    // 47 blocks of 1024 stereo frames (the last starts at frame 47104 < 48000).
    assertEquals(47L * 4096, ReadmeExample.run());
  }

  @Test
  void readme_showsExactlyTheExampleCode() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    String source =
        Files.readString(
            Path.of("src/main/java/io/livemux/examples/ReadmeExample.java"), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    boolean inside = false;
    for (String line : source.split("\n")) {
      if (line.contains("// README:end")) {
        inside = false;
      }
      if (inside) {
        lines.add(line.strip());
      }
      if (line.contains("// README:start")) {
        inside = true;
      }
    }
    assertTrue(lines.size() > 5, "markers not found");
    String normalizedReadme = readme.lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
    String snippet = String.join("\n", lines) + "\n";
    assertTrue(
        normalizedReadme.contains(snippet),
        "README.md must show ReadmeExample's code between the markers:\n" + snippet);
  }
}
