package dev.hotpath.shared.json;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.hotpath.shared.validation.InvalidInputException;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;

/**
 * Parses request bodies as RFC 8259 JSON and nothing more lenient: no comments, unquoted names,
 * single quotes or trailing data, and no duplicate member names (Gson's own tree reader silently
 * keeps the last one). Numbers are kept as {@link BigDecimal}, exact, so integers and decimals stay
 * apart.
 *
 * <p>Strings and member names must be well-formed Unicode: JSON's escapes (backslash-u D800) can
 * spell an unpaired surrogate, which no UTF-8 encoder (Datastore's included) can store — it would
 * come back as {@code ?}. Such a body is refused rather than stored altered.
 */
public final class StrictJson {
  /** Deeper nesting is refused; Datastore itself caps embedded entities well below this. */
  public static final int MAX_DEPTH = 32;

  /** Parses {@code text}, which must hold exactly one JSON object. */
  public static JsonObject parseObject(String text) {
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw new InvalidInputException("the request body must be a JSON object");
      }
      JsonElement value = read(reader, 0);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new InvalidInputException("malformed JSON: unexpected data after the object");
      }
      return value.getAsJsonObject();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new InvalidInputException("malformed JSON: " + ParseErrors.describe(e));
    }
  }

  private static JsonElement read(JsonReader reader, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new InvalidInputException("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        JsonObject object = new JsonObject();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = wellFormed(reader.nextName(), reader);
          if (object.has(name)) {
            throw new InvalidInputException("malformed JSON: member '" + name + "' appears twice");
          }
          object.add(name, read(reader, depth + 1));
        }
        reader.endObject();
        return object;
      }
      case BEGIN_ARRAY -> {
        JsonArray array = new JsonArray();
        reader.beginArray();
        while (reader.hasNext()) {
          array.add(read(reader, depth + 1));
        }
        reader.endArray();
        return array;
      }
      case STRING -> {
        return new JsonPrimitive(wellFormed(reader.nextString(), reader));
      }
      case NUMBER -> {
        return new JsonPrimitive(new BigDecimal(reader.nextString()));
      }
      case BOOLEAN -> {
        return new JsonPrimitive(reader.nextBoolean());
      }
      case NULL -> {
        reader.nextNull();
        return JsonNull.INSTANCE;
      }
      default -> throw new InvalidInputException("malformed JSON near " + reader.getPath());
    }
  }

  private static String wellFormed(String text, JsonReader reader) {
    int bad = Unicode.firstUnpairedSurrogate(text);
    if (bad >= 0) {
      throw new InvalidInputException(
          "malformed JSON: a string at "
              + Unicode.escapeUnpairedSurrogates(reader.getPath())
              + " holds an unpaired surrogate (U+"
              + Integer.toHexString(text.charAt(bad)).toUpperCase(java.util.Locale.ROOT)
              + "), which is not Unicode text");
    }
    return text;
  }

  /**
   * True if {@code number} was written as an integer literal (no fraction, no exponent): {@code 1}
   * is an integer, {@code 1.0} and {@code 1e0} are not.
   */
  public static boolean isIntegerLiteral(JsonPrimitive number) {
    return number.isNumber() && number.getAsString().matches("-?[0-9]+");
  }

  /**
   * The value of {@code json} if it is an integer literal (see {@link #isIntegerLiteral}), else
   * throws naming {@code what}.
   */
  public static BigDecimal integer(JsonElement json, String what) {
    if (json == null || !json.isJsonPrimitive() || !isIntegerLiteral(json.getAsJsonPrimitive())) {
      throw new InvalidInputException(what + " must be an integer, got " + json);
    }
    return json.getAsBigDecimal();
  }

  /** The string {@code json} holds, or a refusal saying {@code what} at {@code where} takes one. */
  static String string(JsonElement json, String where, String what) {
    if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isString()) {
      throw new InvalidInputException(where + ": " + what + " takes a string");
    }
    return json.getAsString();
  }

  private StrictJson() {}
}
