package dev.hotpath.shared.turn;

import dev.hotpath.testsupport.turn.SystemBinaries;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * As {@link SystemTests}, for tests that also drive Debian's Chromium from Node: runs only where
 * coturn, sshd, chromium, node and npm are installed; skips with a message elsewhere, fails under
 * {@code HOTPATH_REQUIRE_SYSTEM_TESTS=true}.
 */
public final class BrowserTests implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<String> missing = new ArrayList<>(SystemBinaries.missingForTurnTests());
    missing.addAll(SystemBinaries.missingForBrowserTests());
    return SystemTests.require(
        context,
        missing,
        SystemBinaries.INSTALL_HINT + " && " + SystemBinaries.BROWSER_INSTALL_HINT);
  }
}
