package dev.hotpath.shared.turn.config;

import dev.hotpath.shared.config.Env;
import dev.hotpath.shared.config.Setting;
import dev.hotpath.shared.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The watchdog's tunables (everything but the targets and the key), read from an environment map.
 */
public final class WatchdogSettings {
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
          Settings.TURN_CERT_WARN_DAYS);

  private final int downThreshold;
  private final Duration cooldown;
  private final int restartBudgetPerHour;
  private final int probeAttempts;
  private final Duration probeSpacing;
  private final Duration probeTimeout;
  private final Duration udpRto;
  private final Duration sshConnectTimeout;
  private final Duration sshCommandTimeout;
  private final int sshOutputLimit;
  private final Duration recoveryTimeout;
  private final Duration recoveryInterval;
  private final Duration targetTimeout;
  private final int incidentHistory;
  private final Duration certificateWarning;

  private WatchdogSettings(Builder b) {
    this.downThreshold = b.downThreshold;
    this.cooldown = b.cooldown;
    this.restartBudgetPerHour = b.restartBudgetPerHour;
    this.probeAttempts = b.probeAttempts;
    this.probeSpacing = b.probeSpacing;
    this.probeTimeout = b.probeTimeout;
    this.udpRto = b.udpRto;
    this.sshConnectTimeout = b.sshConnectTimeout;
    this.sshCommandTimeout = b.sshCommandTimeout;
    this.sshOutputLimit = b.sshOutputLimit;
    this.recoveryTimeout = b.recoveryTimeout;
    this.recoveryInterval = b.recoveryInterval;
    this.targetTimeout = b.targetTimeout;
    this.incidentHistory = b.incidentHistory;
    this.certificateWarning = b.certificateWarning;
  }

  /**
   * Reads every tunable from {@code env}, defaulting unset ones; the exception names the setting.
   */
  public static WatchdogSettings fromEnv(Map<String, String> variables) {
    Env env = new Env(variables);
    int day = 86_400;
    int hourMillis = 3_600_000;
    return new Builder()
        .downThreshold(env.integer(Settings.TURN_DOWN_THRESHOLD, 1, 1000))
        .cooldown(Duration.ofSeconds(env.integer(Settings.TURN_COOLDOWN_SECONDS, 0, day)))
        .restartBudgetPerHour(env.integer(Settings.TURN_RESTART_BUDGET_PER_HOUR, 1, 1000))
        .probeAttempts(env.integer(Settings.TURN_PROBE_ATTEMPTS, 1, 100))
        .probeSpacing(env.millis(Settings.TURN_PROBE_SPACING_MS, 0, hourMillis))
        .probeTimeout(env.millis(Settings.TURN_PROBE_TIMEOUT_MS, 1, hourMillis))
        .udpRto(env.millis(Settings.TURN_UDP_RTO_MS, 1, hourMillis))
        .sshConnectTimeout(env.millis(Settings.TURN_SSH_CONNECT_TIMEOUT_MS, 1, hourMillis))
        .sshCommandTimeout(env.millis(Settings.TURN_SSH_COMMAND_TIMEOUT_MS, 1, hourMillis))
        .sshOutputLimit(env.integer(Settings.TURN_SSH_OUTPUT_LIMIT, 1, 1_000_000))
        .recoveryTimeout(
            Duration.ofSeconds(env.integer(Settings.TURN_RECOVERY_TIMEOUT_SECONDS, 0, day)))
        .recoveryInterval(env.millis(Settings.TURN_RECOVERY_INTERVAL_MS, 1, hourMillis))
        .targetTimeout(
            Duration.ofSeconds(env.integer(Settings.TURN_TARGET_TIMEOUT_SECONDS, 1, day)))
        .incidentHistory(env.integer(Settings.TURN_INCIDENT_HISTORY, 1, 1000))
        .certificateWarning(Duration.ofDays(env.integer(Settings.TURN_CERT_WARN_DAYS, 0, 3650)))
        .build();
  }

  /** Every setting at its documented default ({@link Settings}). */
  public static final WatchdogSettings DEFAULTS = defaults();

  private static WatchdogSettings defaults() {
    return fromEnv(Map.of());
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  public Builder toBuilder() {
    return new Builder()
        .downThreshold(downThreshold)
        .cooldown(cooldown)
        .restartBudgetPerHour(restartBudgetPerHour)
        .probeAttempts(probeAttempts)
        .probeSpacing(probeSpacing)
        .probeTimeout(probeTimeout)
        .udpRto(udpRto)
        .sshConnectTimeout(sshConnectTimeout)
        .sshCommandTimeout(sshCommandTimeout)
        .sshOutputLimit(sshOutputLimit)
        .recoveryTimeout(recoveryTimeout)
        .recoveryInterval(recoveryInterval)
        .targetTimeout(targetTimeout)
        .incidentHistory(incidentHistory)
        .certificateWarning(certificateWarning);
  }

  public int downThreshold() {
    return downThreshold;
  }

  public Duration cooldown() {
    return cooldown;
  }

  public int restartBudgetPerHour() {
    return restartBudgetPerHour;
  }

  public int probeAttempts() {
    return probeAttempts;
  }

  public Duration probeSpacing() {
    return probeSpacing;
  }

  public Duration probeTimeout() {
    return probeTimeout;
  }

  public Duration udpRto() {
    return udpRto;
  }

  public Duration sshConnectTimeout() {
    return sshConnectTimeout;
  }

  public Duration sshCommandTimeout() {
    return sshCommandTimeout;
  }

  public int sshOutputLimit() {
    return sshOutputLimit;
  }

  public Duration recoveryTimeout() {
    return recoveryTimeout;
  }

  public Duration recoveryInterval() {
    return recoveryInterval;
  }

  public Duration targetTimeout() {
    return targetTimeout;
  }

  public int incidentHistory() {
    return incidentHistory;
  }

  /** A certificate expiring within this is warned about. */
  public Duration certificateWarning() {
    return certificateWarning;
  }

  public static final class Builder {
    private int downThreshold;
    private Duration cooldown;
    private int restartBudgetPerHour;
    private int probeAttempts;
    private Duration probeSpacing;
    private Duration probeTimeout;
    private Duration udpRto;
    private Duration sshConnectTimeout;
    private Duration sshCommandTimeout;
    private int sshOutputLimit;
    private Duration recoveryTimeout;
    private Duration recoveryInterval;
    private Duration targetTimeout;
    private int incidentHistory;
    private Duration certificateWarning;

    private Builder() {}

    public Builder certificateWarning(Duration v) {
      certificateWarning = v;
      return this;
    }

    public Builder downThreshold(long v) {
      downThreshold = (int) v;
      return this;
    }

    public Builder cooldown(Duration v) {
      cooldown = v;
      return this;
    }

    public Builder restartBudgetPerHour(long v) {
      restartBudgetPerHour = (int) v;
      return this;
    }

    public Builder probeAttempts(long v) {
      probeAttempts = (int) v;
      return this;
    }

    public Builder probeSpacing(Duration v) {
      probeSpacing = v;
      return this;
    }

    public Builder probeTimeout(Duration v) {
      probeTimeout = v;
      return this;
    }

    public Builder udpRto(Duration v) {
      udpRto = v;
      return this;
    }

    public Builder sshConnectTimeout(Duration v) {
      sshConnectTimeout = v;
      return this;
    }

    public Builder sshCommandTimeout(Duration v) {
      sshCommandTimeout = v;
      return this;
    }

    public Builder sshOutputLimit(long v) {
      sshOutputLimit = (int) v;
      return this;
    }

    public Builder recoveryTimeout(Duration v) {
      recoveryTimeout = v;
      return this;
    }

    public Builder recoveryInterval(Duration v) {
      recoveryInterval = v;
      return this;
    }

    public Builder targetTimeout(Duration v) {
      targetTimeout = v;
      return this;
    }

    public Builder incidentHistory(long v) {
      incidentHistory = (int) v;
      return this;
    }

    public WatchdogSettings build() {
      return new WatchdogSettings(this);
    }
  }
}
