/** The immutable media sample: payload, times in ticks of a timescale, and flags. */
package io.livemux.sample;
