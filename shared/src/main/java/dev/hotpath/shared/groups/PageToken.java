package dev.hotpath.shared.groups;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotpath.shared.validation.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a group listing stopped: the creation time and id of the last entity returned, bound to the
 * group and kind listed. Opaque to callers (URL-safe base64 of a small JSON object); ordering is
 * (creation time, id), both descending, the same on every shard, so the position is valid across
 * shards and across shard growth.
 */
record PageToken(String group, String kind, long createdMicros, long id) {

  String encode() {
    JsonObject json = new JsonObject();
    json.addProperty("g", group);
    json.addProperty("k", kind);
    json.addProperty("c", createdMicros);
    json.addProperty("i", id);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes a token from a listing of {@code group}/{@code kind}; anything else is refused. */
  static PageToken decode(String token, String group, String kind) {
    PageToken decoded;
    try {
      JsonObject json =
          JsonParser.parseString(
                  new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8))
              .getAsJsonObject();
      decoded =
          new PageToken(
              json.get("g").getAsString(),
              json.get("k").getAsString(),
              json.get("c").getAsLong(),
              json.get("i").getAsLong());
    } catch (RuntimeException e) {
      throw new InvalidInputException("pageToken is not a token this API issued");
    }
    if (!decoded.group.equals(group) || !decoded.kind.equals(kind)) {
      throw new InvalidInputException("pageToken belongs to a listing of another group or kind");
    }
    return decoded;
  }

  /** True if an entity at (created, id) comes after this position in newest-first order. */
  boolean isBefore(long otherCreatedMicros, long otherId) {
    return otherCreatedMicros < createdMicros
        || (otherCreatedMicros == createdMicros && otherId < id);
  }
}
