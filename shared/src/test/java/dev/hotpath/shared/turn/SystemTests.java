package dev.hotpath.shared.turn;

import dev.hotpath.testsupport.SystemTestGate;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.util.List;
import java.util.Optional;
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
  public static final String REQUIRE_ENV = SystemTestGate.REQUIRE_ENV;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return require(context, SystemBinaries.missingForTurnTests(), SystemBinaries.INSTALL_HINT);
  }

  /**
   * Enabled when nothing is {@code missing}; else skipped with a message naming it and {@code
   * installHint}, or failed under {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true} ({@link
   * SystemTestGate}).
   */
  static ConditionEvaluationResult require(
      ExtensionContext context, List<String> missing, String installHint) {
    Optional<String> skipped =
        SystemTestGate.skipReason(context.getDisplayName(), missing, installHint);
    if (skipped.isEmpty()) {
      return ConditionEvaluationResult.enabled("the programs it needs are installed");
    }
    System.out.println(skipped.get());
    return ConditionEvaluationResult.disabled(skipped.get());
  }

  /**
   * For what only shows at run time (an npm install that failed): aborts the test with {@code why},
   * or fails it under {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true}.
   */
  public static void unavailable(String why) {
    String message = SystemTestGate.unavailable(why);
    System.out.println("SKIPPED: " + why);
    Assumptions.abort(message);
  }
}
