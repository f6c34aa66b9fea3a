package dev.hotpath.functions.terraform;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.bertramlabs.plugins.hcl4j.HCLParserException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's {@code terraform/} folder, every {@code .tf} file parsed by a real HCL parser
 * (hcl4j). hcl4j evaluates what it can: literals, blocks, references as their dotted text ({@code
 * "serviceAccount:${google_service_account.x.email}"} reads {@code
 * serviceAccount:google_service_account.x.email}) and the functions registered here; what it cannot
 * evaluate reads as null. The tests rely only on what it reads faithfully: block structure,
 * attribute names, map keys, literal strings and reference texts.
 *
 * <p>Two readings are added. hcl4j reads an index step as {@code .value}, losing the key ({@code
 * google_cloudfunctions2_function.function["worker"].name}); a string key is read as an attribute
 * step instead ({@code google_cloudfunctions2_function.function.worker.name}). And a resource with
 * {@code for_each} over a map reads as one instance per key, {@code function.worker}, whose {@code
 * each.value.x} attributes read as that entry's {@code x}; the entry itself is kept under {@value
 * #EACH_VALUE}.
 */
final class TerraformModule {
  /**
   * Where an instance of a {@code for_each} resource keeps its entry of the {@code for_each} map.
   */
  static final String EACH_VALUE = "each.value";

  /** An index step with a string key (after a name or another step; not a list literal). */
  private static final Pattern STRING_INDEX =
      Pattern.compile("(?<=[A-Za-z0-9_\\])])\\[\"([A-Za-z0-9_-]+)\"\\]");

  private final Path dir;
  private final Map<Path, String> sources = new LinkedHashMap<>();
  private final Map<Path, Map<String, Object>> parsed = new LinkedHashMap<>();

  private TerraformModule(Path dir) throws IOException {
    this.dir = dir;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".tf")).sorted().toList()) {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        sources.put(file, source);
        try {
          parsed.put(file, quietly(STRING_INDEX.matcher(source).replaceAll(".$1")));
        } catch (HCLParserException e) {
          throw new IllegalStateException(
              file.getFileName() + " is not valid HCL: " + e.getMessage(), e);
        }
      }
    }
  }

  /**
   * The module of this checkout: the nearest {@code terraform/} folder above the working directory.
   */
  static TerraformModule load() {
    try {
      return new TerraformModule(folder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path folder() {
    for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
      if (Files.isRegularFile(at.resolve("terraform/versions.tf"))) {
        return at.resolve("terraform");
      }
    }
    throw new IllegalStateException(
        "no terraform/versions.tf above " + Path.of("").toAbsolutePath());
  }

  /**
   * Parses {@code source} with stdout held back: hcl4j prints every function call's result
   * ("Computed Result: …"), which for the dashboard's JSON flooded the build's output.
   */
  private static Map<String, Object> quietly(String source) throws HCLParserException, IOException {
    synchronized (System.class) {
      PrintStream out = System.out;
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        return parser().parse(source);
      } finally {
        System.setOut(out);
      }
    }
  }

  /** hcl4j with the Terraform functions whose results the tests read (map keys of merged maps). */
  private static HCLParser parser() {
    HCLParser parser = new HCLParser();
    parser.registerFunction(
        "merge",
        args -> {
          Map<Object, Object> merged = new LinkedHashMap<>();
          args.stream().filter(Map.class::isInstance).forEach(m -> merged.putAll((Map<?, ?>) m));
          return merged;
        });
    parser.registerFunction(
        "tostring", args -> args.isEmpty() ? null : String.valueOf(args.get(0)));
    return parser;
  }

  Path dir() {
    return dir;
  }

  /** Each file's text, by path. */
  Map<Path, String> sources() {
    return sources;
  }

  /**
   * Every block of {@code kind} ("variable", "output", …) by its label, across all files. Blocks
   * with the same first label in several files (resources of one type) are merged, not replaced.
   */
  Map<String, Map<String, Object>> blocks(String kind) {
    Map<String, Map<String, Object>> blocks = new LinkedHashMap<>();
    for (Map<String, Object> file : parsed.values()) {
      Object all = file.get(kind);
      if (all instanceof Map<?, ?> byName) {
        byName.forEach(
            (name, body) ->
                blocks.merge(
                    (String) name,
                    map(body),
                    (earlier, later) -> {
                      Map<String, Object> both = new LinkedHashMap<>(earlier);
                      both.putAll(later);
                      return both;
                    }));
      }
    }
    return blocks;
  }

  /** Every resource of {@code type} by its name; a {@code for_each} resource as its instances. */
  Map<String, Map<String, Object>> resources(String type) {
    Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
    blocks("resource")
        .forEach(
            (resourceType, byName) -> {
              if (resourceType.equals(type)) {
                byName.forEach((name, body) -> resources.putAll(instances(name, map(body))));
              }
            });
    return resources;
  }

  /** Every resource as "type.name" → body; a {@code for_each} resource as its instances. */
  Map<String, Map<String, Object>> allResources() {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    blocks("resource")
        .keySet()
        .forEach(type -> resources(type).forEach((name, body) -> all.put(type + "." + name, body)));
    return all;
  }

  /** {@code name → body}, or for a {@code for_each} over a map, {@code name.key → body} per key. */
  private static Map<String, Map<String, Object>> instances(String name, Map<String, Object> body) {
    if (!(body.get("for_each") instanceof Map<?, ?> forEach)) {
      return Map.of(name, body);
    }
    Map<String, Map<String, Object>> instances = new LinkedHashMap<>();
    forEach.forEach(
        (key, value) -> {
          Map<String, Object> instance = new LinkedHashMap<>(map(withEach(body, map(value))));
          instance.remove("for_each");
          instance.put(EACH_VALUE, value);
          instances.put(name + "." + key, instance);
        });
    return instances;
  }

  /**
   * {@code value} with every reference {@code each.value.x} replaced by {@code each}'s {@code x}
   * (hcl4j keeps a reference as an object whose text is the reference).
   */
  private static Object withEach(Object value, Map<String, Object> each) {
    String prefix = EACH_VALUE + ".";
    if (value != null
        && String.valueOf(value).startsWith(prefix)
        && each.containsKey(String.valueOf(value).substring(prefix.length()))) {
      return each.get(String.valueOf(value).substring(prefix.length()));
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(k, withEach(v, each)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> withEach(v, each)).toList();
    }
    return value;
  }

  /** A nested block or map attribute; a block given twice reads as a list, whose first is taken. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    if (value instanceof List<?> list && !list.isEmpty()) {
      return map(list.get(0));
    }
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    return Map.of();
  }

  /** A repeatable block as a list of its occurrences (none, one or many). */
  static List<Map<String, Object>> repeated(Object value) {
    List<Map<String, Object>> blocks = new ArrayList<>();
    if (value instanceof Collection<?> list) {
      list.forEach(b -> blocks.add(map(b)));
    } else if (value instanceof Map<?, ?>) {
      blocks.add(map(value));
    }
    return blocks;
  }

  /** Follows {@code path} ("service_config", "environment_variables") through nested blocks. */
  static Map<String, Object> at(Map<String, Object> body, String... path) {
    Map<String, Object> at = body;
    for (String step : path) {
      at = map(at.get(step));
    }
    return at;
  }

  static String string(Map<String, Object> body, String attribute) {
    Object value = body.get(attribute);
    return value == null ? "" : String.valueOf(value);
  }
}
