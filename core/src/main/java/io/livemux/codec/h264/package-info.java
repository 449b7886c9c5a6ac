/** H.264 (AVC) parameter sets and the AVCDecoderConfigurationRecord of ISO/IEC 14496-15. */
package io.livemux.codec.h264;
