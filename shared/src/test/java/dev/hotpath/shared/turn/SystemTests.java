package dev.hotpath.shared.turn;

import dev.hotpath.testsupport.turn.SystemBinaries;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where coturn and sshd are installed. Elsewhere the class is skipped with a
 * message saying what to install, unless {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true} (set by CI),
 * where a missing program fails the build instead. Use with {@code @ExtendWith(SystemTests.class)}.
 */
public final class SystemTests implements ExecutionCondition {
  public static final String REQUIRE_ENV = "HOTPATH_REQUIRE_SYSTEM_TESTS";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return require(context, SystemBinaries.missingForTurnTests(), SystemBinaries.INSTALL_HINT);
  }

  /**
   * Enabled when nothing is {@code missing}; else skipped with a message naming it and {@code
   * installHint}, or failed under {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true}.
   */
  static ConditionEvaluationResult require(
      ExtensionContext context, List<String> missing, String installHint) {
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("the programs it needs are installed");
    }
    String message =
        "needs " + String.join(", ", missing) + "; install them with `" + installHint + "`";
    if (required()) {
      throw new IllegalStateException(REQUIRE_ENV + "=true but this test " + message);
    }
    String skipped =
        "SKIPPED "
            + context.getDisplayName()
            + ": "
            + message
            + " (with "
            + REQUIRE_ENV
            + "=true, as CI sets it, this is a failure)";
    System.out.println(skipped);
    return ConditionEvaluationResult.disabled(skipped);
  }

  /**
   * For what only shows at run time (an npm install that failed): aborts the test with {@code why},
   * or fails it under {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true}.
   */
  public static void unavailable(String why) {
    if (required()) {
      throw new IllegalStateException(REQUIRE_ENV + "=true but " + why);
    }
    System.out.println("SKIPPED: " + why);
    Assumptions.abort(why + " (with " + REQUIRE_ENV + "=true, as CI sets it, this is a failure)");
  }

  private static boolean required() {
    return "true".equals(System.getenv(REQUIRE_ENV));
  }
}
