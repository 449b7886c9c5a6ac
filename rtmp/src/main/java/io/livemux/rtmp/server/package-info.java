/** The RTMP ingest server: accepts publishers and records (and relays) every published stream. */
package io.livemux.rtmp.server;
