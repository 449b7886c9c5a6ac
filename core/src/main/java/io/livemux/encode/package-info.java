/**
 * Encoder writer inputs: raw pictures (and, later, PCM) in, encoded samples out to a pipeline track,
 * each behind its own bounded queue and encoder thread(s) with the {@code WriterInput} readiness
 * rules.
 */
package io.livemux.encode;
