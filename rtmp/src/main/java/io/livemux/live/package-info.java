/** Stream and record at once: one session that publishes to RTMP and records to MP4 from the same samples. */
package io.livemux.live;
