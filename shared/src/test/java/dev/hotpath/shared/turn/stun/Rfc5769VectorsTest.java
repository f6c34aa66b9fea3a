package dev.hotpath.shared.turn.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The sample messages of RFC 5769 ("Test Vectors for STUN"), decoded and verified by our codec. */
class Rfc5769VectorsTest {
  private static final String SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

  /** RFC 5769 §2.1: Binding request with SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME. */
  static final byte[] SAMPLE_REQUEST =
      hex(
          "00010058 2112a442 b7e7a701 bc34d686 fa87dfae"
              + " 80220010 5354554e 20746573 7420636c 69656e74"
              + " 00240004 6e0001ff"
              + " 80290008 932ff9b1 51263b36"
              + " 00060009 6576746a 3a683676 59202020"
              + " 00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2"
              + " 80280004 e57a3bcf");

  /** RFC 5769 §2.2: Binding success response, XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
  static final byte[] SAMPLE_IPV4_RESPONSE =
      hex(
          "0101003c 2112a442 b7e7a701 bc34d686 fa87dfae"
              + " 8022000b 74657374 20766563 746f7220"
              + " 00200008 0001a147 e112a643"
              + " 00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7"
              + " 80280004 c07d4c96");

  /**
   * RFC 5769 §2.3: Binding success response, XOR-MAPPED-ADDRESS
   * [2001:db8:1234:5678:11:2233:4455:6677]:32853.
   */
  static final byte[] SAMPLE_IPV6_RESPONSE =
      hex(
          "01010048 2112a442 b7e7a701 bc34d686 fa87dfae"
              + " 8022000b 74657374 20766563 746f7220"
              + " 00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"
              + " 00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41"
              + " 80280004 c8fb0b4c");

  /**
   * RFC 5769 §2.4: request with long-term credentials (USERNAME, NONCE, REALM, MESSAGE-INTEGRITY).
   */
  static final byte[] SAMPLE_LONG_TERM_REQUEST =
      hex(
          "00010060 2112a442 78ad3433 c6ad72c0 29da412e"
              + " 00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000"
              + " 0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341"
              + " 0014000b 6578616d 706c652e 6f726700"
              + " 00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666");

  @Test
  void sampleRequestDecodesAndVerifies() throws Exception {
    StunMessage m = StunCodec.decode(SAMPLE_REQUEST);
    assertEquals(StunMessage.METHOD_BINDING, m.method());
    assertEquals(StunMessage.MessageClass.REQUEST, m.messageClass());
    assertArrayEquals(hex("b7e7a701 bc34d686 fa87dfae"), m.transactionId());
    assertEquals("STUN test client", m.attribute(StunAttribute.SOFTWARE).orElseThrow().asText());
    assertEquals("evtj:h6vY", m.attribute(StunAttribute.USERNAME).orElseThrow().asText());
    assertEquals(6, m.attributes().size());
    assertTrue(
        StunCodec.hasValidIntegrity(
            SAMPLE_REQUEST, StunCredentials.shortTermKey(SHORT_TERM_PASSWORD)));
    assertTrue(StunCodec.hasValidFingerprint(SAMPLE_REQUEST));
  }

