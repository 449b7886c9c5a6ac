package io.livemux.codec.h265;

import io.livemux.LivemuxException;
import io.livemux.bitstream.BitReader;

/** hrd_parameters() of H.265 E.2.2, which the SPS VUI may carry; parsed only to be skipped. */
final class HrdParameters {
  private HrdParameters() {}

  /** hrd_parameters(1, maxNumSubLayersMinus1), E.2.2: read and dropped. */
  static void skip(BitReader r, int maxSubLayersMinus1) throws LivemuxException {
    boolean nalHrd = r.readFlag("HRD: nal_hrd_parameters_present_flag");
    boolean vclHrd = r.readFlag("HRD: vcl_hrd_parameters_present_flag");
    boolean subPicHrd = false;
    if (nalHrd || vclHrd) {
      subPicHrd = r.readFlag("HRD: sub_pic_hrd_params_present_flag");
      if (subPicHrd) {
        r.readBits(8, "HRD: tick_divisor_minus2");
        r.readBits(5, "HRD: du_cpb_removal_delay_increment_length_minus1");
        r.readFlag("HRD: sub_pic_cpb_params_in_pic_timing_sei_flag");
        r.readBits(5, "HRD: dpb_output_delay_du_length_minus1");
      }
      r.readBits(4, "HRD: bit_rate_scale");
      r.readBits(4, "HRD: cpb_size_scale");
      if (subPicHrd) {
        r.readBits(4, "HRD: cpb_size_du_scale");
      }
      r.readBits(5, "HRD: initial_cpb_removal_delay_length_minus1");
      r.readBits(5, "HRD: au_cpb_removal_delay_length_minus1");
      r.readBits(5, "HRD: dpb_output_delay_length_minus1");
    }
    for (int i = 0; i <= maxSubLayersMinus1; i++) {
      boolean fixedPicRateGeneral = r.readFlag("HRD: fixed_pic_rate_general_flag");
      boolean fixedPicRateWithinCvs = true; // inferred when fixed_pic_rate_general_flag is 1
      if (!fixedPicRateGeneral) {
        fixedPicRateWithinCvs = r.readFlag("HRD: fixed_pic_rate_within_cvs_flag");
      }
      boolean lowDelayHrd = false; // inferred 0 when absent
      if (fixedPicRateWithinCvs) {
        r.readUe("HRD: elemental_duration_in_tc_minus1", 0, 2047);
      } else {
        lowDelayHrd = r.readFlag("HRD: low_delay_hrd_flag");
      }
      int cpbCnt = 1;
      if (!lowDelayHrd) {
        cpbCnt = 1 + r.readUe("HRD: cpb_cnt_minus1", 0, 31);
      }
      if (nalHrd) {
        skipSubLayer(r, cpbCnt, subPicHrd);
      }
      if (vclHrd) {
        skipSubLayer(r, cpbCnt, subPicHrd);
      }
    }
  }

  /** sub_layer_hrd_parameters(), E.2.3. */
  private static void skipSubLayer(BitReader r, int cpbCnt, boolean subPicHrd)
      throws LivemuxException {
    for (int i = 0; i < cpbCnt; i++) {
      r.readUe("HRD: bit_rate_value_minus1");
      r.readUe("HRD: cpb_size_value_minus1");
      if (subPicHrd) {
        r.readUe("HRD: cpb_size_du_value_minus1");
        r.readUe("HRD: bit_rate_du_value_minus1");
      }
      r.readFlag("HRD: cbr_flag");
    }
  }
}
