package dev.hotpath.testsupport;

import java.util.List;
import java.util.Optional;

/**
 * The rule for tests that need programs of this machine (coturn, sshd, chromium, node, npm): where
 * one is missing the test is skipped with a message saying what to install, unless {@code
 * HOTPATH_REQUIRE_SYSTEM_TESTS=true} (set by CI), where it fails instead. Free of JUnit, so that
 * each test module adapts it in a few lines (an {@code ExecutionCondition}, an abort).
 */
public final class SystemTestGate {
  public static final String REQUIRE_ENV = "HOTPATH_REQUIRE_SYSTEM_TESTS";

  /**
   * Why {@code test} cannot run here, if anything is {@code missing}; under {@code
   * HOTPATH_REQUIRE_SYSTEM_TESTS=true} that is an {@link IllegalStateException} instead.
   */
  public static Optional<String> skipReason(String test, List<String> missing, String installHint) {
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    String message =
        "needs " + String.join(", ", missing) + "; install them with `" + installHint + "`";
    if (required()) {
      throw new IllegalStateException(REQUIRE_ENV + "=true but this test " + message);
    }
    return Optional.of(
        "SKIPPED "
            + test
            + ": "
            + message
            + " (with "
            + REQUIRE_ENV
            + "=true, as CI sets it, this is a failure)");
  }

  /**
   * For what only shows at run time (an npm install that failed): the message to abort the test
   * with; under {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true} an {@link IllegalStateException}.
   */
  public static String unavailable(String why) {
    if (required()) {
      throw new IllegalStateException(REQUIRE_ENV + "=true but " + why);
    }
    return why + " (with " + REQUIRE_ENV + "=true, as CI sets it, this is a failure)";
  }

  private static boolean required() {
    return "true".equals(System.getenv(REQUIRE_ENV));
  }

  private SystemTestGate() {}
}
