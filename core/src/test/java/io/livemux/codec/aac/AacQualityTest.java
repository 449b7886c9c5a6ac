package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality targets against ffmpeg's own {@code aac} encoder at the same bitrate (see {@link
 * AacQualityComparison}): SNR within 3 dB or better for every signal at 64, 128 and 192 kbit/s
 * stereo, and no more pre-echo before clicks than ffmpeg's.
 */
class AacQualityTest {
  @TempDir Path dir;

  @Test
  void everySignalAndBitrate_withinThreeDbOfFfmpegsEncoder_andNoMorePreEcho() throws Exception {
    List<AacQualityComparison.Row> rows = new AacQualityComparison(AacQualityComparison.DEFAULT_RATE).run(dir);
    StringBuilder table = new StringBuilder(AacQualityComparison.header()).append('\n');
    for (AacQualityComparison.Row row : rows) {
      table.append(row).append('\n');
    }
    System.out.println(table);
    for (AacQualityComparison.Row row : rows) {
      assertTrue(row.snrMeetsTarget(), "SNR target missed:\n" + row + "\n" + table);
      assertTrue(row.preEchoMeetsTarget(), "pre-echo target missed:\n" + row + "\n" + table);
    }
  }
}
