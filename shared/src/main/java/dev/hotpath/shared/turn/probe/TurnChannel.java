package dev.hotpath.shared.turn.probe;

import dev.hotpath.shared.turn.stun.StunMessage;
import java.time.Duration;
import java.util.Optional;

/**
 * The control connection of one TURN allocation: over UDP (one socket, requests retransmitted) or
 * over TCP (one connection, messages framed by their STUN length), as RFC 8656 §3.1 allows. The
 * relayed side is UDP either way.
 */
interface TurnChannel extends AutoCloseable {

  /**
   * Sends {@code request} (with MESSAGE-INTEGRITY under {@code integrityKey} when not null) and
   * returns the response with its transaction id, skipping whatever else arrives meanwhile.
   */
  StunMessage exchange(StunMessage request, byte[] integrityKey, Duration timeout)
      throws ProbeFailure;

  /** Sends an encoded message that gets no response (an indication). */
  void send(byte[] message) throws ProbeFailure;

  /** The next message from the server, encoded; empty when none arrives within {@code timeout}. */
  Optional<byte[]> receive(Duration timeout) throws ProbeFailure;

  @Override
  void close();
}
