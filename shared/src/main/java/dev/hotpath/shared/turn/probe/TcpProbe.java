package dev.hotpath.shared.turn.probe;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** {@code tcp}: the port accepts a connection. Says nothing about UDP or the protocol behind it. */
public final class TcpProbe implements Probe {
  private final String host;
  private final int port;

  public TcpProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.TCP;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    try (Socket socket = new Socket()) {
      socket.connect(Endpoints.resolve(host, port), StunTransport.timeoutMillis(timeout));
      return ProbeAnswer.of("connected");
    } catch (SocketTimeoutException e) {
      throw new ProbeFailure("no TCP connection within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new ProbeFailure("TCP connect failed: " + e.getMessage());
    }
  }
}
