package dev.hotpath.shared.turn.config;

import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The watchdog's tunables (everything but the targets and the key), read from an environment map.
 * {@link #fromEnv} reports a setting out of its range in the setting's name; the constructor keeps
 * any other caller from building settings the watchdog could not run with (no probe, no restart, a
 * negative wait).
 *
 * @param cooldown the least time between two restarts of one target
 * @param targetTimeout the bound on one target's round, which is also its restart lease
 * @param certificateWarning a certificate expiring within this is warned about
 * @param roundsPerMinute rounds one scheduler tick runs, {@link #roundSpacing()} apart
 */
public record WatchdogSettings(
    int downThreshold,
    Duration cooldown,
    int restartBudgetPerHour,
    int probeAttempts,
    Duration probeSpacing,
    Duration probeTimeout,
    Duration udpRto,
    Duration sshConnectTimeout,
    Duration sshCommandTimeout,
    int sshOutputLimit,
    Duration recoveryTimeout,
    Duration recoveryInterval,
    Duration targetTimeout,
    int incidentHistory,
    Duration certificateWarning,
    int roundsPerMinute) {
  /**
   * Most rounds per tick: ten seconds apart still leaves a healthy round (a few seconds) room to
   * end before the next one starts.
   */
  public static final int MAX_ROUNDS_PER_MINUTE = 6;

  /** A tick's period: Cloud Scheduler's finest, one cron minute. */
  public static final Duration TICK_PERIOD = Duration.ofMinutes(1);

  /** Every setting {@link #fromEnv} reads. */
  public static final List<Setting> SETTINGS =
      List.of(
          Settings.TURN_DOWN_THRESHOLD,
          Settings.TURN_COOLDOWN_SECONDS,
          Settings.TURN_RESTART_BUDGET_PER_HOUR,
          Settings.TURN_PROBE_ATTEMPTS,
          Settings.TURN_PROBE_SPACING_MS,
          Settings.TURN_PROBE_TIMEOUT_MS,
          Settings.TURN_UDP_RTO_MS,
          Settings.TURN_SSH_CONNECT_TIMEOUT_MS,
          Settings.TURN_SSH_COMMAND_TIMEOUT_MS,
          Settings.TURN_SSH_OUTPUT_LIMIT,
          Settings.TURN_RECOVERY_TIMEOUT_SECONDS,
          Settings.TURN_RECOVERY_INTERVAL_MS,
          Settings.TURN_TARGET_TIMEOUT_SECONDS,
          Settings.TURN_INCIDENT_HISTORY,
          Settings.TURN_CERT_WARN_DAYS,
          Settings.TURN_ROUNDS_PER_MINUTE);

  /** Every setting at its documented default ({@link Settings}). */
  public static final WatchdogSettings DEFAULTS = fromEnv(Map.of());

  public WatchdogSettings {
    atLeastOne(downThreshold, "downThreshold");
    notNegative(cooldown, "cooldown");
    atLeastOne(restartBudgetPerHour, "restartBudgetPerHour");
    atLeastOne(probeAttempts, "probeAttempts");
    notNegative(probeSpacing, "probeSpacing");
    positive(probeTimeout, "probeTimeout");
    positive(udpRto, "udpRto");
    positive(sshConnectTimeout, "sshConnectTimeout");
    positive(sshCommandTimeout, "sshCommandTimeout");
    atLeastOne(sshOutputLimit, "sshOutputLimit");
    notNegative(recoveryTimeout, "recoveryTimeout");
    positive(recoveryInterval, "recoveryInterval");
    positive(targetTimeout, "targetTimeout");
    atLeastOne(incidentHistory, "incidentHistory");
    notNegative(certificateWarning, "certificateWarning");
    if (roundsPerMinute < 1 || roundsPerMinute > MAX_ROUNDS_PER_MINUTE) {
      throw new IllegalArgumentException(
          "roundsPerMinute must be 1 to " + MAX_ROUNDS_PER_MINUTE + ", got " + roundsPerMinute);
    }
  }

  /** The time from one round of a tick to the next: the minute split evenly. */
  public Duration roundSpacing() {
    return TICK_PERIOD.dividedBy(roundsPerMinute);
  }

  /**
   * The longest one tick's rounds take: the last starts {@code roundsPerMinute - 1} spacings after
   * the tick and may run for the target timeout. A tick's claim must last that long, and the
   * function's timeout must exceed it.
   */
  public Duration tickDuration() {
    return roundSpacing().multipliedBy(roundsPerMinute - 1L).plus(targetTimeout);
  }

  /**
   * Reads every tunable from {@code env}, defaulting unset ones; the exception names the setting.
   */
  public static WatchdogSettings fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    int day = 86_400;
    int hourMillis = 3_600_000;
    return new WatchdogSettings(
        env.integer(Settings.TURN_DOWN_THRESHOLD, 1, 1000),
        Duration.ofSeconds(env.integer(Settings.TURN_COOLDOWN_SECONDS, 0, day)),
        env.integer(Settings.TURN_RESTART_BUDGET_PER_HOUR, 1, 1000),
        env.integer(Settings.TURN_PROBE_ATTEMPTS, 1, 100),
        env.millis(Settings.TURN_PROBE_SPACING_MS, 0, hourMillis),
        env.millis(Settings.TURN_PROBE_TIMEOUT_MS, 1, hourMillis),
        env.millis(Settings.TURN_UDP_RTO_MS, 1, hourMillis),
        env.millis(Settings.TURN_SSH_CONNECT_TIMEOUT_MS, 1, hourMillis),
        env.millis(Settings.TURN_SSH_COMMAND_TIMEOUT_MS, 1, hourMillis),
        env.integer(Settings.TURN_SSH_OUTPUT_LIMIT, 1, 1_000_000),
        Duration.ofSeconds(env.integer(Settings.TURN_RECOVERY_TIMEOUT_SECONDS, 0, day)),
        env.millis(Settings.TURN_RECOVERY_INTERVAL_MS, 1, hourMillis),
        Duration.ofSeconds(env.integer(Settings.TURN_TARGET_TIMEOUT_SECONDS, 1, day)),
        env.integer(Settings.TURN_INCIDENT_HISTORY, 1, 1000),
        Duration.ofDays(env.integer(Settings.TURN_CERT_WARN_DAYS, 0, 3650)),
        env.integer(Settings.TURN_ROUNDS_PER_MINUTE, 1, MAX_ROUNDS_PER_MINUTE));
  }

  private static void atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  private static void notNegative(Duration value, String name) {
    if (Objects.requireNonNull(value, name).isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
  }

  private static void positive(Duration value, String name) {
    notNegative(value, name);
    if (value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
