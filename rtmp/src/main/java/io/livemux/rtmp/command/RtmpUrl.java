package io.livemux.rtmp.command;

import java.util.Locale;

/**
 * A publishing address: {@code rtmp://host[:port]/app[/instance]/streamKey[?query]} or the same with
 * {@code rtmps://} (TLS). Split as ffmpeg and OBS split it: the first path segment is the
 * application; when two or more segments follow it, the second belongs to the application too
 * ({@code app/instance}); the rest, query string included, is the stream name sent in {@code
 * publish}. The connect command's {@code tcUrl} is the URL up to the application.
 *
 * <p>Immutable; may be passed between threads. {@link #toString()} hides the stream key.
 */
public final class RtmpUrl {
  public static final int DEFAULT_RTMP_PORT = 1935;
  public static final int DEFAULT_RTMPS_PORT = 443;

  private final boolean tls;
  private final String host;
  private final int port;
  private final boolean portGiven;
  private final String app;
  private final String streamName;

  private RtmpUrl(boolean tls, String host, int port, boolean portGiven, String app, String streamName) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.portGiven = portGiven;
    this.app = app;
    this.streamName = streamName;
  }

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException naming what is wrong: another scheme, no host, a bad port, no
   *     application or no stream name
   */
  public static RtmpUrl parse(String url) {
    if (url == null) {
      throw new IllegalArgumentException("RTMP URL is null");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    boolean tls;
    int rest;
    if (lower.startsWith("rtmp://")) {
      tls = false;
      rest = "rtmp://".length();
    } else if (lower.startsWith("rtmps://")) {
      tls = true;
      rest = "rtmps://".length();
    } else {
      throw new IllegalArgumentException(
          "not an rtmp:// or rtmps:// URL: " + redact(url));
    }
    int slash = url.indexOf('/', rest);
    String authority = slash < 0 ? url.substring(rest) : url.substring(rest, slash);
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("user info in RTMP URLs is not supported: " + redact(url));
    }
    String host;
    int port = tls ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT;
    boolean portGiven = false;
    int colon = authority.startsWith("[") ? authority.indexOf(':', authority.indexOf(']')) : authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.substring(0, colon);
      String portText = authority.substring(colon + 1);
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port '" + portText + "' in RTMP URL: " + redact(url));
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range 1..65535: " + port + " in " + redact(url));
      }
      portGiven = true;
    } else {
      host = authority;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in RTMP URL: " + redact(url));
    }
    if (slash < 0 || slash == url.length() - 1) {
      throw new IllegalArgumentException("no application in RTMP URL: " + redact(url));
    }
    String path = url.substring(slash + 1);
    int first = path.indexOf('/');
    if (first <= 0) {
      throw new IllegalArgumentException(
          "no stream name in RTMP URL (expected rtmp://host/app/stream): " + redact(url));
    }
    int query = path.indexOf('?');
    int second = path.indexOf('/', first + 1);
    int appEnd = first;
    if (second > 0 && (query < 0 || second < query) && second < path.length() - 1) {
      appEnd = second; // app/instance/stream
    }
    String app = path.substring(0, appEnd);
    String streamName = path.substring(appEnd + 1);
    if (streamName.isEmpty()) {
      throw new IllegalArgumentException(
          "no stream name in RTMP URL (expected rtmp://host/app/stream): " + redact(url));
    }
    return new RtmpUrl(tls, host, port, portGiven, app, streamName);
  }

  public boolean isTls() {
    return tls;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The application, with its instance when the URL has one ({@code live/instance}). */
  public String app() {
    return app;
  }

  /** The stream name (key), with its query string. */
  public String streamName() {
    return streamName;
  }

  /** The connect command's {@code tcUrl}: scheme, host, the port when the URL gave one, and the application. */
  public String tcUrl() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (tls ? "rtmps://" : "rtmp://") + h + (portGiven ? ":" + port : "") + "/" + app;
  }

  /** The URL with its stream key hidden, for logs and messages. */
  @Override
  public String toString() {
    return tcUrl() + "/" + mask(streamName);
  }

  private static String mask(String key) {
    return key.length() <= 4 ? "****" : key.substring(0, 2) + "****";
  }

  private static String redact(String url) {
    int last = url.lastIndexOf('/');
    return last > "rtmps://".length() && last < url.length() - 1
        ? url.substring(0, last + 1) + "****"
        : url;
  }
}
