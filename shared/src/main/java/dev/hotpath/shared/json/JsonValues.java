package dev.hotpath.shared.json;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Blob;
import com.google.cloud.datastore.BlobValue;
import com.google.cloud.datastore.BooleanValue;
import com.google.cloud.datastore.DoubleValue;
import com.google.cloud.datastore.EntityValue;
import com.google.cloud.datastore.FullEntity;
import com.google.cloud.datastore.IncompleteKey;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.KeyValue;
import com.google.cloud.datastore.LatLng;
import com.google.cloud.datastore.LatLngValue;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.LongValue;
import com.google.cloud.datastore.NullValue;
import com.google.cloud.datastore.PathElement;
import com.google.cloud.datastore.StringValue;
import com.google.cloud.datastore.TimestampValue;
import com.google.cloud.datastore.Value;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.Names;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
 * Property names must not be empty, longer than 1500 bytes, of Datastore's reserved form {@code
 * __…__}, start with {@code $} (the explicit forms) or with {@value #INTERNAL_PREFIX} (hotpath's
 * own bookkeeping).
 */
public final class JsonValues {
  /** Property names hotpath keeps for itself start with this. */
  public static final String INTERNAL_PREFIX = "hotpath:";

  private static final int MAX_INDEXED_BYTES = 1500;
  private static final int MAX_NAME_BYTES = 1500;

  private final String projectId;
  private final String databaseId;

  /** Keys written as {@code $key} are completed with this project and database. */
  public JsonValues(String projectId, String databaseId) {
    this.projectId = projectId;
    this.databaseId = databaseId;
  }

