/** The {@code livemux} command line: remux, recover and inspect MP4 and FLV files. */
package io.livemux.cli;
