package io.livemux.rtmp.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stream keys allowed to publish: a text file of {@code app/key} lines (UTF-8). Blank lines and
 * lines starting with {@code #} are skipped; spaces and tabs around a line are ignored. A line with
 * no {@code /}, or whose app or key {@link StreamNames#refusal} refuses, is an error naming the line.
 * Keys compare exactly (case-sensitive), without their query string.
 *
 * <p>Immutable; thread-safe.
 */
final class AllowList {
  /** Lines in one file, so a wrong path (a video, say) fails fast instead of filling the heap. */
  static final int MAX_LINES = 1_000_000;

  private final Set<String> entries;

  private AllowList(Set<String> entries) {
    this.entries = entries;
  }

  static AllowList read(Path file) throws IOException {
    if (Files.size(file) > 64L << 20) {
      throw new IOException("allow list " + file + " is larger than 64 MiB: " + Files.size(file));
    }
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /**
   * Parses the lines of an allow list.
   *
   * @throws IllegalArgumentException naming the first bad line (1-based) and what is wrong with it
   */
  static AllowList parse(List<String> lines) {
    if (lines.size() > MAX_LINES) {
      throw new IllegalArgumentException("allow list has more than " + MAX_LINES + " lines: " + lines.size());
    }
    Set<String> entries = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = trim(lines.get(i));
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      int slash = line.indexOf('/');
      if (slash < 0) {
        throw new IllegalArgumentException("allow list line " + (i + 1) + ": expected app/key, got '"
            + shorten(line) + "'");
      }
      String app = line.substring(0, slash);
      String key = line.substring(slash + 1);
      String bad = StreamNames.refusal(app);
      if (bad == null) {
        bad = StreamNames.refusal(key);
      }
      if (bad != null) {
        throw new IllegalArgumentException("allow list line " + (i + 1) + ": " + bad + " in '"
            + shorten(line) + "'");
      }
      entries.add(app + "/" + key);
    }
    return new AllowList(Collections.unmodifiableSet(entries));
  }

  boolean allows(String app, String key) {
    return entries.contains(app + "/" + key);
  }

  int size() {
    return entries.size();
  }

  /** Spaces and tabs only: other characters (control characters too) stay to be refused. */
  private static String trim(String line) {
    int start = 0;
    int end = line.length();
    while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
      end--;
    }
    return line.substring(start, end);
  }

  private static String shorten(String line) {
    return line.length() > 80 ? line.substring(0, 80) + "..." : line;
  }
}
