package dev.hotpath.shared.turn.probe;

import java.time.Duration;

/** {@code stun-tcp}: a Binding request over a TCP connection (RFC 5389 §7.2.2). */
public final class StunTcpProbe implements Probe {
  private final String host;
  private final int port;

  public StunTcpProbe(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.STUN_TCP;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    return BindingResponses.accept(
        StunTransport.exchangeTcp(
            Endpoints.resolve(host, port), BindingResponses.bindingRequest(), timeout));
  }
}
