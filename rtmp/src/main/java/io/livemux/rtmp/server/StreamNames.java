package io.livemux.rtmp.server;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Application and stream names as file names: which names are refused, and which files a new
 * recording gets ({@code DIR/APP/STREAM.mp4}, then {@code STREAM-1.mp4}, {@code STREAM-2.mp4}, ...).
 *
 * <p>A name is refused when it could leave the recording directory or confuse a file system: empty,
 * longer than {@link #MAX_LENGTH} characters, {@code .} or {@code ..}, or containing {@code /},
 * {@code \}, NUL, another control character (below U+0020, U+007F..U+009F), or {@code :} (a drive
 * or stream separator on Windows). Query strings ({@code key?token=...}) are cut off first, as
 * nginx-rtmp and OBS's servers do.
 *
 * <p>Stateless; thread-safe.
 */
final class StreamNames {
  /** The longest app or stream name accepted, in chars. */
  static final int MAX_LENGTH = 200;
  /** How many numbered names are tried before giving up. */
  static final int MAX_SUFFIX = 9999;

  private StreamNames() {}

  /** {@code name} without its query string ({@code ?...}); null stays null. */
  static String withoutQuery(String name) {
    if (name == null) {
      return null;
    }
    int q = name.indexOf('?');
    return q < 0 ? name : name.substring(0, q);
  }

  /** Why {@code name} is refused as an app or stream name, or null when it is fine. */
  static String refusal(String name) {
    if (name == null || name.isEmpty()) {
      return "empty name";
    }
    if (name.length() > MAX_LENGTH) {
      return "name of " + name.length() + " chars is longer than " + MAX_LENGTH;
    }
    if (name.equals(".") || name.equals("..")) {
      return "name '" + name + "' names a directory";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c == ':') {
        return "name contains '" + c + "' at " + i;
      }
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        return "name contains control character U+" + String.format("%04X", (int) c) + " at " + i;
      }
    }
    return null;
  }

  /**
   * Stream keys are secrets: logs, lane names and status descriptions show only their first 4
   * characters. Null shows as "(none)".
   */
  static String mask(String key) {
    if (key == null) {
      return "(none)";
    }
    return key.length() <= 4 ? key : key.substring(0, 4) + "...";
  }

  static boolean isSafe(String name) {
    return refusal(name) == null;
  }

  /** The base name (no extension) of the {@code n}th recording of {@code stream}: STREAM, STREAM-1, ... */
  static String numbered(String stream, int n) {
    return n == 0 ? stream : stream + "-" + n;
  }

  /**
   * Reserves the first free base name in {@code appDir}: every extension in {@code extensions} is
   * created empty there (atomically, so two recordings never get the same file), and the paths are
   * returned in the order of {@code extensions}. Call only with names {@link #isSafe} accepted.
   */
  static Path[] reserve(Path appDir, String stream, String... extensions) throws IOException {
    Files.createDirectories(appDir);
    for (int n = 0; n <= MAX_SUFFIX; n++) {
      String base = numbered(stream, n);
      Path[] paths = new Path[extensions.length];
      boolean taken = false;
      for (int i = 0; i < extensions.length && !taken; i++) {
        paths[i] = appDir.resolve(base + "." + extensions[i]);
        taken = Files.exists(paths[i]);
      }
      if (taken) {
        continue;
      }
      int created = 0;
      try {
        for (; created < paths.length; created++) {
          Files.createFile(paths[created]);
        }
        return paths;
      } catch (FileAlreadyExistsException e) {
        // Raced with another writer: give back what we took and try the next number.
        for (int i = 0; i < created; i++) {
          Files.deleteIfExists(paths[i]);
        }
      }
    }
    throw new IOException("no free recording name for " + stream + " in " + appDir
        + " after " + MAX_SUFFIX + " tries");
  }
}
