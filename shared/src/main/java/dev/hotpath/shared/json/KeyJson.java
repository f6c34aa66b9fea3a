package dev.hotpath.shared.json;

import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.PathElement;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotpath.shared.validation.InvalidInputException;
import dev.hotpath.shared.validation.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys in the API's JSON: {@code {"path": [{"kind": K, "name": N} | {"kind": K, "id": "123"}, …]}},
 * ids as strings (64-bit). Keys read are completed with this project and database.
 */
public final class KeyJson {
  private final String projectId;
  private final String databaseId;

  public KeyJson(String projectId, String databaseId) {
    this.projectId = projectId;
    this.databaseId = databaseId;
  }

  /** The complete key {@code body} writes, refused with a message naming {@code where}. */
  public Key read(JsonElement body, String where) {
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

  /** {@code key} as JSON. */
  public static JsonObject write(Key key) {
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
    String kind = StrictJson.string(e.get("kind"), where, "kind");
    if (kind.isEmpty() || Names.isReserved(kind)) {
      throw new InvalidInputException(where + ": key kind '" + kind + "' is empty or reserved");
    }
    if (e.has("name")) {
      String name = StrictJson.string(e.get("name"), where, "name");
      if (name.isEmpty() || Names.isReserved(name)) {
        throw new InvalidInputException(where + ": key name '" + name + "' is empty or reserved");
      }
      return PathElement.of(kind, name);
    }
    JsonElement id = e.get("id");
    if (!id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()) {
      // As Datastore's REST API: a JSON number loses 64-bit ids' precision in most clients.
      throw new InvalidInputException(
          where + ": key id takes a decimal string, e.g. \"id\": \"42\", got " + id);
    }
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
}
