package dev.hotpath.shared.operations;

import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.PathElement;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotpath.shared.json.JsonValues;
import dev.hotpath.shared.json.KnownFields;
import dev.hotpath.shared.json.PropertyNames;
import dev.hotpath.shared.json.StrictJson;
import dev.hotpath.shared.validation.Deltas;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an operation's {@code mutations} completely, before anything is recorded or enqueued: 1 to
 * {@value #MAX_MUTATIONS} mutations, each exactly one of {@code insert | upsert | update | delete |
 * increment}, complete keys whose every kind is allow-listed (hotpath's own kinds never are),
 * properties in the API's JSON mapping, each entity at most once, increments of a named property by
 * an integer of magnitude at most {@link Deltas#MAX}. The worker parses the stored mutations with
 * the same parser, so both sides agree on what an operation means.
 */
public final class MutationParser {
  /** Datastore's limit of mutations in one commit. */
  public static final int MAX_MUTATIONS = 500;

  private static final Set<String> WRITE_FIELDS = Set.of("key", "properties");
  private static final Set<String> DELETE_FIELDS = Set.of("key");
  private static final Set<String> INCREMENT_FIELDS = Set.of("key", "property", "by");

  private final Set<String> allowedKinds;
  private final JsonValues values;

  public MutationParser(Set<String> allowedKinds, JsonValues values) {
    this.allowedKinds = Set.copyOf(allowedKinds);
    this.values = values;
  }

  /** The mutations of a request body {@code {"mutations": […]}}. */
  public List<Mutation> parseBody(JsonObject body) {
    KnownFields.check(body, Set.of("mutations"), "the body", InvalidInputException::new);
    JsonElement mutations = body.get("mutations");
    if (mutations == null || !mutations.isJsonArray()) {
      throw new InvalidInputException("the body must hold \"mutations\": an array of mutations");
    }
    return parse(mutations.getAsJsonArray());
  }

  /** The mutations of a {@code mutations} array. */
  public List<Mutation> parse(JsonArray array) {
    if (array.isEmpty()) {
      throw new InvalidInputException("\"mutations\" must not be empty");
    }
    if (array.size() > MAX_MUTATIONS) {
      throw new InvalidInputException(
          "an operation holds at most " + MAX_MUTATIONS + " mutations, got " + array.size());
    }
    List<Mutation> mutations = new ArrayList<>();
    Set<Key> seen = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Mutation m = mutation(array.get(i), "mutations[" + i + "]");
      if (!seen.add(m.key())) {
        throw new InvalidInputException(
            "mutations["
                + i
                + "]: entity "
                + Keys.describe(m.key())
                + " appears in more than one mutation; "
                + "an operation may change each entity at most once");
      }
      mutations.add(m);
    }
    return List.copyOf(mutations);
  }

  private Mutation mutation(JsonElement json, String where) {
    if (!json.isJsonObject() || json.getAsJsonObject().size() != 1) {
      throw new InvalidInputException(
          where + " must be an object with exactly one of " + typeNames());
    }
    Map.Entry<String, JsonElement> only = json.getAsJsonObject().entrySet().iterator().next();
    Mutation.Type type = type(only.getKey(), where);
    String at = where + "." + type.jsonName();
    if (!only.getValue().isJsonObject()) {
      throw new InvalidInputException(at + " must be an object");
    }
    JsonObject body = only.getValue().getAsJsonObject();
    switch (type) {
      case DELETE -> {
        KnownFields.check(body, DELETE_FIELDS, at, InvalidInputException::new);
        return Mutation.delete(key(body, at));
      }
      case INCREMENT -> {
        KnownFields.check(body, INCREMENT_FIELDS, at, InvalidInputException::new);
        return Mutation.increment(key(body, at), property(body, at), by(body, at));
      }
      default -> {
        KnownFields.check(body, WRITE_FIELDS, at, InvalidInputException::new);
        JsonElement properties = body.get("properties");
        if (properties == null || !properties.isJsonObject()) {
          throw new InvalidInputException(at + ".properties must be an object of property values");
        }
        Key key = key(body, at);
        return Mutation.write(
            type, key, values.properties(properties.getAsJsonObject(), at + ".properties"));
      }
    }
  }

  private static Mutation.Type type(String name, String where) {
    for (Mutation.Type type : Mutation.Type.values()) {
      if (type.jsonName().equals(name)) {
        return type;
      }
    }
    throw new InvalidInputException(
        where + ": unknown mutation '" + name + "'; use one of " + typeNames());
  }

  private Key key(JsonObject body, String where) {
    JsonElement json = body.get("key");
    if (json == null) {
      throw new InvalidInputException(where + ".key is required");
    }
    Key key = values.keys().read(json, where + ".key");
    for (PathElement element : Keys.path(key)) {
      String kind = element.getKind();
      if (InternalKinds.isInternal(kind) || !allowedKinds.contains(kind)) {
        throw new InvalidInputException(
            where
                + ".key: kind '"
                + kind
                + "' is not on the allow-list of operations "
                + allowedKinds.stream().sorted().toList());
      }
    }
    return key;
  }

  private static String property(JsonObject body, String where) {
    JsonElement json = body.get("property");
    if (json == null || !json.isJsonPrimitive() || !json.getAsJsonPrimitive().isString()) {
      throw new InvalidInputException(
          where + ".property must be the name of the integer property to increment");
    }
    String property = json.getAsString();
    PropertyNames.check(property, where + ".property");
    return property;
  }

  private static long by(JsonObject body, String where) {
    String what = where + ".by";
    return Deltas.check(what, StrictJson.integer(body.get("by"), what));
  }

  private static List<String> typeNames() {
    return Arrays.stream(Mutation.Type.values()).map(Mutation.Type::jsonName).toList();
  }
}
