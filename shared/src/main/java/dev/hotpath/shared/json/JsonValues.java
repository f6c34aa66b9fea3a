package dev.hotpath.shared.json;

import com.google.cloud.datastore.BooleanValue;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DoubleValue;
import com.google.cloud.datastore.EntityValue;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.IncompleteKey;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.NullValue;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.Value;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotpath.shared.validation.InvalidInputException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The documented, round-tripping mapping between JSON property values and Datastore values.
 *
 * <pre>
 * JSON                                   Datastore
 * "text"                                 string (unindexed above 1500 bytes)
 * 42 (integer literal, 64-bit)           integer
 * 4.2, 1e3, 2.0                          double
 * {"$double": "NaN"|"Infinity"|"-Infinity"}  double (non-finite)
 * true / false                           boolean
 * null                                   null
 * [ … ] (no arrays inside arrays)        array
 * {"$timestamp": "2026-01-02T03:04:05.123456Z"}  timestamp (RFC 3339, at most microseconds)
 * {"$key": {"path": [{"kind": "K", "name": "n"}, {"kind": "C", "id": "123"}]}}  key
 * {"$blob": "base64…"}                   blob (unindexed above 1500 bytes)
 * {"$geo": {"latitude": 1.5, "longitude": -2.5}}  geo point
 * any other object                       embedded entity (member names as property names)
 * </pre>
 *
 * The {@code $} forms are each defined in {@link ExplicitForm}; property names follow {@link
 * PropertyNames}.
 */
public final class JsonValues {
  /** Strings and blobs longer than this (in bytes) cannot be indexed. */
  static final int MAX_INDEXED_BYTES = 1500;

  private final KeyJson keys;

  /** Keys written as {@code $key} are completed with this project and database. */
  /** Values for the database {@code datastore} writes to (its project and database id). */
  public static JsonValues of(Datastore datastore) {
    return new JsonValues(
        datastore.getOptions().getProjectId(), datastore.getOptions().getDatabaseId());
  }

  public JsonValues(String projectId, String databaseId) {
    this.keys = new KeyJson(projectId, databaseId);
  }

  /** How this mapping reads and writes keys. */
  public KeyJson keys() {
    return keys;
  }

  /** The properties of {@code object}, checked, as Datastore values in member order. */
  public Map<String, Value<?>> properties(JsonObject object, String path) {
    Map<String, Value<?>> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> member : object.entrySet()) {
      String name = member.getKey();
      String where = path.isEmpty() ? name : path + "." + name;
      PropertyNames.check(name, where);
      properties.put(name, toValue(member.getValue(), where, false));
    }
    return properties;
  }

  /** The JSON object of an entity's properties, leaving out hotpath's internal ones. */
  public JsonObject toJson(FullEntity<?> entity) {
    JsonObject object = new JsonObject();
    for (String name : entity.getNames()) {
      if (!PropertyNames.isInternal(name)) {
        object.add(name, toJson(entity.getValue(name)));
      }
    }
    return object;
  }

  public JsonElement toJson(Value<?> value) {
    switch (value.getType()) {
      case STRING:
        return new JsonPrimitive(((StringValue) value).get());
      case LONG:
        return new JsonPrimitive(((LongValue) value).get());
      case DOUBLE:
        double d = ((DoubleValue) value).get();
        return Double.isFinite(d)
            ? new JsonPrimitive(asDecimalLiteral(d))
            : ExplicitForm.DOUBLE.write(value);
      case BOOLEAN:
        return new JsonPrimitive(((BooleanValue) value).get());
      case NULL:
        return JsonNull.INSTANCE;
      case LIST:
        JsonArray array = new JsonArray();
        ((ListValue) value).get().forEach(v -> array.add(toJson(v)));
        return array;
      case ENTITY:
        return toJson(((EntityValue) value).get());
      case TIMESTAMP:
        return ExplicitForm.TIMESTAMP.write(value);
      case KEY:
        return ExplicitForm.KEY.write(value);
      case BLOB:
        return ExplicitForm.BLOB.write(value);
      case LAT_LNG:
        return ExplicitForm.GEO.write(value);
      default:
        throw new IllegalStateException("no JSON form for Datastore type " + value.getType());
    }
  }

  private Value<?> toValue(JsonElement json, String where, boolean inArray) {
    if (json.isJsonNull()) {
      return NullValue.of();
    }
    if (json.isJsonArray()) {
      if (inArray) {
        throw new InvalidInputException(where + ": Datastore arrays cannot contain arrays");
      }
      ListValue.Builder list = ListValue.newBuilder();
      JsonArray array = json.getAsJsonArray();
      for (int i = 0; i < array.size(); i++) {
        list.addValue(toValue(array.get(i), where + "[" + i + "]", true));
      }
      return list.build();
    }
    if (json.isJsonObject()) {
      return objectValue(json.getAsJsonObject(), where);
    }
    JsonPrimitive primitive = json.getAsJsonPrimitive();
    if (primitive.isBoolean()) {
      return BooleanValue.of(primitive.getAsBoolean());
    }
    if (primitive.isString()) {
      String text = primitive.getAsString();
      boolean indexable = text.getBytes(StandardCharsets.UTF_8).length <= MAX_INDEXED_BYTES;
      return StringValue.newBuilder(text).setExcludeFromIndexes(!indexable).build();
    }
    return numberValue(primitive, where);
  }

  private static Value<?> numberValue(JsonPrimitive number, String where) {
    if (StrictJson.isIntegerLiteral(number)) {
      try {
        return LongValue.of(new BigDecimal(number.getAsString()).longValueExact());
      } catch (ArithmeticException e) {
        throw new InvalidInputException(
            where + ": integer " + number.getAsString() + " is outside the 64-bit range");
      }
    }
    double d = number.getAsDouble();
    if (!Double.isFinite(d)) {
      throw new InvalidInputException(
          where + ": number " + number.getAsString() + " is outside the double range");
    }
    return DoubleValue.of(d);
  }

  private Value<?> objectValue(JsonObject object, String where) {
    if (object.size() == 1) {
      String member = object.keySet().iterator().next();
      if (member.startsWith("$")) {
        return ExplicitForm.read(member, object.get(member), where, keys);
      }
    }
    FullEntity.Builder<IncompleteKey> embedded = FullEntity.newBuilder();
    properties(object, where).forEach(embedded::set);
    return EntityValue.of(embedded.build());
  }

  /**
   * A finite double written so it reads back as a double, never as an integer: {@link
   * Double#toString} always has a fraction or an exponent (2.0, 1.0E20).
   */
  private static BigDecimal asDecimalLiteral(double d) {
    return new BigDecimal(Double.toString(d));
  }
}
