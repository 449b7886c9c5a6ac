package io.livemux.rtmp;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import net.jqwik.api.statistics.Statistics;

/**
 * The oracle of the fuzzing properties: a decoder fed anything ends within {@link #BOUND} with a
 * result or an {@link RtmpException}; any other exception (a core LivemuxException that escaped
 * unwrapped, an IndexOutOfBounds, an OutOfMemoryError) or running over time fails the property.
 */
public final class Rejects {
  /** Generous: these decodes take microseconds to milliseconds. */
  public static final Duration BOUND = Duration.ofMillis(1500);

  private Rejects() {}

  /** A decode that may throw anything. */
  public interface Decode<T> {
    T run() throws Exception;
  }

  /** The result, or null if it threw RtmpException; collects how often each happened. */
  public static <T> T decodesOrRejects(Decode<T> decode) {
    T result =
        assertTimeoutPreemptively(
            BOUND,
            () -> {
              try {
                return decode.run();
              } catch (RtmpException expected) {
                return null;
              }
            });
    Statistics.label("outcome").collect(result == null ? "RtmpException" : "decoded");
    return result;
  }
}
