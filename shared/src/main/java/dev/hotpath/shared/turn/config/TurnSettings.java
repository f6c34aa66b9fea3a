package dev.hotpath.shared.turn.config;

import dev.hotpath.shared.config.Setting;
import java.util.List;

/**
 * Every environment variable the TURN watchdog reads besides the shared Datastore ones ({@code
 * DatastoreConfig}): deployment sets exactly these. An empty default marks a required setting.
 */
public final class TurnSettings {
  public static final Setting TARGETS =
      new Setting("TURN_TARGETS", "", "JSON list of targets (see the target fields); required");
  public static final Setting SSH_PRIVATE_KEY = new Setting("TURN_SSH_PRIVATE_KEY", "",
      "private key for SSH restarts, OpenSSH or PEM, unencrypted; from Secret Manager, never logged; required");
  public static final Setting DOWN_THRESHOLD =
      new Setting("TURN_DOWN_THRESHOLD", "2", "consecutive down rounds before a restart");
  public static final Setting COOLDOWN_SECONDS =
      new Setting("TURN_COOLDOWN_SECONDS", "300", "no second restart of a target within this time after one");
  public static final Setting RESTART_BUDGET_PER_HOUR =
      new Setting("TURN_RESTART_BUDGET_PER_HOUR", "3", "restarts per target in any hour before it is GIVEN_UP");
  public static final Setting PROBE_ATTEMPTS =
      new Setting("TURN_PROBE_ATTEMPTS", "3", "tries per probe per round; the probe fails only if all fail");
  public static final Setting PROBE_SPACING_MS =
      new Setting("TURN_PROBE_SPACING_MS", "1000", "pause between a probe's tries");
  public static final Setting PROBE_TIMEOUT_MS =
      new Setting("TURN_PROBE_TIMEOUT_MS", "2000", "bound on one try (for UDP: the whole retransmission run)");
  public static final Setting UDP_RTO_MS =
      new Setting("TURN_UDP_RTO_MS", "500", "initial STUN-over-UDP retransmission timeout (RFC 5389 RTO)");
  public static final Setting SSH_CONNECT_TIMEOUT_MS =
      new Setting("TURN_SSH_CONNECT_TIMEOUT_MS", "10000", "SSH connect and handshake timeout");
  public static final Setting SSH_COMMAND_TIMEOUT_MS =
      new Setting("TURN_SSH_COMMAND_TIMEOUT_MS", "60000", "how long the restart command may run");
  public static final Setting SSH_OUTPUT_LIMIT =
      new Setting("TURN_SSH_OUTPUT_LIMIT", "2000", "characters of command output kept in the incident");
  public static final Setting RECOVERY_TIMEOUT_SECONDS =
      new Setting("TURN_RECOVERY_TIMEOUT_SECONDS", "90", "after a restart, re-probe this long before STILL_DOWN");
  public static final Setting RECOVERY_INTERVAL_MS =
      new Setting("TURN_RECOVERY_INTERVAL_MS", "2000", "pause between re-probes after a restart");
  public static final Setting TARGET_TIMEOUT_SECONDS = new Setting("TURN_TARGET_TIMEOUT_SECONDS", "240",
      "bound on one target's whole round, and the restart lease; keep it below the function timeout");
  public static final Setting INCIDENT_HISTORY =
      new Setting("TURN_INCIDENT_HISTORY", "20", "incidents per target returned by GET");

  /** Every TURN setting, in the order the README's configuration table lists them. */
  public static final List<Setting> ALL = List.of(TARGETS, SSH_PRIVATE_KEY, DOWN_THRESHOLD, COOLDOWN_SECONDS,
      RESTART_BUDGET_PER_HOUR, PROBE_ATTEMPTS, PROBE_SPACING_MS, PROBE_TIMEOUT_MS, UDP_RTO_MS,
      SSH_CONNECT_TIMEOUT_MS, SSH_COMMAND_TIMEOUT_MS, SSH_OUTPUT_LIMIT, RECOVERY_TIMEOUT_SECONDS,
      RECOVERY_INTERVAL_MS, TARGET_TIMEOUT_SECONDS, INCIDENT_HISTORY);

  private TurnSettings() {}
}
