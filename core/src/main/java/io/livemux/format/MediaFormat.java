package io.livemux.format;

/**
 * The immutable description of one track's samples: codec, its configuration and the dimensions or
 * rates a container or a protocol needs to announce them.
 *
 * <p>The subclasses are the closed set of formats livemux knows ({@link VideoFormat}: {@link
 * H264Format}, {@link H265Format}, {@link RawVideoFormat}; {@link AudioFormat}: {@link AacFormat},
 * {@link PcmFormat}); they are values, compared with {@link #equals}, and safe to share between
 * threads. A change of format mid-stream (new SPS/PPS) is a new instance that is not equal to the
 * old one.
 */
public abstract class MediaFormat {
  MediaFormat() {}

  /** Video or audio. */
  public abstract TrackType trackType();

  /** The MIME type, as Android's MediaFormat names it: {@code video/avc}, {@code audio/mp4a-latm}… */
  public abstract String mimeType();

  /** True for uncompressed formats (PCM, raw pictures) that an encoder or a PCM track takes. */
  public abstract boolean isRaw();

  /** The timescale a container should give this track: 90 kHz for video, the sample rate for audio. */
  public abstract int defaultTimescale();
}
