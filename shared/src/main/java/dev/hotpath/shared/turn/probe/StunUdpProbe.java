package dev.hotpath.shared.turn.probe;

import java.net.InetSocketAddress;
import java.time.Duration;

/** {@code stun-udp}: a Binding request over UDP with RFC 5389 retransmissions. */
public final class StunUdpProbe implements Probe {
  private final String host;
  private final int port;
  private final UdpRetransmission schedule;

  public StunUdpProbe(String host, int port, UdpRetransmission schedule) {
    this.host = host;
    this.port = port;
    this.schedule = schedule;
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.STUN_UDP;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    InetSocketAddress server = Endpoints.resolve(host, port);
    return BindingResponses.accept(
        StunTransport.exchangeUdp(server, BindingResponses.bindingRequest(), schedule, timeout));
  }
}
