package dev.hotpath.shared.turn.config;

import java.util.Arrays;
import java.util.List;

/**
 * Every environment setting the TURN watchdog reads: the one list that deployment (Terraform) and
 * the docs must match. Defaults are what an unset setting means; null marks a required setting.
 */
public enum TurnSetting {
  TURN_TARGETS(null, "JSON list of targets (see the target fields)"),
  TURN_SSH_PRIVATE_KEY(null, "private key for SSH restarts, OpenSSH or PEM, unencrypted; from Secret Manager, never logged"),
  TURN_DOWN_THRESHOLD("2", "consecutive down rounds before a restart"),
  TURN_COOLDOWN_SECONDS("300", "no second restart of a target within this time after one"),
  TURN_RESTART_BUDGET_PER_HOUR("3", "restarts per target in any hour before it is GIVEN_UP"),
  TURN_PROBE_ATTEMPTS("3", "tries per probe per round; the probe fails only if all fail"),
  TURN_PROBE_SPACING_MS("1000", "pause between a probe's tries"),
  TURN_PROBE_TIMEOUT_MS("2000", "bound on one try (for UDP: the whole retransmission run)"),
  TURN_UDP_RTO_MS("500", "initial STUN-over-UDP retransmission timeout (RFC 5389 RTO)"),
  TURN_SSH_CONNECT_TIMEOUT_MS("10000", "SSH connect and handshake timeout"),
  TURN_SSH_COMMAND_TIMEOUT_MS("60000", "how long the restart command may run"),
  TURN_SSH_OUTPUT_LIMIT("2000", "characters of command output kept in the incident"),
  TURN_RECOVERY_TIMEOUT_SECONDS("90", "after a restart, re-probe this long before STILL_DOWN"),
  TURN_RECOVERY_INTERVAL_MS("2000", "pause between re-probes after a restart"),
  TURN_TARGET_TIMEOUT_SECONDS("240", "bound on one target's whole round; also the restart lease"),
  TURN_INCIDENT_HISTORY("20", "incidents per target returned by GET");

  private final String defaultValue;
  private final String description;

  TurnSetting(String defaultValue, String description) {
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The default, or null when the setting is required. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
