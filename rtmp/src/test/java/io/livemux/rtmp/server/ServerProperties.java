package io.livemux.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the server's parsers and transforms: names, allow lists, timestamps. */
class ServerProperties {
  private static final Path DIR = Path.of("/srv/recordings");

  @Provide
  Arbitrary<String> hostileNames() {
    Arbitrary<String> pieces = Arbitraries.of("..", ".", "/", "\\", "\0", "\n", "\u007f", "\u0085",
        "a", "key", ":", "%2e", "~", " ", "é", "😀");
    return pieces.list().ofMinSize(0).ofMaxSize(12).map(list -> String.join("", list));
  }

  @Property(tries = 2000)
  void acceptedNames_neverLeaveTheirDirectory(
      @ForAll("hostileNames") String app, @ForAll("hostileNames") String stream) {
    if (!StreamNames.isSafe(app) || !StreamNames.isSafe(stream)) {
      return;
    }
    Path file = DIR.resolve(app).resolve(StreamNames.numbered(stream, 3) + ".mp4");
    assertEquals(DIR.resolve(app), file.normalize().getParent(), file.toString());
    assertEquals(DIR, file.normalize().getParent().getParent(), file.toString());
  }

  @Property
  void namesWithSeparatorsControlCharsOrDots_areRefused(
      @ForAll("hostileNames") String prefix, @ForAll("hostileNames") String suffix,
      @ForAll("badParts") String bad) {
    String name = prefix + bad + suffix;
    if (bad.equals("..") && !name.equals("..")) {
      return; // "a..b" is a fine file name; only the whole name ".." is a directory
    }
    assertNotNull(StreamNames.refusal(name), name);
  }

  @Provide
  Arbitrary<String> badParts() {
    return Arbitraries.oneOf(
        Arbitraries.of("/", "\\", "\0", ":", ".."),
        Arbitraries.chars().range('\0', '\u001f').map(String::valueOf),
        Arbitraries.chars().range('\u007f', '\u009f').map(String::valueOf));
  }

  @Property
  void namesLongerThan200_areRefused_200IsFine(@ForAll @IntRange(min = 1, max = 400) int length) {
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      b.append('k');
    }
    assertEquals(length <= 200, StreamNames.isSafe(b.toString()));
  }

  @Property
  void queryStrings_areCutOff(@ForAll("plainNames") String key, @ForAll String query) {
    assertEquals(key, StreamNames.withoutQuery(key + "?" + query));
    assertEquals(key, StreamNames.withoutQuery(key));
  }

  @Provide
  Arbitrary<String> plainNames() {
    return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("-_.")
        .ofMinLength(1).ofMaxLength(40).filter(StreamNames::isSafe);
  }

  @Property(tries = 200)
  void allowListLines_withCommentsAndBlanks_allowExactlyTheListedPairs(
      @ForAll @Size(max = 10) List<@net.jqwik.api.From("plainNames") String> apps,
      @ForAll @Size(max = 10) List<@net.jqwik.api.From("plainNames") String> keys,
      @ForAll("plainNames") String probeApp, @ForAll("plainNames") String probeKey) {
    List<String> lines = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    lines.add("# allowed stream keys");
    for (int i = 0; i < Math.min(apps.size(), keys.size()); i++) {
      lines.add((i % 2 == 0 ? "  " : "\t") + apps.get(i) + "/" + keys.get(i) + (i % 3 == 0 ? " " : ""));
      lines.add("");
      listed.add(apps.get(i) + "/" + keys.get(i));
    }
    AllowList list = AllowList.parse(lines);
    assertEquals(listed.size(), list.size());
    for (String pair : listed) {
      int slash = pair.indexOf('/');
      assertTrue(list.allows(pair.substring(0, slash), pair.substring(slash + 1)), pair);
    }
    assertEquals(listed.contains(probeApp + "/" + probeKey), list.allows(probeApp, probeKey));
  }

  @Property(tries = 500)
  void anyAllowListText_parsesOrNamesTheBadLine(@ForAll @Size(max = 8) List<String> lines) {
    try {
      AllowList.parse(lines);
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("allow list line "), e.getMessage());
    }
  }

  @Property
  void timestamps_extendAcrossTheWrap_toTheOriginal64BitTimeline(
      @ForAll @LongRange(min = 0, max = 1L << 40) long start,
      @ForAll @Size(max = 200) List<@IntRange(min = -100_000, max = 2_000_000_000) Integer> steps) {
    TimestampExtender extender = new TimestampExtender();
    long base = start & ~0xFFFFFFFFL; // the extender starts in the first 2^32 window
    long t = start;
    assertEquals(t - base, extender.extend(t & 0xFFFFFFFFL));
    for (int step : steps) {
      t += step;
      assertEquals(t - base, extender.extend(t & 0xFFFFFFFFL), "after a step of " + step);
    }
  }

  @Property(tries = 50)
  void reserve_givesEachRecordingItsOwnNumberedFiles(@ForAll @IntRange(min = 1, max = 6) int count)
      throws IOException {
    Path dir = Files.createTempDirectory("livemux-names");
    try {
      Set<Path> seen = new HashSet<>();
      for (int i = 0; i < count; i++) {
        Path[] files = StreamNames.reserve(dir.resolve("app"), "key", "mp4", "flv");
        String base = i == 0 ? "key" : "key-" + i;
        assertEquals(dir.resolve("app").resolve(base + ".mp4"), files[0]);
        assertEquals(dir.resolve("app").resolve(base + ".flv"), files[1]);
        assertTrue(seen.add(files[0]));
      }
      Files.delete(dir.resolve("app/key.flv")); // a lone .mp4 still takes its number
      assertFalse(StreamNames.reserve(dir.resolve("app"), "key", "mp4", "flv")[0]
          .getFileName().toString().equals("key.mp4"));
    } finally {
      try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
