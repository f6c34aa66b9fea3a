package dev.hotpath.functions.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code terraform.tfvars.example} applies as written once the values the guide says to edit are
 * edited: it sets only declared variables, names nothing that must already exist in the project
 * beyond what the guide creates, and allows the kinds the README's examples write.
 */
class TerraformExampleTest {
  /** What terraform/README.md tells the user to edit; everything else must apply unchanged. */
  private static final Set<String> EDITED = Set.of("project_id", "turn_targets_json");

  /** Placeholder text that cannot apply in anyone's project. */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("my-project|example\\.(com|net|org)|notificationChannels/|[0-9]{6,}");

  private static final TerraformModule MODULE = TerraformModule.load();
  private static final Map<String, Object> EXAMPLE = example();

  @Test
  void setsOnlyDeclaredVariables() {
    Set<String> undeclared = new TreeSet<>(EXAMPLE.keySet());
    undeclared.removeAll(MODULE.blocks("variable").keySet());
    assertEquals(Set.of(), undeclared);
    assertTrue(EXAMPLE.keySet().containsAll(EDITED), EXAMPLE.keySet().toString());
  }

  /**
   * A made-up notification channel or invoker fails the first apply: the lists that name existing
   * resources are empty, and no value outside those the guide says to edit holds a placeholder.
   */
  @Test
  void holdsNoPlaceholderOutsideTheValuesToEdit() {
    assertEquals(List.of(), EXAMPLE.getOrDefault("alert_notification_channels", List.of()));
    assertEquals(List.of(), EXAMPLE.getOrDefault("write_api_invokers", List.of()));
    Set<String> placeholders = new TreeSet<>();
    EXAMPLE.forEach(
        (name, value) -> {
          if (!EDITED.contains(name) && PLACEHOLDER.matcher(String.valueOf(value)).find()) {
            placeholders.add(name + " = " + value);
          }
        });
    assertEquals(Set.of(), placeholders);
  }

  @Test
  void theGuideSaysWhatToEditAndHowToAddANotificationChannel() throws Exception {
    String guide = Files.readString(MODULE.dir().resolve("README.md"), StandardCharsets.UTF_8);
    for (String name : EDITED) {
      assertTrue(guide.contains("`" + name + "`"), "the guide does not say to edit " + name);
    }
    assertTrue(guide.contains("gcloud beta monitoring channels create"), "no channel recipe");
  }

  /** The README's examples run on a deployment configured by the example. */
  @Test
  void allowsTheKindsOfTheReadmesExamples() throws Exception {
    String readme =
        Files.readString(MODULE.dir().getParent().resolve("README.md"), StandardCharsets.UTF_8);
    assertKindsCover(readme, "HOTPATH_ALLOWED_KINDS", "allowed_kinds");
    assertKindsCover(readme, "HOTPATH_OPERATION_KINDS", "operation_kinds");
  }

  private static void assertKindsCover(String readme, String setting, String variable) {
    Matcher m = Pattern.compile(setting + "=([A-Za-z,]+)").matcher(readme);
    assertTrue(m.find(), "the README names no " + setting);
    Object kinds = EXAMPLE.get(variable);
    assertTrue(kinds instanceof List<?>, variable + " = " + kinds);
    assertTrue(
        ((List<?>) kinds).containsAll(List.of(m.group(1).split(","))),
        variable + " = " + kinds + " lacks some of the README's " + m.group(1));
  }

  private static Map<String, Object> example() {
    Path file = TerraformModule.folder().resolve("terraform.tfvars.example");
    try {
      Map<String, Object> values =
          new HCLParser().parse(Files.readString(file, StandardCharsets.UTF_8));
      assertFalse(values.isEmpty(), "nothing parsed from " + file);
      return values;
    } catch (Exception e) {
      throw new IllegalStateException(file + " is not valid HCL: " + e.getMessage(), e);
    }
  }
}
