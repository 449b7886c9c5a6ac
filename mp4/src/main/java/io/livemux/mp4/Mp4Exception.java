package io.livemux.mp4;

import io.livemux.LivemuxException;

/**
 * The mp4 module's checked exception: a failed write (with the fragment, track and cause named, e.g.
 * "failed to write fragment 12 (2 tracks, 1048576 bytes) at offset 123456: No space left on
 * device"), or a malformed file given to the reader or to recovery. Immutable.
 */
public class Mp4Exception extends LivemuxException {
  private static final long serialVersionUID = 1L;

  public Mp4Exception(String message) {
    super(message);
  }

  public Mp4Exception(String message, Throwable cause) {
    super(message, cause);
  }
}
