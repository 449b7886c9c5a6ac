/** livemux rtmp: FLV and AMF0 codecs now; the RTMP publisher and ingest server arrive next. */
package io.livemux.rtmp;
