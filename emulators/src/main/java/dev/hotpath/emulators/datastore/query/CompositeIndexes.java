package dev.hotpath.emulators.datastore.query;

import com.google.datastore.v1.Query;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The composite indexes a database has, for an emulator that enforces them like production: a query
 * that needs a composite index (per {@link IndexRequirement}) not in this set fails with {@code
 * FAILED_PRECONDITION} "no matching index found. recommended index is: …".
 *
 * <p>The project's definitions live in {@code terraform/indexes.json}, the file Terraform creates
 * the real indexes from. An entry has a fixed {@code "kind"}, or {@code "kindsFrom"}: the setting
 * (e.g. {@code HOTPATH_ALLOWED_KINDS}) whose comma-separated kinds it is repeated for; the caller
 * supplies the settings the functions run with.
 */
public final class CompositeIndexes {
  private final Set<CompositeIndex> indexes;

  private CompositeIndexes(Collection<CompositeIndex> indexes) {
    this.indexes = Set.copyOf(new LinkedHashSet<>(indexes));
  }

  public static CompositeIndexes of(CompositeIndex... indexes) {
    return new CompositeIndexes(Arrays.asList(indexes));
  }

  /**
   * The indexes {@code json} defines, {@code kindsFrom} entries resolved against {@code settings}.
   */
  public static CompositeIndexes read(Path json, Map<String, String> settings) throws IOException {
    JsonObject root;
    try {
      root =
          JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(json + " is not a JSON object: " + e.getMessage(), e);
    }
    List<CompositeIndex> indexes = new ArrayList<>();
    for (JsonElement element : root.getAsJsonArray("indexes")) {
      JsonObject definition = element.getAsJsonObject();
      List<CompositeIndex.Property> properties = new ArrayList<>();
      for (JsonElement p : definition.getAsJsonArray("properties")) {
        JsonObject property = p.getAsJsonObject();
        properties.add(
            new CompositeIndex.Property(
                property.get("name").getAsString(),
                "desc".equals(property.get("direction").getAsString())));
      }
      boolean ancestor = definition.get("ancestor").getAsBoolean();
      for (String kind : kinds(definition, settings)) {
        indexes.add(new CompositeIndex(kind, ancestor, properties));
      }
    }
    return new CompositeIndexes(indexes);
  }

  /**
   * The project's {@code terraform/indexes.json} (found above the working directory), for {@code
   * settings}.
   */
  public static CompositeIndexes ofProject(Map<String, String> settings) {
    try {
      return read(projectFile(), settings);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the project's index definitions", e);
    }
  }

  /** {@code terraform/indexes.json} in the working directory or the nearest directory above it. */
  public static Path projectFile() {
    for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
      Path file = at.resolve("terraform/indexes.json");
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException(
        "no terraform/indexes.json above " + Path.of("").toAbsolutePath());
  }

  private static List<String> kinds(JsonObject definition, Map<String, String> settings) {
    if (definition.has("kind")) {
      return List.of(definition.get("kind").getAsString());
    }
    String setting = definition.get("kindsFrom").getAsString();
    return Arrays.stream(settings.getOrDefault(setting, "").split(","))
        .map(String::trim)
        .filter(k -> !k.isEmpty())
        .toList();
  }

  public Set<CompositeIndex> indexes() {
    return indexes;
  }

  /** Refuses {@code query} as production does when it needs a composite index not defined here. */
  public void check(Query query) {
    Optional<CompositeIndex> needed = IndexRequirement.of(query);
    if (needed.isPresent() && !indexes.contains(needed.get())) {
      throw new EmulatorException(
          Code.FAILED_PRECONDITION,
          "no matching index found. recommended index is:\n" + yaml(needed.get()));
    }
  }

  /** The index as index.yaml writes it, as production's error message shows it. */
  static String yaml(CompositeIndex index) {
    StringBuilder yaml =
        new StringBuilder()
            .append("- kind: ")
            .append(index.kind())
            .append('\n')
            .append("  ancestor: ")
            .append(index.ancestor() ? "yes" : "no")
            .append('\n')
            .append("  properties:\n");
    for (CompositeIndex.Property p : index.properties()) {
      yaml.append("  - name: ")
          .append(p.name())
          .append('\n')
          .append("    direction: ")
          .append(p.descending() ? "desc" : "asc")
          .append('\n');
    }
    return yaml.toString();
  }

  @Override
  public String toString() {
    return "CompositeIndexes" + indexes;
  }
}
