/**
 * AAC: configuration (AudioSpecificConfig, ADTS headers) and a pure-Java AAC-LC encoder ({@link
 * io.livemux.codec.aac.AacEncoder}, its engines package-private beside it).
 */
package io.livemux.codec.aac;
