package io.livemux.rtmp.chunk;

/**
 * A parsed User Control event (RTMP 7.1.7): its type ({@link UserControl#STREAM_BEGIN} etc.), its
 * first 4-byte value (a message stream id or a ping timestamp) and, for Set Buffer Length only, the
 * buffer length in ms (-1 otherwise). Immutable; any thread.
 */
public final class UserControlEvent {
  private final int eventType;
  private final long value;
  private final long bufferLengthMs;

  UserControlEvent(int eventType, long value, long bufferLengthMs) {
    this.eventType = eventType;
    this.value = value;
    this.bufferLengthMs = bufferLengthMs;
  }

  public int eventType() {
    return eventType;
  }

  /** Unsigned 32-bit: the stream id or the timestamp, by event type. */
  public long value() {
    return value;
  }

  /** For Set Buffer Length, the buffer length in ms; -1 for other events. */
  public long bufferLengthMs() {
    return bufferLengthMs;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof UserControlEvent)) {
      return false;
    }
    UserControlEvent e = (UserControlEvent) o;
    return e.eventType == eventType && e.value == value && e.bufferLengthMs == bufferLengthMs;
  }

  @Override
  public int hashCode() {
    return (eventType * 31 + Long.hashCode(value)) * 31 + Long.hashCode(bufferLengthMs);
  }

  @Override
  public String toString() {
    return "UserControlEvent{type=" + eventType + ", value=" + value
        + (bufferLengthMs >= 0 ? ", bufferLengthMs=" + bufferLengthMs : "") + "}";
  }
}
