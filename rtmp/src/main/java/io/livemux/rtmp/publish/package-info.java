/** The RTMP/RTMPS publisher: a pipeline sink that sends samples to a server, and a facade that owns its pipeline. */
package io.livemux.rtmp.publish;
