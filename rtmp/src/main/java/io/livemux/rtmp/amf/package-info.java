/** AMF0 (Action Message Format 0): values as plain Java, a bounded decoder and an encoder. */
package io.livemux.rtmp.amf;
