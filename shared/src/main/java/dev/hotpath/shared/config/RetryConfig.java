package dev.hotpath.shared.config;

import dev.hotpath.shared.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Reads a {@link RetryPolicy}: the backoff every writer shares, within a budget each names (the
 * Write API's {@link Settings#RETRY_BUDGET_MS}, the worker's {@link
 * Settings#OPERATION_RETRY_BUDGET_MS}).
 */
public final class RetryConfig {
  /** Every setting {@link #from} reads besides the budget's. */
  public static final List<Setting> SETTINGS =
      List.of(Settings.RETRY_INITIAL_BACKOFF_MS, Settings.RETRY_MAX_BACKOFF_MS);

  public static RetryPolicy from(Env env, Setting budget) {
    int initialMillis = env.integer(Settings.RETRY_INITIAL_BACKOFF_MS, 0, 60_000);
    // The cap's lower bound is the first backoff, so a cap below it is refused naming the variable
    // (RetryPolicy's own check could only say which field).
    return new RetryPolicy(
        Duration.ofMillis(initialMillis),
        env.millis(Settings.RETRY_MAX_BACKOFF_MS, initialMillis, 600_000),
        env.millis(budget, 1, 600_000));
  }

  private RetryConfig() {}
}
