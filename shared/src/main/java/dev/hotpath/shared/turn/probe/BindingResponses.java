package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.ErrorCode;
import dev.hotpath.shared.turn.stun.StunAttribute;
import dev.hotpath.shared.turn.stun.StunFormatException;
import dev.hotpath.shared.turn.stun.StunMessage;
import dev.hotpath.shared.turn.stun.XorMappedAddress;
import java.net.InetSocketAddress;

/** What counts as a healthy answer to a Binding request (shared by the UDP and TCP probes). */
final class BindingResponses {

  static StunMessage bindingRequest() {
    return StunMessage.builder(StunMessage.METHOD_BINDING, StunMessage.MessageClass.REQUEST)
        .build();
  }

  /** Accepts a Binding success response with a decodable XOR-MAPPED-ADDRESS; describes it. */
  static ProbeAnswer accept(StunMessage response) throws ProbeFailure {
    return ProbeAnswer.of("mapped " + mappedAddress(response));
  }

  /** The XOR-MAPPED-ADDRESS of a Binding success response. */
  static InetSocketAddress mappedAddress(StunMessage response) throws ProbeFailure {
    if (response.method() != StunMessage.METHOD_BINDING
        || response.messageClass() != StunMessage.MessageClass.SUCCESS_RESPONSE) {
      throw new ProbeFailure("expected a Binding success response, got " + describe(response));
    }
    StunAttribute mapped =
        response
            .attribute(StunAttribute.XOR_MAPPED_ADDRESS)
            .orElseThrow(
                () -> new ProbeFailure("Binding success response without XOR-MAPPED-ADDRESS"));
    try {
      return XorMappedAddress.decode(mapped, response.transactionId());
    } catch (StunFormatException e) {
      throw new ProbeFailure("undecodable XOR-MAPPED-ADDRESS: " + e.getMessage());
    }
  }

  static String describe(StunMessage m) {
    String error =
        m.attribute(StunAttribute.ERROR_CODE)
            .map(
                a -> {
                  try {
                    return " " + ErrorCode.decode(a);
                  } catch (StunFormatException e) {
                    return " (bad ERROR-CODE)";
                  }
                })
            .orElse("");
    return String.format("method 0x%03x %s%s", m.method(), m.messageClass(), error);
  }

  private BindingResponses() {}
}
