package dev.hotpath.local;

import dev.hotpath.testsupport.SystemTestGate;
import dev.hotpath.testsupport.turn.SystemBinaries;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where Debian's chromium, node and npm are installed; elsewhere skips it
 * with a message, or fails it under {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true} ({@link
 * SystemTestGate}). Use with {@code @ExtendWith(BrowserTests.class)}.
 */
public final class BrowserTests implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> skipped =
        SystemTestGate.skipReason(
            context.getDisplayName(),
            SystemBinaries.missingForBrowserTests(),
            SystemBinaries.BROWSER_INSTALL_HINT);
    if (skipped.isEmpty()) {
      return ConditionEvaluationResult.enabled("chromium, node and npm are installed");
    }
    System.out.println(skipped.get());
    return ConditionEvaluationResult.disabled(skipped.get());
  }

  /** Aborts the test: what it needs failed at run time (e.g. the npm install). */
  static void unavailable(String why) {
    String message = SystemTestGate.unavailable(why);
    System.out.println("SKIPPED: " + why);
    Assumptions.abort(message);
  }
}
