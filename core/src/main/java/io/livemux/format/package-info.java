/** Immutable descriptions of tracks: H.264, H.265, AAC, PCM s16le and raw YUV 4:2:0. */
package io.livemux.format;
