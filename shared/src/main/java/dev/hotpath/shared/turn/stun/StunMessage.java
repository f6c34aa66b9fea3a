package dev.hotpath.shared.turn.stun;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A decoded STUN message (RFC 5389 §6): method, class, 96-bit transaction id and the attributes in
 * wire order. Immutable; build one with {@link #builder}.
 */
public final class StunMessage {
  public static final int MAGIC_COOKIE = 0x2112A442;
  public static final int HEADER_LENGTH = 20;
  public static final int TRANSACTION_ID_LENGTH = 12;

  public static final int METHOD_BINDING = 0x001;
  public static final int METHOD_ALLOCATE = 0x003;

  /** TURN methods (RFC 8656 §17). */
  public static final int METHOD_REFRESH = 0x004;

  public static final int METHOD_SEND = 0x006;
  public static final int METHOD_DATA = 0x007;
  public static final int METHOD_CREATE_PERMISSION = 0x008;

  /** The two class bits of the message type. */
  public enum MessageClass {
    REQUEST(0b00),
    INDICATION(0b01),
    SUCCESS_RESPONSE(0b10),
    ERROR_RESPONSE(0b11);

    final int bits;

    MessageClass(int bits) {
      this.bits = bits;
    }

    static MessageClass ofBits(int bits) {
      for (MessageClass c : values()) {
        if (c.bits == bits) {
          return c;
        }
      }
      throw new IllegalArgumentException("class bits " + bits);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final int method;
  private final MessageClass messageClass;
  private final byte[] transactionId;
  private final List<StunAttribute> attributes;

  private StunMessage(Builder b) {
    this.method = b.method;
    this.messageClass = b.messageClass;
    this.transactionId = b.transactionId.clone();
    this.attributes = List.copyOf(b.attributes);
  }

  public static Builder builder(int method, MessageClass messageClass) {
    return new Builder(method, messageClass);
  }

  /** A fresh random transaction id, as RFC 5389 §6 asks ("cryptographically random"). */
  public static byte[] randomTransactionId() {
    byte[] id = new byte[TRANSACTION_ID_LENGTH];
    RANDOM.nextBytes(id);
    return id;
  }

  public int method() {
    return method;
  }

  public MessageClass messageClass() {
    return messageClass;
  }

  public byte[] transactionId() {
    return transactionId.clone();
  }

  public boolean hasTransactionId(byte[] id) {
    return Arrays.equals(transactionId, id);
  }

  public List<StunAttribute> attributes() {
    return attributes;
  }

  /** The first attribute of {@code type}; RFC 5389 §15 says later duplicates are ignored. */
  public Optional<StunAttribute> attribute(int type) {
    return attributes.stream().filter(a -> a.type() == type).findFirst();
  }

  /** The 14-bit message type field: method bits interleaved with the class bits C1 and C0. */
  int messageType() {
    int c = messageClass.bits;
    return (method & 0x000F)
        | ((method & 0x0070) << 1)
        | ((method & 0x0F80) << 2)
        | ((c & 0b01) << 4)
        | ((c & 0b10) << 7);
  }

  static StunMessage.Builder fromMessageType(int type) {
    int method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    int c = ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
    return new Builder(method, MessageClass.ofBits(c));
  }

  @Override
  public String toString() {
    return String.format(
        "StunMessage{method=0x%03x, class=%s, attributes=%s}", method, messageClass, attributes);
  }

  public static final class Builder {
    private final int method;
    private final MessageClass messageClass;
    private byte[] transactionId = randomTransactionId();
    private final List<StunAttribute> attributes = new ArrayList<>();

    private Builder(int method, MessageClass messageClass) {
      if (method < 0 || method > 0xFFF) {
        throw new IllegalArgumentException("method out of range: " + method);
      }
      this.method = method;
      this.messageClass = messageClass;
    }

    public Builder transactionId(byte[] id) {
      if (id.length != TRANSACTION_ID_LENGTH) {
        throw new IllegalArgumentException("transaction id must be 12 bytes, got " + id.length);
      }
      this.transactionId = id.clone();
      return this;
    }

    public Builder attribute(StunAttribute attribute) {
      attributes.add(attribute);
      return this;
    }

    public StunMessage build() {
      return new StunMessage(this);
    }
  }
}