  @Test
  void ipv4ResponseYieldsTheMappedAddress() throws Exception {
    StunMessage m = StunCodec.decode(SAMPLE_IPV4_RESPONSE);
    assertEquals(StunMessage.MessageClass.SUCCESS_RESPONSE, m.messageClass());
    assertEquals("test vector", m.attribute(StunAttribute.SOFTWARE).orElseThrow().asText());
    InetSocketAddress mapped =
        XorMappedAddress.decode(
            m.attribute(StunAttribute.XOR_MAPPED_ADDRESS).orElseThrow(), m.transactionId());
    assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), mapped);
    assertTrue(
        StunCodec.hasValidIntegrity(
            SAMPLE_IPV4_RESPONSE, StunCredentials.shortTermKey(SHORT_TERM_PASSWORD)));
    assertTrue(StunCodec.hasValidFingerprint(SAMPLE_IPV4_RESPONSE));
  }

  @Test
  void ipv6ResponseYieldsTheMappedAddress() throws Exception {
    StunMessage m = StunCodec.decode(SAMPLE_IPV6_RESPONSE);
    InetSocketAddress mapped =
        XorMappedAddress.decode(
            m.attribute(StunAttribute.XOR_MAPPED_ADDRESS).orElseThrow(), m.transactionId());
    assertEquals(
        new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
        mapped);
    assertTrue(
        StunCodec.hasValidIntegrity(
            SAMPLE_IPV6_RESPONSE, StunCredentials.shortTermKey(SHORT_TERM_PASSWORD)));
    assertTrue(StunCodec.hasValidFingerprint(SAMPLE_IPV6_RESPONSE));
  }

  @Test
  void longTermRequestVerifiesWithTheMd5Key() throws Exception {
    StunMessage m = StunCodec.decode(SAMPLE_LONG_TERM_REQUEST);
    String username = "\u30de\u30c8\u30ea\u30c3\u30af\u30b9";
    assertEquals(username, m.attribute(StunAttribute.USERNAME).orElseThrow().asText());
    assertEquals(
        "f//499k954d6OL34oL9FSTvy64sA", m.attribute(StunAttribute.NONCE).orElseThrow().asText());
    assertEquals("example.org", m.attribute(StunAttribute.REALM).orElseThrow().asText());
    // RFC 5769 gives the password as "The<U+00AD>M<U+00AA>tr<U+2168>"; SASLprep makes it
    // "TheMatrIX".
    byte[] key = StunCredentials.longTermKey(username, "example.org", "TheMatrIX");
    assertTrue(StunCodec.hasValidIntegrity(SAMPLE_LONG_TERM_REQUEST, key));
    assertFalse(
        StunCodec.hasValidFingerprint(SAMPLE_LONG_TERM_REQUEST), "this vector has no FINGERPRINT");
  }

  @Test
  void aWrongKeyOrAFlippedBitFailsVerification() throws Exception {
    assertFalse(StunCodec.hasValidIntegrity(SAMPLE_REQUEST, StunCredentials.shortTermKey("wrong")));
    byte[] tampered = SAMPLE_IPV4_RESPONSE.clone();
    tampered[30] ^= 0x01; // inside the XOR-MAPPED-ADDRESS value
    assertFalse(StunCodec.hasValidFingerprint(tampered));
    assertFalse(
        StunCodec.hasValidIntegrity(tampered, StunCredentials.shortTermKey(SHORT_TERM_PASSWORD)));
  }

  @Test
  void reEncodedVectorsCarryValidIntegrityAndFingerprint() throws Exception {
    // The vectors pad with spaces, which MESSAGE-INTEGRITY covers; we pad with zeros (RFC 8489),
    // so the re-encoded bytes differ while the attributes and both checks must hold.
    byte[] key = StunCredentials.shortTermKey(SHORT_TERM_PASSWORD);
    for (byte[] vector :
        new byte[][] {SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE}) {
      byte[] again = reEncode(vector, key, true);
      assertEquals(vector.length, again.length);
      assertEquals(
          StunCodec.decode(vector)
              .attributes()
              .subList(0, StunCodec.decode(vector).attributes().size() - 2),
          StunCodec.decode(again)
              .attributes()
              .subList(0, StunCodec.decode(again).attributes().size() - 2));
      assertTrue(StunCodec.hasValidIntegrity(again, key));
      assertTrue(StunCodec.hasValidFingerprint(again));
    }
  }

  @Test
  void xorMappedAddressRoundTrips() throws Exception {
    byte[] tid = StunMessage.randomTransactionId();
    for (String host : new String[] {"127.0.0.1", "::1"}) {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), 54321);
      assertEquals(address, XorMappedAddress.decode(XorMappedAddress.encode(address, tid), tid));
    }
  }

  @Test
  void malformedInputIsRejected() {
    assertThrows(StunFormatException.class, () -> StunCodec.decode(new byte[10]));
    byte[] noCookie = SAMPLE_REQUEST.clone();
    noCookie[4] = 0;
    assertThrows(StunFormatException.class, () -> StunCodec.decode(noCookie));
    byte[] tooLong = SAMPLE_REQUEST.clone();
    tooLong[3] = (byte) 0x5c; // claims 4 bytes more than were received
    assertThrows(StunFormatException.class, () -> StunCodec.decode(tooLong));
    byte[] overrun = hex("00010008 2112a442 000000000000000000000000 80220010 41424344");
    assertThrows(StunFormatException.class, () -> StunCodec.decode(overrun));
  }

  /**
   * Decodes a vector, drops its MESSAGE-INTEGRITY and FINGERPRINT, and encodes it again with both.
   */
  private static byte[] reEncode(byte[] vector, byte[] key, boolean fingerprint) throws Exception {
    StunMessage decoded = StunCodec.decode(vector);
    StunMessage.Builder b =
        StunMessage.builder(decoded.method(), decoded.messageClass())
            .transactionId(decoded.transactionId());
    decoded.attributes().stream()
        .filter(
            a ->
                a.type() != StunAttribute.MESSAGE_INTEGRITY
                    && a.type() != StunAttribute.FINGERPRINT)
        .forEach(b::attribute);
    return StunCodec.encode(b.build(), key, fingerprint);
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }
}