  /** The properties of {@code object}, checked, as Datastore values in member order. */
  public Map<String, Value<?>> properties(JsonObject object, String path) {
    Map<String, Value<?>> properties = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> member : object.entrySet()) {
      String name = member.getKey();
      String where = path.isEmpty() ? name : path + "." + name;
      checkPropertyName(name, where);
      properties.put(name, toValue(member.getValue(), where, false));
    }
    return properties;
  }

  /** The JSON object of an entity's properties, leaving out hotpath's internal ones. */
  public JsonObject toJson(FullEntity<?> entity) {
    JsonObject object = new JsonObject();
    for (String name : entity.getNames()) {
      if (!name.startsWith(INTERNAL_PREFIX)) {
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
            : explicit("$double", new JsonPrimitive(Double.toString(d)));
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
        return explicit("$timestamp", new JsonPrimitive(rfc3339(((TimestampValue) value).get())));
      case KEY:
        return explicit("$key", keyJson(((KeyValue) value).get()));
      case BLOB:
        byte[] bytes = ((BlobValue) value).get().toByteArray();
        return explicit("$blob", new JsonPrimitive(Base64.getEncoder().encodeToString(bytes)));
      case LAT_LNG:
        LatLng point = ((LatLngValue) value).get();
        JsonObject geo = new JsonObject();
        geo.addProperty("latitude", point.getLatitude());
        geo.addProperty("longitude", point.getLongitude());
        return explicit("$geo", geo);
      default:
        throw new IllegalStateException("no JSON form for Datastore type " + value.getType());
    }
  }

  /**
   * A key as {@code {"path":[{"kind":…,"name":…}|{"kind":…,"id":"…"}]}}; ids as strings (64-bit).
   */
  public static JsonObject keyJson(Key key) {
    JsonArray path = new JsonArray();
    List<PathElement> elements = new ArrayList<>(key.getAncestors());
    elements.add(
        key.hasId()
            ? PathElement.of(key.getKind(), key.getId())
            : PathElement.of(key.getKind(), key.getName()));
    for (PathElement element : elements) {
      JsonObject e = new JsonObject();
      e.addProperty("kind", element.getKind());
      if (element.hasId()) {
        e.addProperty("id", Long.toString(element.getId()));
      } else {
        e.addProperty("name", element.getName());
      }
      path.add(e);
    }
    JsonObject json = new JsonObject();
    json.add("path", path);
    return json;
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
      String form = object.keySet().iterator().next();
      if (form.startsWith("$")) {
        return explicitValue(form, object.get(form), where);
      }
    }
    FullEntity.Builder<IncompleteKey> embedded = FullEntity.newBuilder();
    properties(object, where).forEach(embedded::set);
    return EntityValue.of(embedded.build());
  }

  private Value<?> explicitValue(String form, JsonElement body, String where) {
    switch (form) {
      case "$timestamp":
        return TimestampValue.of(timestamp(stringIn(body, where, form), where));
      case "$blob":
        byte[] bytes;
        try {
          bytes = Base64.getDecoder().decode(stringIn(body, where, form));
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException(
              where + ": $blob must be standard base64: " + e.getMessage());
        }
        return BlobValue.newBuilder(Blob.copyFrom(bytes))
            .setExcludeFromIndexes(bytes.length > MAX_INDEXED_BYTES)
            .build();
      case "$double":
        return DoubleValue.of(nonFiniteDouble(stringIn(body, where, form), where));
      case "$key":
        return KeyValue.of(key(body, where));
      case "$geo":
        return LatLngValue.of(geo(body, where));
      default:
        throw new InvalidInputException(
            where
                + ": unknown explicit form '"
                + form
                + "' (use $timestamp, $key, $blob, $double or $geo)");
    }
  }

  private static Timestamp timestamp(String text, String where) {
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
    return t;
  }

  private static double nonFiniteDouble(String text, String where) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        throw new InvalidInputException(
            where
                + ": $double takes \"NaN\", \"Infinity\" or \"-Infinity\"; write finite numbers plainly");
    }
  }

  /**
   * A complete key written as {@code {"path": [{"kind": K, "name": N} | {"kind": K, "id": "123"},
   * …]}}.
   */
  public Key key(JsonElement body, String where) {
    if (!body.isJsonObject()
        || body.getAsJsonObject().size() != 1
        || !body.getAsJsonObject().has("path")
        || !body.getAsJsonObject().get("path").isJsonArray()
        || body.getAsJsonObject().getAsJsonArray("path").isEmpty()) {
      throw new InvalidInputException(
          where + ": $key must be {\"path\": [{\"kind\": …, \"name\"|\"id\": …}, …]}");
    }
    List<PathElement> elements = new ArrayList<>();
    for (JsonElement e : body.getAsJsonObject().getAsJsonArray("path")) {
      elements.add(pathElement(e, where));
    }
    PathElement last = elements.remove(elements.size() - 1);
    Key.Builder builder =
        last.hasId()
            ? Key.newBuilder(projectId, last.getKind(), last.getId(), databaseId)
            : Key.newBuilder(projectId, last.getKind(), last.getName(), databaseId);
    return builder.addAncestors(elements).build();
  }

  private static PathElement pathElement(JsonElement json, String where) {
    String shape =
        where
            + ": each $key path element must be {\"kind\": K, \"name\": N} or {\"kind\": K, \"id\": \"123\"}";
    if (!json.isJsonObject()) {
      throw new InvalidInputException(shape);
    }
    JsonObject e = json.getAsJsonObject();
    if (e.size() != 2 || !e.has("kind") || !(e.has("name") ^ e.has("id"))) {
      throw new InvalidInputException(shape);
    }
    String kind = stringIn(e.get("kind"), where, "kind");
    if (kind.isEmpty() || Names.isReserved(kind)) {
      throw new InvalidInputException(where + ": key kind '" + kind + "' is empty or reserved");
    }
    if (e.has("name")) {
      String name = stringIn(e.get("name"), where, "name");
      if (name.isEmpty() || Names.isReserved(name)) {
        throw new InvalidInputException(where + ": key name '" + name + "' is empty or reserved");
      }
      return PathElement.of(kind, name);
    }
    JsonElement id = e.get("id");
    long parsed;
    try {
      parsed = Long.parseLong(id.getAsString());
    } catch (RuntimeException ex) {
      throw new InvalidInputException(where + ": key id must be a positive 64-bit integer");
    }
    if (parsed <= 0) {
      throw new InvalidInputException(where + ": key id must be a positive 64-bit integer");
    }
    return PathElement.of(kind, parsed);
  }

  private static LatLng geo(JsonElement body, String where) {
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
    return LatLng.of(lat, lng);
  }

  private static boolean isNumber(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
  }

  private static String stringIn(JsonElement json, String where, String form) {
    if (!json.isJsonPrimitive() || !json.getAsJsonPrimitive().isString()) {
      throw new InvalidInputException(where + ": " + form + " takes a string");
    }
    return json.getAsString();
  }

  /** Refuses a property name that is empty, too long or reserved, naming it as {@code where}. */
  public static void checkPropertyName(String name, String where) {
    if (name.isEmpty()) {
      throw new InvalidInputException("property names must not be empty (in " + where + ")");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new InvalidInputException(
          "property name " + where + " is longer than " + MAX_NAME_BYTES + " bytes");
    }
    if (Names.isReserved(name) || name.startsWith("$") || name.startsWith(INTERNAL_PREFIX)) {
      throw new InvalidInputException(
          "property name '"
              + where
              + "' is reserved (__…__, $… and "
              + INTERNAL_PREFIX
              + "… are not allowed)");
    }
  }

  /** RFC 3339 in UTC with as few fraction digits as needed: 2026-01-02T03:04:05.123456Z. */
  public static String rfc3339(Timestamp t) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }

  private static JsonObject explicit(String form, JsonElement body) {
    JsonObject object = new JsonObject();
    object.add(form, body);
    return object;
  }

  /**
   * A finite double written so it reads back as a double, never as an integer: {@link
   * Double#toString} always has a fraction or an exponent (2.0, 1.0E20).
   */
  private static BigDecimal asDecimalLiteral(double d) {
    return new BigDecimal(Double.toString(d));
  }
}
