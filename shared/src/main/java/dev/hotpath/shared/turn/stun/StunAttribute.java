package dev.hotpath.shared.turn.stun;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One STUN attribute: its 16-bit type and its value without padding (RFC 5389 §15). */
public final class StunAttribute {
  public static final int MAPPED_ADDRESS = 0x0001;
  public static final int USERNAME = 0x0006;
  public static final int MESSAGE_INTEGRITY = 0x0008;
  public static final int ERROR_CODE = 0x0009;

  /** TURN (RFC 8656 §18): the allocation's lifetime in seconds; 0 in a Refresh deletes it. */
  public static final int LIFETIME = 0x000D;

  public static final int XOR_PEER_ADDRESS = 0x0012;
  public static final int DATA = 0x0013;
  public static final int REALM = 0x0014;
  public static final int NONCE = 0x0015;
  public static final int XOR_RELAYED_ADDRESS = 0x0016;
  public static final int REQUESTED_TRANSPORT = 0x0019;
  public static final int XOR_MAPPED_ADDRESS = 0x0020;
  public static final int SOFTWARE = 0x8022;
  public static final int FINGERPRINT = 0x8028;

  private final int type;
  private final byte[] value;

  public StunAttribute(int type, byte[] value) {
    if (type < 0 || type > 0xFFFF) {
      throw new IllegalArgumentException("attribute type out of range: " + type);
    }
    if (value.length > 0xFFFF) {
      throw new IllegalArgumentException("attribute value too long: " + value.length);
    }
    this.type = type;
    this.value = value.clone();
  }

  public static StunAttribute text(int type, String value) {
    return new StunAttribute(type, value.getBytes(StandardCharsets.UTF_8));
  }

  public int type() {
    return type;
  }

  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  public String asText() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StunAttribute
        && ((StunAttribute) o).type == type
        && Arrays.equals(((StunAttribute) o).value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return String.format("0x%04x(%d bytes)", type, value.length);
  }
}
