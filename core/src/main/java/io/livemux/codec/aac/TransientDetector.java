package io.livemux.codec.aac;

/**
 * Finds attacks that would smear into pre-echo under a long window: the input, high-passed (a
 * second difference), is cut into 16 sub-blocks of 64 samples per 1024-sample block; an attack is
 * a sub-block whose energy exceeds both an absolute floor and {@link #ATTACK_RATIO} times the
 * recent energy (the larger of the previous sub-block and a decaying average).
 *
 * <p>Not thread-safe: one per encoder, fed every block in order.
 */
final class TransientDetector {
  private static final int SUB_BLOCK = 64;
  private static final double ATTACK_RATIO = 10;
  /** Energy of 64 samples of amplitude 40 (of 32768): quieter sub-blocks are never attacks. */
  private static final double FLOOR = 64 * 40.0 * 40.0;

  private double previousInput;
  private double previousInput2;
  private double previousEnergy;
  private double averageEnergy;

  /**
   * Analyzes the next 1024 samples (channels already summed) and returns the position of the first
   * attack in them, or -1.
   */
  int analyze(double[] block) {
    int attack = -1;
    for (int s = 0; s < block.length / SUB_BLOCK; s++) {
      double energy = 0;
      for (int i = s * SUB_BLOCK; i < (s + 1) * SUB_BLOCK; i++) {
        // Second difference, a high-pass rising 12 dB per octave: attacks show up in the highs,
        // while steady tones and bass, however loud, hardly pass.
        double y = block[i] - 2 * previousInput + previousInput2;
        previousInput2 = previousInput;
        previousInput = block[i];
        energy += y * y;
      }
      double recent = Math.max(previousEnergy, averageEnergy);
      if (attack < 0 && energy > FLOOR && energy > ATTACK_RATIO * recent) {
        attack = s * SUB_BLOCK;
      }
      averageEnergy = 0.7 * averageEnergy + 0.3 * energy;
      previousEnergy = energy;
    }
    return attack;
  }
}
