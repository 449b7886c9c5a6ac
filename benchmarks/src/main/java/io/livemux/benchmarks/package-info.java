/** JMH benchmarks. */
package io.livemux.benchmarks;
