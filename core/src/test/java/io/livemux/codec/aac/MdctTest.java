package io.livemux.codec.aac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MdctTest {
  @ParameterizedTest
  @ValueSource(ints = {16, 256, 2048})
  void forward_equalsTheStandardsDefinition(int n) {
    Random random = new Random(n);
    double[] input = new double[n + 3];
    for (int i = 0; i < input.length; i++) {
      input[i] = random.nextGaussian() * 10000;
    }
    double[] fast = new double[n / 2 + 5];
    new Mdct(n).forward(input, 3, fast, 5);
    double n0 = (n / 2.0 + 1) / 2;
    double scale = 0;
    for (int k = 0; k < n / 2; k++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += input[3 + i] * Math.cos(2 * Math.PI / n * (i + n0) * (k + 0.5));
      }
      scale = Math.max(scale, Math.abs(2 * sum));
    }
    for (int k = 0; k < n / 2; k++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += input[3 + i] * Math.cos(2 * Math.PI / n * (i + n0) * (k + 0.5));
      }
      // ISO/IEC 14496-3 4.6.11.3.2: X[k] = 2 * sum z[n] cos(2 pi / N (n + n0)(k + 1/2)).
      assertEquals(2 * sum, fast[5 + k], scale * 1e-12, "coefficient " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 8, 100, 1000})
  void constructor_rejectsSizesThatAreNotPowersOfTwoFromSixteen(int n) {
    assertThrows(IllegalArgumentException.class, () -> new Mdct(n));
  }
}
