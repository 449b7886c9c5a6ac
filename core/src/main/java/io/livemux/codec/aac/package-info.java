/**
 * AAC: configuration (AudioSpecificConfig, ADTS headers) and a pure-Java AAC-LC encoder ({@link
 * io.livemux.codec.aac.AacEncoder}, its engines package-private beside it: MDCT, masking model,
 * and the rate and distortion quantization loops of ISO/IEC 13818-7 B.7 in QuantizationLoop).
 */
package io.livemux.codec.aac;
