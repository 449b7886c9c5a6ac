package io.livemux.codec;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.livemux.LivemuxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.statistics.Statistics;

/**
 * Inputs and the oracle for the parser properties: every parser, fed anything, ends within a bound
 * either with a result or with {@link LivemuxException}.
 */
public final class Fuzz {
  /** Generous: a parse of a few hundred bytes takes microseconds. */
  public static final Duration BOUND = Duration.ofSeconds(1);

  private Fuzz() {}

  /** A parse that may throw anything. */
  public interface Parse<T> {
    T run() throws Exception;
  }

  /**
   * Runs {@code parse} in at most {@link #BOUND}; returns its result, or null if it threw {@link
   * LivemuxException}. Any other exception, or running over time, fails the property.
   */
  public static <T> T parsesOrRejects(Parse<T> parse) {
    T result = bounded(parse);
    // How often the data got through: a property where nothing parses tests little.
    Statistics.label("outcome").collect(result == null ? "LivemuxException" : "parsed");
    return result;
  }

  /** {@link #parsesOrRejects} without collecting statistics, for checks inside a property. */
  public static <T> T bounded(Parse<T> parse) {
    return assertTimeoutPreemptively(
        BOUND,
        () -> {
          try {
            return parse.run();
          } catch (LivemuxException expected) {
            return null;
          }
        });
  }

  /** Random bytes, up to {@code maxSize}. */
  public static Arbitrary<byte[]> bytes(int maxSize) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
  }

  /** Random bytes after a fixed prefix (a NAL header, a record version), so parsing goes deeper. */
  public static Arbitrary<byte[]> bytesAfter(byte[] prefix, int maxSize) {
    return bytes(maxSize).map(tail -> concat(prefix, tail));
  }

  /**
   * One of {@code seeds} with 1 to 6 edits: a bit flipped, a byte overwritten, inserted or deleted,
   * a range duplicated, or the end cut off.
   */
  public static Arbitrary<byte[]> mutationsOf(List<byte[]> seeds) {
    Arbitrary<int[]> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(0, 255))
            .as((op, position, value) -> new int[] {op, position, value});
    return Combinators.combine(Arbitraries.of(seeds), edit.list().ofMinSize(1).ofMaxSize(6))
        .as(
            (seed, edits) -> {
              byte[] data = seed.clone();
              for (int[] e : edits) {
                data = apply(data, e[0], e[1], e[2]);
              }
              return data;
            });
  }

  private static byte[] apply(byte[] data, int op, int position, int value) {
    int n = data.length;
    switch (op) {
      case 0: // flip a bit
        if (n > 0) {
          data[position % n] ^= (byte) (1 << (value & 7));
        }
        return data;
      case 1: // overwrite a byte
        if (n > 0) {
          data[position % n] = (byte) value;
        }
        return data;
      case 2: { // insert a byte
        int at = position % (n + 1);
        byte[] out = new byte[n + 1];
        System.arraycopy(data, 0, out, 0, at);
        out[at] = (byte) value;
        System.arraycopy(data, at, out, at + 1, n - at);
        return out;
      }
      case 3: { // delete a byte
        if (n == 0) {
          return data;
        }
        int at = position % n;
        byte[] out = new byte[n - 1];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(data, at + 1, out, at, n - at - 1);
        return out;
      }
      case 4: { // duplicate a range
        if (n == 0) {
          return data;
        }
        int at = position % n;
        int length = Math.min(value + 1, n - at);
        byte[] out = new byte[n + length];
        System.arraycopy(data, 0, out, 0, at + length);
        System.arraycopy(data, at, out, at + length, n - at);
        return out;
      }
      default: // truncate
        return Arrays.copyOf(data, position % (n + 1));
    }
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
