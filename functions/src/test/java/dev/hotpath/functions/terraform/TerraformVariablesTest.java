package dev.hotpath.functions.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every {@code var.} reference names a declared variable with a description and a type. */
class TerraformVariablesTest {
  private static final Pattern REFERENCE = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_-]*)");
  private static final TerraformModule MODULE = TerraformModule.load();

  @Test
  void everyReferencedVariableIsDeclared() {
    Set<String> undeclared = new TreeSet<>(referenced());
    undeclared.removeAll(MODULE.blocks("variable").keySet());
    assertEquals(Set.of(), undeclared);
  }

  @Test
  void everyVariableHasADescriptionAndAType() {
    Map<String, Map<String, Object>> variables = MODULE.blocks("variable");
    assertFalse(variables.isEmpty(), "no variable blocks parsed");
    variables.forEach(
        (name, body) -> {
          assertFalse(
              TerraformModule.string(body, "description").isBlank(), name + " has no description");
          assertTrue(body.get("type") != null, name + " has no type");
        });
  }

  @Test
  void everyDeclaredVariableIsUsed() {
    Set<String> unused = new TreeSet<>(MODULE.blocks("variable").keySet());
    unused.removeAll(referenced());
    assertEquals(Set.of(), unused);
  }

  /**
   * A variable that feeds a setting says so ("HOTPATH_MAX_BATCH: …"); its scalar default is the
   * code's, so a plain deploy behaves like a local run. Lists (kinds) are deployment choices.
   */
  @Test
  void scalarDefaultsOfSettingVariablesAreTheCodesDefaults() {
    Map<String, Setting> settings =
        Settings.ALL.stream().collect(Collectors.toMap(Setting::name, s -> s));
    int compared = 0;
    for (Map.Entry<String, Map<String, Object>> variable : MODULE.blocks("variable").entrySet()) {
      String description = TerraformModule.string(variable.getValue(), "description");
      Setting setting = settings.get(description.split(":", 2)[0]);
      Object value = variable.getValue().get("default");
      if (setting == null || value == null || value instanceof List<?>) {
        continue;
      }
      String terraform =
          value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value);
      assertEquals(
          setting.defaultValue(), terraform, variable.getKey() + " feeds " + setting.name());
      compared++;
    }
    assertTrue(compared > 20, "only " + compared + " setting variables found");
  }

  /** Variable names in references, outside whole-line comments. */
  private static Set<String> referenced() {
    Set<String> names = new TreeSet<>();
    for (Map.Entry<Path, String> file : MODULE.sources().entrySet()) {
      for (String line : file.getValue().split("\n")) {
        String code = line.strip();
        if (code.startsWith("#") || code.startsWith("//")) {
          continue;
        }
        Matcher m = REFERENCE.matcher(line);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertFalse(names.isEmpty(), "no var. references found");
    return names;
  }
}
