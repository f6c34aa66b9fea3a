package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.ErrorCode;
import dev.hotpath.shared.turn.stun.StunAttribute;
import dev.hotpath.shared.turn.stun.StunFormatException;
import dev.hotpath.shared.turn.stun.StunMessage;
import java.time.Duration;

/**
 * {@code turn-udp}: an unauthenticated Allocate request (RFC 5766 §6.1). A TURN server that is up
 * and enforcing long-term credentials answers 401 with REALM and NONCE, which proves its TURN logic
 * runs without us holding any credential; a success response (an open server) also counts.
 */
public final class TurnUdpProbe implements Probe {
  private static final int UNAUTHORIZED = 401;

  /** REQUESTED-TRANSPORT: protocol 17 (UDP) followed by three reserved bytes. */
  private static final byte[] UDP_TRANSPORT = {17, 0, 0, 0};

  private final String host;
  private final int port;
  private final UdpRetransmission schedule;

  public TurnUdpProbe(String host, int port, UdpRetransmission schedule) {
    this.host = host;
    this.port = port;
    this.schedule = schedule;
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.TURN_UDP;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    StunMessage request =
        StunMessage.builder(StunMessage.METHOD_ALLOCATE, StunMessage.MessageClass.REQUEST)
            .attribute(new StunAttribute(StunAttribute.REQUESTED_TRANSPORT, UDP_TRANSPORT))
            .build();
    StunMessage response =
        StunTransport.exchangeUdp(Endpoints.resolve(host, port), request, schedule, timeout);
    if (response.method() != StunMessage.METHOD_ALLOCATE) {
      throw new ProbeFailure(
          "expected an Allocate response, got " + BindingResponses.describe(response));
    }
    if (response.messageClass() == StunMessage.MessageClass.SUCCESS_RESPONSE) {
      return ProbeAnswer.of("allocation granted without credentials");
    }
    StunAttribute error =
        response
            .attribute(StunAttribute.ERROR_CODE)
            .orElseThrow(() -> new ProbeFailure("Allocate error response without ERROR-CODE"));
    try {
      ErrorCode code = ErrorCode.decode(error);
      if (code.code() != UNAUTHORIZED) {
        throw new ProbeFailure("Allocate answered " + code);
      }
    } catch (StunFormatException e) {
      throw new ProbeFailure("undecodable ERROR-CODE: " + e.getMessage());
    }
    String realm =
        response
            .attribute(StunAttribute.REALM)
            .orElseThrow(() -> new ProbeFailure("401 without REALM"))
            .asText();
    response
        .attribute(StunAttribute.NONCE)
        .orElseThrow(() -> new ProbeFailure("401 without NONCE"));
    return ProbeAnswer.of("401 challenge from realm " + realm);
  }
}
