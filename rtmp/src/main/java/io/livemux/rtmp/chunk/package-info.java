/** RTMP chunk stream (RTMP 5.3): messages, a chunk encoder, a bounded chunk decoder and protocol control messages. */
package io.livemux.rtmp.chunk;
