package dev.hotpath.shared.turn.config;

import java.time.Duration;
import java.util.Map;

/** The watchdog's tunables (everything but the targets and the key), read from an environment map. */
public final class WatchdogSettings {
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
  }

  /** Reads every tunable from {@code env}, defaulting unset ones; the exception names the setting. */
  public static WatchdogSettings fromEnv(Map<String, String> env) throws ConfigException {
    return new Builder()
        .downThreshold(positive(env, TurnSetting.TURN_DOWN_THRESHOLD))
        .cooldown(Duration.ofSeconds(nonNegative(env, TurnSetting.TURN_COOLDOWN_SECONDS)))
        .restartBudgetPerHour(positive(env, TurnSetting.TURN_RESTART_BUDGET_PER_HOUR))
        .probeAttempts(positive(env, TurnSetting.TURN_PROBE_ATTEMPTS))
        .probeSpacing(Duration.ofMillis(nonNegative(env, TurnSetting.TURN_PROBE_SPACING_MS)))
        .probeTimeout(Duration.ofMillis(positive(env, TurnSetting.TURN_PROBE_TIMEOUT_MS)))
        .udpRto(Duration.ofMillis(positive(env, TurnSetting.TURN_UDP_RTO_MS)))
        .sshConnectTimeout(Duration.ofMillis(positive(env, TurnSetting.TURN_SSH_CONNECT_TIMEOUT_MS)))
        .sshCommandTimeout(Duration.ofMillis(positive(env, TurnSetting.TURN_SSH_COMMAND_TIMEOUT_MS)))
        .sshOutputLimit(positive(env, TurnSetting.TURN_SSH_OUTPUT_LIMIT))
        .recoveryTimeout(Duration.ofSeconds(nonNegative(env, TurnSetting.TURN_RECOVERY_TIMEOUT_SECONDS)))
        .recoveryInterval(Duration.ofMillis(positive(env, TurnSetting.TURN_RECOVERY_INTERVAL_MS)))
        .targetTimeout(Duration.ofSeconds(positive(env, TurnSetting.TURN_TARGET_TIMEOUT_SECONDS)))
        .incidentHistory(positive(env, TurnSetting.TURN_INCIDENT_HISTORY))
        .build();
  }

  private static long positive(Map<String, String> env, TurnSetting setting) throws ConfigException {
    long value = nonNegative(env, setting);
    if (value == 0) {
      throw new ConfigException(setting.name(), "must be greater than 0");
    }
    return value;
  }

  private static long nonNegative(Map<String, String> env, TurnSetting setting) throws ConfigException {
    String raw = env.getOrDefault(setting.name(), setting.defaultValue()).trim();
    try {
      long value = Long.parseLong(raw);
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw new ConfigException(setting.name(), "must be from 0 to " + Integer.MAX_VALUE + ", got " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(setting.name(), "must be a whole number, got '" + raw + "'");
    }
  }

  /** Every setting at its documented default ({@link TurnSetting#defaultValue()}). */
  public static final WatchdogSettings DEFAULTS = defaults();

  private static WatchdogSettings defaults() {
    try {
      return fromEnv(Map.of());
    } catch (ConfigException e) {
      throw new IllegalStateException("a TurnSetting default is invalid", e);
    }
  }

  /** A builder starting from {@link #DEFAULTS}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  public Builder toBuilder() {
    return new Builder().downThreshold(downThreshold).cooldown(cooldown).restartBudgetPerHour(restartBudgetPerHour)
        .probeAttempts(probeAttempts).probeSpacing(probeSpacing).probeTimeout(probeTimeout).udpRto(udpRto)
        .sshConnectTimeout(sshConnectTimeout).sshCommandTimeout(sshCommandTimeout).sshOutputLimit(sshOutputLimit)
        .recoveryTimeout(recoveryTimeout).recoveryInterval(recoveryInterval).targetTimeout(targetTimeout)
        .incidentHistory(incidentHistory);
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

    private Builder() {}

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
