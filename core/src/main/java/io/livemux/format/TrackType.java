package io.livemux.format;

/** What kind of media a track carries. */
public enum TrackType {
  VIDEO,
  AUDIO
}
