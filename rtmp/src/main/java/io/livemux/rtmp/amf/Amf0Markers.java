package io.livemux.rtmp.amf;

/** The AMF0 type markers (AMF0 2.1) and their names for messages. */
final class Amf0Markers {
  static final int NUMBER = 0x00; // 2.2
  static final int BOOLEAN = 0x01; // 2.3
  static final int STRING = 0x02; // 2.4
  static final int OBJECT = 0x03; // 2.5
  static final int NULL = 0x05; // 2.7
  static final int UNDEFINED = 0x06; // 2.8
  static final int ECMA_ARRAY = 0x08; // 2.10
  static final int OBJECT_END = 0x09; // 2.11
  static final int STRICT_ARRAY = 0x0A; // 2.12
  static final int DATE = 0x0B; // 2.13
  static final int LONG_STRING = 0x0C; // 2.14

  private static final String[] NAMES = {
    "number", "boolean", "string", "object", "movieclip", "null", "undefined", "reference",
    "ecma-array", "object-end", "strict-array", "date", "long-string", "unsupported", "recordset",
    "xml-document", "typed-object", "avmplus-object (AMF3)"
  };

  private Amf0Markers() {}

  /** "0x07 (reference)", or "0x42 (unknown)". */
  static String describe(int marker) {
    String hex = String.format("0x%02X", marker);
    return hex + " (" + (marker < NAMES.length ? NAMES[marker] : "unknown") + ")";
  }
}
