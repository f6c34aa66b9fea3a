package dev.hotpath.shared.turn.stun;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * STUN wire format (RFC 5389 §6, §15): encodes messages, decodes them, and checks the
 * MESSAGE-INTEGRITY and FINGERPRINT attributes over the raw bytes they were computed on.
 */
public final class StunCodec {
  private static final int FINGERPRINT_XOR = 0x5354554E;
  private static final int INTEGRITY_LENGTH = 20;
  private static final int ATTRIBUTE_HEADER = 4;

  /** Encodes {@code message} without MESSAGE-INTEGRITY or FINGERPRINT. */
  public static byte[] encode(StunMessage message) {
    return encode(message, null, false);
  }

  /**
   * Encodes {@code message}, then appends MESSAGE-INTEGRITY computed with {@code integrityKey}
   * (skipped when null) and a FINGERPRINT when asked, in the order RFC 5389 §15.4–15.5 require.
   */
  public static byte[] encode(StunMessage message, byte[] integrityKey, boolean fingerprint) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeHeader(out, message, 0);
    for (StunAttribute a : message.attributes()) {
      writeAttribute(out, a.type(), a.value());
    }
    byte[] bytes = out.toByteArray();
    if (integrityKey != null) {
      byte[] hmac =
          hmacSha1(
              integrityKey, withLength(bytes, bytes.length + ATTRIBUTE_HEADER + INTEGRITY_LENGTH));
      bytes = append(bytes, StunAttribute.MESSAGE_INTEGRITY, hmac);
    }
    if (fingerprint) {
      byte[] crc = ByteBuffer.allocate(4).putInt(crc(withLength(bytes, bytes.length + 8))).array();
      bytes = append(bytes, StunAttribute.FINGERPRINT, crc);
    }
    return withLength(bytes, bytes.length);
  }

  /** The total length of the message whose 20-byte header is given, as a stream reader needs. */
  public static int totalLength(byte[] header) throws StunFormatException {
    if (header.length < StunMessage.HEADER_LENGTH) {
      throw new StunFormatException("header needs 20 bytes, got " + header.length);
    }
    checkHeader(ByteBuffer.wrap(header), Integer.MAX_VALUE);
    return StunMessage.HEADER_LENGTH + (((header[2] & 0xFF) << 8) | (header[3] & 0xFF));
  }

  public static StunMessage decode(byte[] bytes) throws StunFormatException {
    return decode(bytes, bytes.length);
  }

  /** Decodes the first {@code length} bytes of {@code bytes} as exactly one STUN message. */
  public static StunMessage decode(byte[] bytes, int length) throws StunFormatException {
    ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
    int bodyLength = checkHeader(buf, length);
    int type = buf.getShort(0) & 0xFFFF;
    byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_LENGTH];
    buf.position(8);
    buf.get(transactionId);
    StunMessage.Builder builder = StunMessage.fromMessageType(type).transactionId(transactionId);
    int end = StunMessage.HEADER_LENGTH + bodyLength;
    while (buf.position() < end) {
      if (end - buf.position() < ATTRIBUTE_HEADER) {
        throw new StunFormatException("truncated attribute header at " + buf.position());
      }
      int attrType = buf.getShort() & 0xFFFF;
      int attrLength = buf.getShort() & 0xFFFF;
      if (buf.position() + attrLength > end) {
        throw new StunFormatException(
            String.format("attribute 0x%04x overruns the message", attrType));
      }
      byte[] value = new byte[attrLength];
      buf.get(value);
      buf.position(Math.min(end, buf.position() + padding(attrLength)));
      builder.attribute(new StunAttribute(attrType, value));
    }
    return builder.build();
  }

  /** True when the raw message carries a FINGERPRINT that matches its bytes. */
  public static boolean hasValidFingerprint(byte[] raw) throws StunFormatException {
    int offset = attributeOffset(raw, StunAttribute.FINGERPRINT);
    if (offset < 0) {
      return false;
    }
    int expected = crc(withLength(slice(raw, offset), offset + ATTRIBUTE_HEADER + 4));
    return ByteBuffer.wrap(raw, offset + ATTRIBUTE_HEADER, 4).getInt() == expected;
  }

  /** True when the raw message carries a MESSAGE-INTEGRITY that {@code key} reproduces. */
  public static boolean hasValidIntegrity(byte[] raw, byte[] key) throws StunFormatException {
    int offset = attributeOffset(raw, StunAttribute.MESSAGE_INTEGRITY);
    if (offset < 0) {
      return false;
    }
    byte[] covered = withLength(slice(raw, offset), offset + ATTRIBUTE_HEADER + INTEGRITY_LENGTH);
    byte[] actual = new byte[INTEGRITY_LENGTH];
    System.arraycopy(raw, offset + ATTRIBUTE_HEADER, actual, 0, INTEGRITY_LENGTH);
    return MessageDigest.isEqual(hmacSha1(key, covered), actual);
  }

  /** Where the attribute of {@code type} starts in {@code raw} (its header), or -1. */
  private static int attributeOffset(byte[] raw, int type) throws StunFormatException {
    ByteBuffer buf = ByteBuffer.wrap(raw);
    int end = StunMessage.HEADER_LENGTH + checkHeader(buf, raw.length);
    int pos = StunMessage.HEADER_LENGTH;
    while (pos + ATTRIBUTE_HEADER <= end) {
      int attrType = buf.getShort(pos) & 0xFFFF;
      int attrLength = buf.getShort(pos + 2) & 0xFFFF;
      if (attrType == type) {
        if (pos + ATTRIBUTE_HEADER + attrLength > end) {
          throw new StunFormatException(
              String.format("attribute 0x%04x overruns the message", type));
        }
        return pos;
      }
      pos += ATTRIBUTE_HEADER + attrLength + padding(attrLength);
    }
    return -1;
  }

  /** Checks the fixed header fields; returns the body length. */
  private static int checkHeader(ByteBuffer buf, int available) throws StunFormatException {
    if (buf.limit() < StunMessage.HEADER_LENGTH) {
      throw new StunFormatException("message shorter than the 20-byte header");
    }
    int type = buf.getShort(0) & 0xFFFF;
    if ((type & 0xC000) != 0) {
      throw new StunFormatException("the two leading bits of a STUN message must be zero");
    }
    if (buf.getInt(4) != StunMessage.MAGIC_COOKIE) {
      throw new StunFormatException("missing magic cookie 0x2112A442");
    }
    int bodyLength = buf.getShort(2) & 0xFFFF;
    if (bodyLength % 4 != 0) {
      throw new StunFormatException("message length " + bodyLength + " is not a multiple of 4");
    }
    if (available != Integer.MAX_VALUE && StunMessage.HEADER_LENGTH + bodyLength > available) {
      throw new StunFormatException(
          "message length " + bodyLength + " exceeds the " + available + " bytes received");
    }
    return bodyLength;
  }

  private static void writeHeader(ByteArrayOutputStream out, StunMessage m, int bodyLength) {
    ByteBuffer header = ByteBuffer.allocate(StunMessage.HEADER_LENGTH);
    header.putShort((short) m.messageType());
    header.putShort((short) bodyLength);
    header.putInt(StunMessage.MAGIC_COOKIE);
    header.put(m.transactionId());
    out.writeBytes(header.array());
  }

  private static void writeAttribute(ByteArrayOutputStream out, int type, byte[] value) {
    ByteBuffer a = ByteBuffer.allocate(ATTRIBUTE_HEADER + value.length + padding(value.length));
    a.putShort((short) type).putShort((short) value.length).put(value);
    out.writeBytes(a.array());
  }

  private static byte[] append(byte[] message, int type, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(message);
    writeAttribute(out, type, value);
    return out.toByteArray();
  }

  /**
   * A copy of {@code bytes} whose header length field says the message ends at {@code totalLength}.
   */
  private static byte[] withLength(byte[] bytes, int totalLength) {
    byte[] copy = bytes.clone();
    int body = totalLength - StunMessage.HEADER_LENGTH;
    copy[2] = (byte) (body >> 8);
    copy[3] = (byte) body;
    return copy;
  }

  private static byte[] slice(byte[] raw, int length) {
    byte[] out = new byte[length];
    System.arraycopy(raw, 0, out, 0, length);
    return out;
  }

  static int padding(int length) {
    return (4 - length % 4) % 4;
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue() ^ FINGERPRINT_XOR;
  }

  private static byte[] hmacSha1(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }

  private StunCodec() {}
}
