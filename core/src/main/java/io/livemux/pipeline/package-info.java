/** The writer-input pipeline: producers append samples, bounded queues fan them out to sinks. */
package io.livemux.pipeline;
