package io.livemux.rtmp.server;

import io.livemux.pipeline.PipelineResult;
import java.nio.file.Path;

/**
 * One finished recording of a published stream: its names, its files, and the pipeline's result
 * (per sink: samples written, dropped by reason, outcome). Immutable; may be passed between threads.
 */
public final class Recording {
  private final String app;
  private final String stream;
  private final Path mp4;
  private final Path flv;
  private final String relayUrl;
  private final PipelineResult result;

  /** Where one recording goes. */
  static final class Files {
    final Path mp4;
    final Path flv;
    final String relayUrl;

    Files(Path mp4, Path flv, String relayUrl) {
      this.mp4 = mp4;
      this.flv = flv;
      this.relayUrl = relayUrl;
    }
  }

  Recording(String app, String stream, Files files, PipelineResult result) {
    this.app = app;
    this.stream = stream;
    this.mp4 = files.mp4;
    this.flv = files.flv;
    this.relayUrl = files.relayUrl;
    this.result = result;
  }

  public String app() {
    return app;
  }

  /** The stream name (key) without its query string. */
  public String stream() {
    return stream;
  }

  /** The MP4 file, or null when MP4 recording is off. */
  public Path mp4() {
    return mp4;
  }

  /** The FLV file, or null when FLV recording is off. */
  public Path flv() {
    return flv;
  }

  /** Where the stream was relayed, or null. */
  public String relayUrl() {
    return relayUrl;
  }

  /** The sinks in order: MP4 (if on), FLV (if on), relay (if on). */
  public PipelineResult result() {
    return result;
  }

  @Override
  public String toString() {
    return "Recording{" + app + "/" + StreamNames.mask(stream) + ", " + result + "}";
  }
}
