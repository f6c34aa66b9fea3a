package dev.hotpath.shared.turn.stun;

import java.nio.charset.StandardCharsets;

/** The ERROR-CODE attribute (RFC 5389 §15.6): a three-digit code and a reason phrase. */
public record ErrorCode(int code, String reason) {
  public static ErrorCode decode(StunAttribute attribute) throws StunFormatException {
    byte[] v = attribute.value();
    if (v.length < 4) {
      throw new StunFormatException("ERROR-CODE shorter than 4 bytes");
    }
    int code = (v[2] & 0x07) * 100 + (v[3] & 0xFF);
    return new ErrorCode(code, new String(v, 4, v.length - 4, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return code + " " + reason;
  }
}
