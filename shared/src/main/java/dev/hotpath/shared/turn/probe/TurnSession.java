package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.ErrorCode;
import dev.hotpath.shared.turn.stun.StunAttribute;
import dev.hotpath.shared.turn.stun.StunCodec;
import dev.hotpath.shared.turn.stun.StunCredentials;
import dev.hotpath.shared.turn.stun.StunFormatException;
import dev.hotpath.shared.turn.stun.StunMessage;
import dev.hotpath.shared.turn.stun.XorMappedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A TURN client (RFC 8656) on one control channel, UDP or TCP, relaying UDP; enough to prove a
 * server relays: Allocate with long-term credentials (answering the 401 challenge and a 438 stale
 * nonce), CreatePermission, Send indications out and Data indications in, and Refresh with lifetime
 * 0 to free the allocation. Errors the server answers carry their code in {@link
 * ProbeFailure#facts()}.
 */
public final class TurnSession implements AutoCloseable {
  static final int UNAUTHORIZED = 401;
  private static final int STALE_NONCE = 438;

  /** REQUESTED-TRANSPORT: protocol 17 (UDP) followed by three reserved bytes. */
  private static final byte[] UDP_TRANSPORT = {17, 0, 0, 0};

  private final TurnChannel channel;
  private final TurnCredentials credentials;
  private String realm;
  private byte[] nonce;
  private byte[] key;

  private TurnSession(TurnChannel channel, TurnCredentials credentials) {
    this.channel = channel;
    this.credentials = credentials;
  }

  /** A session whose control messages go over UDP, retransmitted on {@code schedule}. */
  public static TurnSession open(
      InetSocketAddress server, TurnCredentials credentials, UdpRetransmission schedule)
      throws ProbeFailure {
    return new TurnSession(UdpTurnChannel.open(server, schedule), credentials);
  }

  /**
   * A session whose control messages go over one TCP connection, opened within {@code timeout}; it
   * still relays UDP.
   */
  public static TurnSession openTcp(
      InetSocketAddress server, TurnCredentials credentials, Duration timeout) throws ProbeFailure {
    return new TurnSession(TcpTurnChannel.open(server, timeout), credentials);
  }

  /** Allocates a UDP relay with the credentials; returns the relayed transport address. */
  public InetSocketAddress allocate(Duration timeout) throws ProbeFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    StunMessage unauthenticated =
        StunMessage.builder(StunMessage.METHOD_ALLOCATE, StunMessage.MessageClass.REQUEST)
            .attribute(requestedTransport())
            .build();
    StunMessage challenge = channel.exchange(unauthenticated, null, timeout);
    StunMessage response = challenge;
    if (challenge.messageClass() == StunMessage.MessageClass.ERROR_RESPONSE) {
      if (errorCode(challenge) != UNAUTHORIZED) {
        throw failure("Allocate", challenge);
      }
      learnChallenge(challenge);
      response =
          authenticated(
              StunMessage.METHOD_ALLOCATE,
              id -> List.of(requestedTransport()),
              remaining(deadline));
    }
    StunAttribute relayed =
        response
            .attribute(StunAttribute.XOR_RELAYED_ADDRESS)
            .orElseThrow(() -> new ProbeFailure("Allocate success without XOR-RELAYED-ADDRESS"));
    return decodeAddress(relayed, response);
  }

  /** Lets {@code peer}'s IP address send to the relay (RFC 8656 §9). */
  public void createPermission(InetSocketAddress peer, Duration timeout) throws ProbeFailure {
    authenticated(
        StunMessage.METHOD_CREATE_PERMISSION,
        id -> List.of(XorMappedAddress.encode(StunAttribute.XOR_PEER_ADDRESS, peer, id)),
        timeout);
  }

  /** A Send indication: the relay sends {@code data} to {@code peer} from the relayed address. */
  public void send(InetSocketAddress peer, byte[] data) throws ProbeFailure {
    byte[] transactionId = StunMessage.randomTransactionId();
    StunMessage indication =
        StunMessage.builder(StunMessage.METHOD_SEND, StunMessage.MessageClass.INDICATION)
            .transactionId(transactionId)
            .attribute(XorMappedAddress.encode(StunAttribute.XOR_PEER_ADDRESS, peer, transactionId))
            .attribute(new StunAttribute(StunAttribute.DATA, data))
            .build();
    channel.send(StunCodec.encode(indication, null, true));
  }

  /**
   * Waits for a Data indication from {@code peer} carrying exactly {@code expected}; false at the
   * timeout.
   */
  public boolean awaitData(InetSocketAddress peer, byte[] expected, Duration timeout)
      throws ProbeFailure {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // Never "out of time" here: bytes that did not arrive in time are lost, not a dead server.
      long left = deadline - System.nanoTime();
      Optional<byte[]> message =
          left > 0 ? channel.receive(Duration.ofNanos(left)) : Optional.empty();
      if (message.isEmpty()) {
        return false;
      }
      Optional<byte[]> data = dataFrom(message.get(), message.get().length, peer);
      if (data.isPresent() && Arrays.equals(data.get(), expected)) {
        return true;
      }
    }
  }

  /** Refresh with LIFETIME 0: the server frees the allocation and its relay port now. */
  public void release(Duration timeout) throws ProbeFailure {
    authenticated(
        StunMessage.METHOD_REFRESH,
        id -> List.of(new StunAttribute(StunAttribute.LIFETIME, new byte[4])),
        timeout);
  }

  @Override
  public void close() {
    channel.close();
  }

  private static StunAttribute requestedTransport() {
    return new StunAttribute(StunAttribute.REQUESTED_TRANSPORT, UDP_TRANSPORT);
  }

  /**
   * Sends a request with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY; a 438 (stale nonce) is
   * answered once with the new nonce (RFC 8656 §9.2.4). Returns the success response.
   */
  private StunMessage authenticated(
      int method, Function<byte[], List<StunAttribute>> attributes, Duration timeout)
      throws ProbeFailure {
    if (key == null) {
      throw new IllegalStateException("authenticated request before the server's challenge");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int tries = 0; ; tries++) {
      byte[] transactionId = StunMessage.randomTransactionId();
      StunMessage.Builder request =
          StunMessage.builder(method, StunMessage.MessageClass.REQUEST)
              .transactionId(transactionId);
      attributes.apply(transactionId).forEach(request::attribute);
      request
          .attribute(StunAttribute.text(StunAttribute.USERNAME, credentials.username()))
          .attribute(StunAttribute.text(StunAttribute.REALM, realm))
          .attribute(new StunAttribute(StunAttribute.NONCE, nonce));
      StunMessage response = channel.exchange(request.build(), key, remaining(deadline));
      if (response.messageClass() == StunMessage.MessageClass.SUCCESS_RESPONSE) {
        return response;
      }
      int code = errorCode(response);
      if (code == STALE_NONCE && tries == 0) {
        learnChallenge(response);
        continue;
      }
      if (code == UNAUTHORIZED) {
        throw new ProbeFailure(
            "credentials of user "
                + credentials.username()
                + " rejected: "
                + methodName(method)
                + " answered "
                + BindingResponses.describe(response)
                + "; check "
                + TurnErrorHints.forCode(UNAUTHORIZED).orElseThrow(),
            ProbeFacts.stunError(code));
      }
      throw failure(methodName(method), response);
    }
  }

  private void learnChallenge(StunMessage challenge) throws ProbeFailure {
    realm =
        challenge
            .attribute(StunAttribute.REALM)
            .orElseThrow(() -> new ProbeFailure(errorCode(challenge) + " without REALM"))
            .asText();
    nonce =
        challenge
            .attribute(StunAttribute.NONCE)
            .orElseThrow(() -> new ProbeFailure(errorCode(challenge) + " without NONCE"))
            .value();
    key = StunCredentials.longTermKey(credentials.username(), realm, credentials.password());
  }

  private Optional<byte[]> dataFrom(byte[] buffer, int length, InetSocketAddress peer) {
    try {
      StunMessage m = StunCodec.decode(buffer, length);
      if (m.method() != StunMessage.METHOD_DATA
          || m.messageClass() != StunMessage.MessageClass.INDICATION) {
        return Optional.empty();
      }
      Optional<StunAttribute> from = m.attribute(StunAttribute.XOR_PEER_ADDRESS);
      Optional<StunAttribute> data = m.attribute(StunAttribute.DATA);
      if (from.isEmpty()
          || data.isEmpty()
          || !XorMappedAddress.decode(from.get(), m.transactionId()).equals(peer)) {
        return Optional.empty();
      }
      return Optional.of(data.get().value());
    } catch (StunFormatException e) {
      return Optional.empty(); // not a STUN message: not ours
    }
  }

  private static InetSocketAddress decodeAddress(StunAttribute attribute, StunMessage m)
      throws ProbeFailure {
    try {
      return XorMappedAddress.decode(attribute, m.transactionId());
    } catch (StunFormatException e) {
      throw new ProbeFailure("undecodable address: " + e.getMessage());
    }
  }

  /** The error code of an error response; 0 when it has none or it cannot be read. */
  static int errorCode(StunMessage response) {
    if (response.messageClass() != StunMessage.MessageClass.ERROR_RESPONSE) {
      return 0;
    }
    return response
        .attribute(StunAttribute.ERROR_CODE)
        .map(
            a -> {
              try {
                return ErrorCode.decode(a).code();
              } catch (StunFormatException e) {
                return 0;
              }
            })
        .orElse(0);
  }

  private static ProbeFailure failure(String request, StunMessage response) {
    int code = errorCode(response);
    String what = request + " answered " + BindingResponses.describe(response);
    return code == 0
        ? new ProbeFailure(what)
        : new ProbeFailure(withHint(what, code), ProbeFacts.stunError(code));
  }

  /** The alert carries what to check: the server answered, so a restart will not change it. */
  static String withHint(String what, int code) {
    return TurnErrorHints.forCode(code).map(hint -> what + "; check " + hint).orElse(what);
  }

  private static String methodName(int method) {
    return switch (method) {
      case StunMessage.METHOD_ALLOCATE -> "Allocate";
      case StunMessage.METHOD_CREATE_PERMISSION -> "CreatePermission";
      case StunMessage.METHOD_REFRESH -> "Refresh";
      default -> String.format("method 0x%03x", method);
    };
  }

  private static Duration remaining(long deadlineNanos) throws ProbeFailure {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new ProbeFailure("out of time");
    }
    return Duration.ofNanos(left);
  }
}
