/** Exact media time: integer ticks over a timescale, converted without drift. */
package io.livemux.time;
