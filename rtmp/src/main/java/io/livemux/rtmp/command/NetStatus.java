package io.livemux.rtmp.command;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The info object of an {@code onStatus} or {@code _error} answer (RTMP 7.2.2): a level ({@code
 * status}, {@code warning}, {@code error}), a code such as {@code NetStream.Publish.Start} or {@code
 * NetStream.Publish.BadName}, and a human description.
 *
 * <p>Immutable; may be passed between threads.
 */
public final class NetStatus {
  public static final String LEVEL_STATUS = "status";
  public static final String LEVEL_ERROR = "error";

  public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
  public static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
  public static final String PUBLISH_START = "NetStream.Publish.Start";
  public static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
  public static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
  public static final String PLAY_FAILED = "NetStream.Play.Failed";

  private final String level;
  private final String code;
  private final String description;

  private NetStatus(String level, String code, String description) {
    this.level = level;
    this.code = code;
    this.description = description;
  }

  public static NetStatus of(String level, String code, String description) {
    if (level == null || code == null || description == null) {
      throw new IllegalArgumentException(
          "null field in NetStatus: level=" + level + " code=" + code + " description=" + description);
    }
    return new NetStatus(level, code, description);
  }

  /** Reads {@code level}, {@code code} and {@code description} from an info object, or null when it has no code. */
  public static NetStatus fromInfo(Map<?, ?> info) {
    Object code = info.get("code");
    if (!(code instanceof String)) {
      return null;
    }
    Object level = info.get("level");
    Object description = info.get("description");
    return new NetStatus(
        level instanceof String ? (String) level : "",
        (String) code,
        description instanceof String ? (String) description : "");
  }

  /** The info object to send: level, code, description. */
  public Map<String, Object> toInfo() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", level);
    info.put("code", code);
    info.put("description", description);
    return info;
  }

  public String level() {
    return level;
  }

  public String code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** Level {@code error}, or a code that names a failure. */
  public boolean isError() {
    return LEVEL_ERROR.equals(level)
        || code.endsWith(".Failed")
        || code.endsWith(".Rejected")
        || code.endsWith(".BadName");
  }

  @Override
  public String toString() {
    return code + " (" + level + ")" + (description.isEmpty() ? "" : ": " + description);
  }
}
