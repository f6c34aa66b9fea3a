package dev.hotpath.shared.turn;

import dev.hotpath.testsupport.turn.SystemBinaries;
import java.util.List;
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
    List<String> missing = SystemBinaries.missingForTurnTests();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("coturn and sshd are installed");
    }
    String message =
        "needs "
            + String.join(", ", missing)
            + "; install them with `"
            + SystemBinaries.INSTALL_HINT
            + "`";
    if ("true".equals(System.getenv(REQUIRE_ENV))) {
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
}
