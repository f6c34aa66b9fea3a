package dev.hotpath.shared.turn.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The XOR-MAPPED-ADDRESS attribute (RFC 5389 §15.2): the client's address as the server saw it.
 * TURN's XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS share its encoding (RFC 8656 §18.3, §18.5).
 */
public final class XorMappedAddress {
  private static final int FAMILY_IPV4 = 0x01;
  private static final int FAMILY_IPV6 = 0x02;

  /** Decodes the attribute of a message; the transaction id is part of the IPv6 XOR mask. */
  public static InetSocketAddress decode(StunAttribute attribute, byte[] transactionId)
      throws StunFormatException {
    byte[] v = attribute.value();
    if (v.length < 8) {
      throw new StunFormatException("XOR-MAPPED-ADDRESS shorter than 8 bytes");
    }
    int family = v[1] & 0xFF;
    int port = ((v[2] & 0xFF) << 8 | (v[3] & 0xFF)) ^ (StunMessage.MAGIC_COOKIE >>> 16);
    byte[] mask = mask(transactionId);
    int addressLength;
    if (family == FAMILY_IPV4) {
      addressLength = 4;
    } else if (family == FAMILY_IPV6) {
      addressLength = 16;
    } else {
      throw new StunFormatException("XOR-MAPPED-ADDRESS has unknown family " + family);
    }
    if (v.length != 4 + addressLength) {
      throw new StunFormatException(
          "XOR-MAPPED-ADDRESS length " + v.length + " does not fit its family");
    }
    byte[] address = new byte[addressLength];
    for (int i = 0; i < addressLength; i++) {
      address[i] = (byte) (v[4 + i] ^ mask[i]);
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(address), port);
    } catch (UnknownHostException e) {
      throw new StunFormatException("XOR-MAPPED-ADDRESS holds no address: " + e.getMessage());
    }
  }

  /**
   * Encodes {@code address} as the attribute a server would send in reply to {@code transactionId}.
   */
  public static StunAttribute encode(InetSocketAddress address, byte[] transactionId) {
    return encode(StunAttribute.XOR_MAPPED_ADDRESS, address, transactionId);
  }

  /**
   * Encodes {@code address} as an attribute of {@code type} with this encoding (e.g.
   * XOR-PEER-ADDRESS).
   */
  public static StunAttribute encode(int type, InetSocketAddress address, byte[] transactionId) {
    byte[] raw = address.getAddress().getAddress();
    byte[] mask = mask(transactionId);
    ByteBuffer v = ByteBuffer.allocate(4 + raw.length);
    v.put((byte) 0).put((byte) (raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6));
    v.putShort((short) (address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16)));
    for (int i = 0; i < raw.length; i++) {
      v.put((byte) (raw[i] ^ mask[i]));
    }
    return new StunAttribute(type, v.array());
  }

  /** The magic cookie followed by the transaction id: the XOR mask for up to 16 address bytes. */
  private static byte[] mask(byte[] transactionId) {
    return ByteBuffer.allocate(16).putInt(StunMessage.MAGIC_COOKIE).put(transactionId).array();
  }

  private XorMappedAddress() {}
}
