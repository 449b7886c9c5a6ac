package io.livemux;

import java.io.IOException;

/**
 * The checked exception of the core module: malformed media data (a parameter set, a header, a
 * configuration record) or a failed sink, with a message that names what was wrong and the bad value.
 *
 * <p>It extends {@link IOException} so that code which already handles I/O failures handles these
 * too; the mp4 and rtmp modules each have one subclass of their own. Instances are immutable and may
 * be passed between threads.
 */
public class LivemuxException extends IOException {
  private static final long serialVersionUID = 1L;

  public LivemuxException(String message) {
    super(message);
  }

  public LivemuxException(String message, Throwable cause) {
    super(message, cause);
  }
}
