package io.livemux.encode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livemux.sample.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bitrate mode's average over 4 s of the moving pattern, where JCodec can reach the target. */
class BitrateControlTest {
  private static long averageBps(int bitrateBps, int threads) throws Exception {
    VideoEncoderSettings settings =
        VideoEncoderSettings.builder(320, 240).keyframeIntervalUs(1_000_000)
            .bitrateBps(bitrateBps).encoderThreads(threads).queueCapacity(40)
            .finishTimeout(java.time.Duration.ofMinutes(1)).build(); // the bitrate is the point, not the bound
    List<Sample> samples = VideoEncoderPeerTest.encode(settings, 120, false); // 4 s at 30 fps
    long bytes = 0;
    for (Sample s : samples) {
      bytes += s.size();
    }
    return bytes * 8 / 4;
  }

  @Test
  void bitrate_averagesWithinTenPercentOfTheTarget() throws Exception {
    for (int target : new int[] {600_000, 1_000_000}) {
      long got = averageBps(target, 1);
      assertTrue(Math.abs(got - target) <= target / 10, "target " + target + " bps, got " + got);
    }
  }

  @Test
  void bitrate_withTwoEncoderThreads_averagesWithinFifteenPercent() throws Exception {
    long got = averageBps(800_000, 2);
    assertTrue(Math.abs(got - 800_000) <= 120_000, "target 800000 bps, got " + got);
  }

  @Test
  void constantQp_spendsMoreBitsAtLowerQp() throws Exception {
    long[] bps = new long[3];
    int[] qps = {14, 24, 40};
    for (int i = 0; i < qps.length; i++) {
      VideoEncoderSettings settings =
          VideoEncoderSettings.builder(320, 240).constantQp(qps[i]).build();
      long bytes = 0;
      for (Sample s : VideoEncoderPeerTest.encode(settings, 30, false)) {
        bytes += s.size();
      }
      bps[i] = bytes * 8;
    }
    assertTrue(bps[0] > bps[1] && bps[1] > bps[2], java.util.Arrays.toString(bps));
  }
}
