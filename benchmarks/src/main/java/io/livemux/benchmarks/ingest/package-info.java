/** The RTMP ingest load test: a load generator replaying an FLV over many connections, and a server launcher. */
package io.livemux.benchmarks.ingest;
