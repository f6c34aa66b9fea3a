package dev.hotpath.shared.turn.stun;

/** Bytes that are not a well-formed STUN message, or an attribute that cannot be decoded. */
public final class StunFormatException extends Exception {
  public StunFormatException(String message) {
    super(message);
  }
}
