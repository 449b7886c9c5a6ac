package io.livemux.codec.h265;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;
import java.util.Arrays;

/**
 * The short-term reference picture sets of the SPS (st_ref_pic_set, 7.3.7), kept only as far as
 * needed to parse the next one: a set may be predicted from the previous set (7.4.8), so the
 * number of flags it codes depends on that set's delta POCs.
 */
final class ShortTermRefPicSets {
  /**
   * Bound on num_negative_pics and num_positive_pics (each below 16), as ffmpeg
   * applies it; the spec's own bound, sps_max_dec_pic_buffering_minus1, is at most 15 too.
   */
  private static final int MAX_PICS = 16;

  /** DeltaPocS0 (negative, decreasing) and DeltaPocS1 (positive, increasing) of each set read. */
  private final int[][] deltaPocS0;
  private final int[][] deltaPocS1;

  ShortTermRefPicSets(int count) {
    deltaPocS0 = new int[count][];
    deltaPocS1 = new int[count][];
  }

  void read(BitReader r, int idx) throws LivemuxException {
    boolean interRefPicSetPrediction = false;
    if (idx != 0) {
      interRefPicSetPrediction = r.readFlag("RPS: inter_ref_pic_set_prediction_flag");
    }
    if (interRefPicSetPrediction) {
      readPredicted(r, idx);
    } else {
      readExplicit(r, idx);
    }
  }

  /** 7.4.8 with inter_ref_pic_set_prediction_flag 0: delta POCs coded one by one (7-63 to 7-66). */
  private void readExplicit(BitReader r, int idx) throws LivemuxException {
    int numNegative = r.readUe("RPS: num_negative_pics", 0, MAX_PICS - 1);
    int numPositive = r.readUe("RPS: num_positive_pics", 0, MAX_PICS - 1);
    int[] s0 = new int[numNegative];
    int[] s1 = new int[numPositive];
    int poc = 0;
    for (int i = 0; i < numNegative; i++) {
      poc -= 1 + r.readUe("RPS: delta_poc_s0_minus1", 0, 32767);
      s0[i] = poc;
      r.readFlag("RPS: used_by_curr_pic_s0_flag");
    }
    poc = 0;
    for (int i = 0; i < numPositive; i++) {
      poc += 1 + r.readUe("RPS: delta_poc_s1_minus1", 0, 32767);
      s1[i] = poc;
      r.readFlag("RPS: used_by_curr_pic_s1_flag");
    }
    deltaPocS0[idx] = s0;
    deltaPocS1[idx] = s1;
  }

  /**
   * 7.4.8 with inter_ref_pic_set_prediction_flag 1: the set is the previous set (in an SPS
   * delta_idx_minus1 is absent, so RefRpsIdx = idx - 1) shifted by deltaRps, with one
   * used_by_curr_pic_flag / use_delta_flag per picture of the reference set plus one for deltaRps
   * itself (7-61, 7-62).
   */
  private void readPredicted(BitReader r, int idx) throws LivemuxException {
    int ref = idx - 1;
    int[] refS0 = deltaPocS0[ref];
    int[] refS1 = deltaPocS1[ref];
    int refNumDeltaPocs = refS0.length + refS1.length;
    int sign = r.readFlag("RPS: delta_rps_sign") ? -1 : 1;
    int deltaRps = sign * (1 + r.readUe("RPS: abs_delta_rps_minus1", 0, 32767));
    // Index j < refS0.length is S0[j], then S1[j - refS0.length], then deltaRps itself.
    boolean[] usedByCurrPic = new boolean[refNumDeltaPocs + 1];
    boolean[] useDelta = new boolean[refNumDeltaPocs + 1];
    for (int j = 0; j <= refNumDeltaPocs; j++) {
      usedByCurrPic[j] = r.readFlag("RPS: used_by_curr_pic_flag");
      useDelta[j] = usedByCurrPic[j] || r.readFlag("RPS: use_delta_flag"); // inferred 1 if absent
    }
    // A predicted set holds at most the reference set's pictures plus one (deltaRps).
    int[] s0 = new int[refNumDeltaPocs + 1];
    int[] s1 = new int[refNumDeltaPocs + 1];
    int n0 = 0;
    for (int j = refS1.length - 1; j >= 0; j--) { // 7-61
      int dPoc = refS1[j] + deltaRps;
      if (dPoc < 0 && useDelta[refS0.length + j]) {
        s0[n0++] = dPoc;
      }
    }
    if (deltaRps < 0 && useDelta[refNumDeltaPocs]) {
      s0[n0++] = deltaRps;
    }
    for (int j = 0; j < refS0.length; j++) {
      int dPoc = refS0[j] + deltaRps;
      if (dPoc < 0 && useDelta[j]) {
        s0[n0++] = dPoc;
      }
    }
    int n1 = 0;
    for (int j = refS0.length - 1; j >= 0; j--) { // 7-62
      int dPoc = refS0[j] + deltaRps;
      if (dPoc > 0 && useDelta[j]) {
        s1[n1++] = dPoc;
      }
    }
    if (deltaRps > 0 && useDelta[refNumDeltaPocs]) {
      s1[n1++] = deltaRps;
    }
    for (int j = 0; j < refS1.length; j++) {
      int dPoc = refS1[j] + deltaRps;
      if (dPoc > 0 && useDelta[refS0.length + j]) {
        s1[n1++] = dPoc;
      }
    }
    if (n0 >= MAX_PICS || n1 >= MAX_PICS) {
      throw new LivemuxException(
          "RPS: predicted set " + idx + " has too many pictures (NumNegativePics " + n0
              + ", NumPositivePics " + n1 + "), each must be below " + MAX_PICS);
    }
    deltaPocS0[idx] = Arrays.copyOf(s0, n0);
    deltaPocS1[idx] = Arrays.copyOf(s1, n1);
  }
}
