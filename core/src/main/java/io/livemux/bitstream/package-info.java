/** Bit-level reading and writing, and NAL unit framing (Annex B and length-prefixed). */
package io.livemux.bitstream;
