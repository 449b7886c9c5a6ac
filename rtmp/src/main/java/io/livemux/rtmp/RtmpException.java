package io.livemux.rtmp;

import io.livemux.LivemuxException;

/**
 * The rtmp module's checked exception: malformed or hostile AMF0, FLV or RTMP data (with the field,
 * the limit and the bad value named, e.g. "AMF0: string of 70000 bytes exceeds maxStringBytes
 * 65536"), a codec the module does not carry, or a failed write with its cause.
 *
 * <p>Immutable; may be passed between threads.
 */
public class RtmpException extends LivemuxException {
  private static final long serialVersionUID = 1L;

  public RtmpException(String message) {
    super(message);
  }

  public RtmpException(String message, Throwable cause) {
    super(message, cause);
  }
}
