package io.livemux.rtmp.flv;

import io.livemux.format.MediaFormat;
import io.livemux.format.VideoFormat;
import io.livemux.pipeline.TrackInfo;
import io.livemux.rtmp.RtmpException;
import java.util.List;

/**
 * Which pipeline track is FLV's one video track and which its one audio track (FLV and RTMP carry
 * at most one of each), checked once when an FLV writer or an RTMP publisher starts.
 *
 * <p>Immutable; may be passed between threads.
 */
public final class FlvTracks {
  /** No track of that kind. */
  public static final int NONE = -1;

  private final int videoTrack;
  private final int audioTrack;
  private final MediaFormat[] formats;

  private FlvTracks(int videoTrack, int audioTrack, MediaFormat[] formats) {
    this.videoTrack = videoTrack;
    this.audioTrack = audioTrack;
    this.formats = formats;
  }

  /**
   * Assigns {@code tracks} (already checked to be of supported formats).
   *
   * @param holder what holds them, for messages: "FLV", "RTMP"
   * @throws RtmpException if there is no track, or two of one kind
   */
  public static FlvTracks of(List<TrackInfo> tracks, String holder) throws RtmpException {
    if (tracks.isEmpty()) {
      throw new RtmpException(holder + ": no tracks");
    }
    int video = NONE;
    int audio = NONE;
    MediaFormat[] formats = new MediaFormat[tracks.size()];
    for (TrackInfo t : tracks) {
      boolean isVideo = t.format() instanceof VideoFormat;
      if ((isVideo ? video : audio) != NONE) {
        throw new RtmpException(
            holder + " holds one " + (isVideo ? "video" : "audio") + " track; track " + t.index()
                + " is a second one: " + t.format());
      }
      if (isVideo) {
        video = t.index();
      } else {
        audio = t.index();
      }
      formats[t.index()] = t.format();
    }
    return new FlvTracks(video, audio, formats);
  }

  /** The video track's index, or {@link #NONE}. */
  public int videoTrack() {
    return videoTrack;
  }

  /** The audio track's index, or {@link #NONE}. */
  public int audioTrack() {
    return audioTrack;
  }

  /** Each track's format at start, by track index (a new array the caller may change). */
  public MediaFormat[] formats() {
    return formats.clone();
  }
}
