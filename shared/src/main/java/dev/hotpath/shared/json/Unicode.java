package dev.hotpath.shared.json;

/**
 * Unpaired surrogates: the one way a Java string can hold something that is not Unicode text (and
 * so has no UTF-8 form — encoders write {@code ?} instead).
 */
public final class Unicode {
  /** The index of the first unpaired surrogate in {@code text}, or -1 if it is well-formed. */
  public static int firstUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@code text} with each unpaired surrogate written as the six-character JSON escape (backslash,
   * u, four hex digits): for JSON output that is the escape JSON itself uses, so the text stays
   * valid UTF-8 and says exactly what it held.
   */
  public static String escapeUnpairedSurrogates(String text) {
    if (firstUnpairedSurrogate(text) < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private Unicode() {}
}
