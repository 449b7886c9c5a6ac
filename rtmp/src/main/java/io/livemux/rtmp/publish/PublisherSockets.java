package io.livemux.rtmp.publish;

import io.livemux.rtmp.RtmpException;
import io.livemux.rtmp.command.RtmpUrl;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Opens the publisher's socket: TCP, then TLS for rtmps. Stateless. */
final class PublisherSockets {
  private PublisherSockets() {}

  /**
   * A connected socket to the URL's host and port, TCP or (rtmps) TLS whose certificate must name
   * the host; every failure an {@link RtmpException} that says what could not be reached and why.
   */
  static Socket open(RtmpPublisherOptions options) throws IOException {
    RtmpUrl url = options.url();
    String where = url.host() + ":" + url.port();
    Socket socket = options.socketFactory().createSocket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(url.host(), url.port()), options.connectTimeoutMs());
    } catch (UnknownHostException e) {
      closeQuietly(socket);
      throw new RtmpException("cannot publish to " + url + ": unknown host " + url.host(), e);
    } catch (ConnectException e) {
      closeQuietly(socket);
      throw new RtmpException(
          "cannot publish to " + url + ": connection to " + where + " refused (" + e.getMessage() + ")", e);
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new RtmpException(
          "cannot publish to " + url + ": connecting to " + where + " timed out after "
              + options.connectTimeoutMs() + " ms", e);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new RtmpException("cannot publish to " + url + ": connecting to " + where + " failed: " + e, e);
    }
    if (!url.isTls()) {
      return socket;
    }
    try {
      SSLSocket tls =
          (SSLSocket) options.sslSocketFactory().createSocket(socket, url.host(), url.port(), true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names the host
      tls.setSSLParameters(parameters);
      tls.setSoTimeout(options.handshakeTimeoutMs());
      tls.startHandshake();
      return tls;
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new RtmpException(
          "cannot publish to " + url + ": the TLS handshake with " + where + " timed out after "
              + options.handshakeTimeoutMs() + " ms", e);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new RtmpException(
          "cannot publish to " + url + ": the TLS handshake with " + where + " failed: " + e, e);
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing a socket that failed to connect: nothing to report beyond the failure itself.
    }
  }
}
