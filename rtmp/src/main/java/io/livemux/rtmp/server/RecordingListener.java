package io.livemux.rtmp.server;

/**
 * Told when a published stream's recording has ended (the publisher stopped, disconnected, or the
 * server stopped) and its files are final.
 *
 * <p><b>Threads.</b> Called from a pipeline thread, one call per recording, possibly concurrently for
 * different recordings; keep it short and do not block.
 */
public interface RecordingListener {
  void recordingFinished(Recording recording);
}
