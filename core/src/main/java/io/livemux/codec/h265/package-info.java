/** H.265 (HEVC) parameter sets and the HEVCDecoderConfigurationRecord of ISO/IEC 14496-15. */
package io.livemux.codec.h265;
