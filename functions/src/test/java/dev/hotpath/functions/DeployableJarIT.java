package dev.hotpath.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The deployable jar holds production code only. Runs after {@code package} (failsafe), over the
 * shaded {@code target/hotpath-functions.jar} that Terraform uploads.
 *
 * <p>The rule: no class of a module that is not deployed (test support, the emulators, the local
 * stack), no test framework, no test-only library, and no test class of ours.
 */
class DeployableJarIT {
  /** Class-file path prefixes that must not ship, each with the reason. */
  private static final List<List<String>> FORBIDDEN =
      List.of(
          List.of("dev/hotpath/testsupport/", "hotpath-test-support (loopback coturn/sshd)"),
          List.of("dev/hotpath/emulators/", "hotpath-emulators"),
          List.of("dev/hotpath/local/", "hotpath-local"),
          List.of("org/junit/", "JUnit"),
          List.of("org/opentest4j/", "JUnit's assertion errors"),
          List.of("com/tngtech/archunit/", "ArchUnit"),
          List.of("com/bertramlabs/plugins/hcl4j/", "hcl4j (Terraform tests)"),
          List.of(
              "com/google/cloud/functions/invoker/",
              "the Functions Framework invoker (the runtime's own)"));

  private static final Path JAR =
      Path.of(System.getProperty("hotpath.deployable.jar", "target/hotpath-functions.jar"));

  @Test
  void theDeployableJarHoldsNoTestSupportTestFrameworkOrTestClass() throws IOException {
    List<String> classes = classesIn(JAR);
    List<String> offending =
        classes.stream()
            .filter(c -> reasonNotToShip(c) != null)
            .map(c -> c + " (" + reasonNotToShip(c) + ")")
            .toList();
    assertEquals(
        List.of(),
        offending.stream().limit(20).toList(),
        offending.size() + " classes in " + JAR + " that must not be deployed");
  }

  @Test
  void theRuleSeesTheFunctionsAndTheirLibraryInTheJar() throws IOException {
    // Without this, a jar that lost its classes (or a wrong path) would pass the rule above.
    List<String> classes = classesIn(JAR);
    assertTrue(
        classes.contains("dev/hotpath/functions/WriteApi.class"), "WriteApi missing from " + JAR);
    assertTrue(
        classes.stream().anyMatch(c -> c.startsWith("dev/hotpath/shared/")),
        "shared missing from " + JAR);
    assertTrue(
        classes.stream().anyMatch(c -> c.startsWith("com/google/gson/")),
        "gson missing from " + JAR);
  }

  @Test
  void theRuleRecognisesEachKindOfClassThatMustNotShip() {
    assertNotNull(reasonNotToShip("dev/hotpath/testsupport/turn/LocalCoturn.class"));
    assertNotNull(reasonNotToShip("org/junit/jupiter/api/Test.class"));
    assertNotNull(reasonNotToShip("dev/hotpath/shared/json/JsonValuesTest.class"));
    assertNotNull(reasonNotToShip("dev/hotpath/functions/DeployableJarIT.class"));
    assertNull(reasonNotToShip("dev/hotpath/shared/turn/probe/StunUdpProbe.class"));
    assertNull(reasonNotToShip("dev/hotpath/functions/WriteApi$1.class"));
  }

  /** Why {@code classFile} (a path in the jar) must not ship, or null when it may. */
  static String reasonNotToShip(String classFile) {
    for (List<String> rule : FORBIDDEN) {
      if (classFile.startsWith(rule.get(0))) {
        return rule.get(1);
      }
    }
    String simpleName =
        classFile.substring(classFile.lastIndexOf('/') + 1).replaceFirst("[$.].*", "");
    boolean testClass =
        simpleName.endsWith("Test") || simpleName.endsWith("IT") || simpleName.endsWith("Tests");
    if (classFile.startsWith("dev/hotpath/") && testClass) {
      return "a test class";
    }
    return null;
  }

  private static List<String> classesIn(Path jar) throws IOException {
    assertTrue(Files.isRegularFile(jar), jar + " not built (run mvn package first)");
    try (JarFile file = new JarFile(jar.toFile())) {
      // A multi-release jar keeps other versions of a class under META-INF/versions/<n>/.
      return Collections.list(file.entries()).stream()
          .map(ZipEntry::getName)
          .filter(name -> name.endsWith(".class"))
          .map(name -> name.replaceFirst("^META-INF/versions/\\d+/", ""))
          .toList();
    }
  }
}
