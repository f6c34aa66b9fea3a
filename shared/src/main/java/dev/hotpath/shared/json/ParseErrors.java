package dev.hotpath.shared.json;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gson's parse errors in our words. Its messages address the programmer using Gson ("Use
 * JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", a link to its
 * troubleshooting guide, its JSONPath): a caller of our API sent the JSON and gets what is wrong
 * with it and where, nothing of the library. Only the line and column are taken from Gson's text.
 */
final class ParseErrors {
  /** Gson's message prefix → what it means for the sender; the first match wins. */
  private static final List<Map.Entry<String, String>> REASONS =
      List.of(
          Map.entry(
              "Use JsonReader.setStrictness",
              "not strict JSON (RFC 8259): names and strings take double quotes, and single"
                  + " quotes, comments, bare words and data after the object are refused"),
          Map.entry("Unterminated string", "a string is not closed"),
          Map.entry("Unterminated escape", "a string is not closed"),
          Map.entry("Unterminated", "the body ends before the JSON does"),
          Map.entry("End of input", "the body ends before the JSON does"),
          Map.entry("Expected name", "a member name in double quotes is expected"),
          Map.entry("Expected ':'", "':' is expected after a member name"),
          Map.entry("Expected value", "a JSON value is expected"),
          Map.entry("Unexpected value", "a JSON value is not expected here"),
          Map.entry("Invalid escape", "a string holds an invalid escape sequence"),
          Map.entry("Malformed Unicode escape", "a string holds an invalid escape sequence"),
          Map.entry("Expected ", "unexpected JSON structure"));

  private static final Pattern POSITION = Pattern.compile(" at line (\\d+) column (\\d+)");

  static String describe(Exception gsonError) {
    String message = String.valueOf(gsonError.getMessage());
    String reason =
        gsonError instanceof NumberFormatException
            ? "a number is not valid JSON"
            : REASONS.stream()
                .filter(r -> message.startsWith(r.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("not valid JSON");
    Matcher at = POSITION.matcher(message);
    return at.find() ? reason + " (line " + at.group(1) + ", column " + at.group(2) + ")" : reason;
  }

  private ParseErrors() {}
}
