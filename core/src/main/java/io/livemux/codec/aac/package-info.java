/** AAC configuration (AudioSpecificConfig, ADTS headers) and, later, the encoder. */
package io.livemux.codec.aac;
