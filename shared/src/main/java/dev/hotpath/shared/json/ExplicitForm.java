package dev.hotpath.shared.json;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.DoubleValue;
import com.google.cloud.datastore.KeyValue;
import com.google.cloud.datastore.LatLng;
import com.google.cloud.datastore.LatLngValue;
import com.google.cloud.datastore.TimestampValue;
import com.google.cloud.datastore.Value;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The values plain JSON cannot carry, written as a one-member object {@code {"$form": body}}; each
 * form reads and writes its body here, so the two directions cannot drift apart.
 */
enum ExplicitForm {
  /** {@code "2026-01-02T03:04:05.123456Z"}: RFC 3339, at most microseconds (Datastore's grain). */
  TIMESTAMP("$timestamp") {
    @Override
    Value<?> read(JsonElement body, String where, KeyJson keys) {
      String text = StrictJson.string(body, where, member);
      Timestamp t;
      try {
        t = Timestamp.parseTimestamp(text);
      } catch (RuntimeException e) {
        throw new InvalidInputException(
            where
                + ": $timestamp must be RFC 3339 like 2026-01-02T03:04:05.123456Z, got '"
                + text
                + "'");
      }
      if (t.getNanos() % 1000 != 0) {
        throw new InvalidInputException(
            where + ": Datastore keeps timestamps to the microsecond; '" + text + "' is finer");
      }
      return TimestampValue.of(t);
    }

    @Override
    JsonElement body(Value<?> value) {
      return new JsonPrimitive(Rfc3339.format(((TimestampValue) value).get()));
    }
  },

  /** {@code {"path": […]}}, as {@link KeyJson} reads and writes it. */
  KEY("$key") {
    @Override
    Value<?> read(JsonElement body, String where, KeyJson keys) {
      return KeyValue.of(keys.read(body, where));
    }

    @Override
    JsonElement body(Value<?> value) {
      return KeyJson.write(((KeyValue) value).get());
    }
  },

  /** Standard base64; left out of indexes above 1500 bytes, as Datastore requires. */
  BLOB("$blob") {
    @Override
    Value<?> read(JsonElement body, String where, KeyJson keys) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(StrictJson.string(body, where, member));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(
            where + ": $blob must be standard base64: " + e.getMessage());
      }
      return BlobValue.newBuilder(Blob.copyFrom(bytes))
          .setExcludeFromIndexes(bytes.length > JsonValues.MAX_INDEXED_BYTES)
          .build();
    }

    @Override
    JsonElement body(Value<?> value) {
      byte[] bytes = ((BlobValue) value).get().toByteArray();
      return new JsonPrimitive(Base64.getEncoder().encodeToString(bytes));
    }
  },

  /** The non-finite doubles only ("NaN", "Infinity", "-Infinity"); finite ones are plain JSON. */
  DOUBLE("$double") {
    @Override
    Value<?> read(JsonElement body, String where, KeyJson keys) {
      switch (StrictJson.string(body, where, member)) {
        case "NaN":
          return DoubleValue.of(Double.NaN);
        case "Infinity":
          return DoubleValue.of(Double.POSITIVE_INFINITY);
        case "-Infinity":
          return DoubleValue.of(Double.NEGATIVE_INFINITY);
        default:
          throw new InvalidInputException(
              where
                  + ": $double takes \"NaN\", \"Infinity\" or \"-Infinity\"; write finite numbers plainly");
      }
    }

    @Override
    JsonElement body(Value<?> value) {
      return new JsonPrimitive(Double.toString(((DoubleValue) value).get()));
    }
  },

  /** {@code {"latitude": -90..90, "longitude": -180..180}}. */
  GEO("$geo") {
    @Override
    Value<?> read(JsonElement body, String where, KeyJson keys) {
      String shape = where + ": $geo must be {\"latitude\": -90..90, \"longitude\": -180..180}";
      if (!body.isJsonObject() || body.getAsJsonObject().size() != 2) {
        throw new InvalidInputException(shape);
      }
      JsonObject o = body.getAsJsonObject();
      if (!isNumber(o.get("latitude")) || !isNumber(o.get("longitude"))) {
        throw new InvalidInputException(shape);
      }
      double lat = o.get("latitude").getAsDouble();
      double lng = o.get("longitude").getAsDouble();
      if (lat < -90 || lat > 90 || lng < -180 || lng > 180) {
        throw new InvalidInputException(shape);
      }
      return LatLngValue.of(LatLng.of(lat, lng));
    }

    @Override
    JsonElement body(Value<?> value) {
      LatLng point = ((LatLngValue) value).get();
      JsonObject geo = new JsonObject();
      geo.addProperty("latitude", point.getLatitude());
      geo.addProperty("longitude", point.getLongitude());
      return geo;
    }
  };

  /** "$timestamp, $key, $blob, $double or $geo", for the refusal of an unknown form. */
  private static final String ALL_NAMES = allNames();

  /** The member name that marks the form, like {@code $timestamp}. */
  final String member;

  ExplicitForm(String member) {
    this.member = member;
  }

  /** The value {@code body} writes in this form, refused with a message naming {@code where}. */
  abstract Value<?> read(JsonElement body, String where, KeyJson keys);

  /** The body of {@code value} (of this form's type) in this form. */
  abstract JsonElement body(Value<?> value);

  /** {@code value} written as {@code {"$form": body}}. */
  JsonObject write(Value<?> value) {
    JsonObject object = new JsonObject();
    object.add(member, body(value));
    return object;
  }

  /** The value of the explicit form marked {@code member}, with {@code body}. */
  static Value<?> read(String member, JsonElement body, String where, KeyJson keys) {
    for (ExplicitForm form : values()) {
      if (form.member.equals(member)) {
        return form.read(body, where, keys);
      }
    }
    throw new InvalidInputException(
        where + ": unknown explicit form '" + member + "' (use " + ALL_NAMES + ")");
  }

  private static String allNames() {
    List<String> names = Arrays.stream(values()).map(form -> form.member).toList();
    return String.join(", ", names.subList(0, names.size() - 1))
        + " or "
        + names.get(names.size() - 1);
  }

  private static boolean isNumber(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
  }
}
