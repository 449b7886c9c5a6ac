package io.livemux.rtmp.amf;

/**
 * The AMF0 {@code undefined} value (AMF0 2.8, marker 0x06), distinct from {@code null} (2.7,
 * marker 0x05), which is Java's {@code null}. A singleton; thread-safe.
 */
public enum Amf0Undefined {
  UNDEFINED;

  @Override
  public String toString() {
    return "undefined";
  }
}
