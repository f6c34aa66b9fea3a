package dev.hotpath.shared.turn.watchdog;

import dev.hotpath.shared.config.Settings;
import dev.hotpath.shared.turn.config.WatchdogSettings;
import java.time.Duration;
import java.util.Map;

/**
 * Watchdog settings for the restart policy's tests: the defaults with the policy's own tunables set
 * as an operator would set them, and a 4-minute restart lease.
 */
final class PolicySettings {
  static WatchdogSettings of(int downThreshold, Duration cooldown, int restartBudgetPerHour) {
    return WatchdogSettings.fromEnv(
        Map.of(
            Settings.TURN_DOWN_THRESHOLD.name(), Integer.toString(downThreshold),
            Settings.TURN_COOLDOWN_SECONDS.name(), Long.toString(cooldown.toSeconds()),
            Settings.TURN_RESTART_BUDGET_PER_HOUR.name(), Integer.toString(restartBudgetPerHour),
            Settings.TURN_TARGET_TIMEOUT_SECONDS.name(), "240"));
  }

  private PolicySettings() {}
}
