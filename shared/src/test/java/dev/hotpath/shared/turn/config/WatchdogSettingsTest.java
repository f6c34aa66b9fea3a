package dev.hotpath.shared.turn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.shared.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchdogSettingsTest {

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    WatchdogSettings d = WatchdogSettings.DEFAULTS;
    assertEquals(d, WatchdogSettings.fromEnv(Map.of()));
    assertEquals(d, settings(d.probeAttempts(), d.cooldown(), d.probeTimeout()));
  }

  @Test
  void theConstructorRefusesSettingsTheWatchdogCouldNotRunWith() {
    WatchdogSettings d = WatchdogSettings.DEFAULTS;
    assertEquals(
        "probeAttempts must be at least 1, got 0",
        assertThrows(
                IllegalArgumentException.class, () -> settings(0, d.cooldown(), d.probeTimeout()))
            .getMessage());
    assertEquals(
        "cooldown must not be negative, got PT-1S",
        assertThrows(
                IllegalArgumentException.class,
                () -> settings(d.probeAttempts(), Duration.ofSeconds(-1), d.probeTimeout()))
            .getMessage());
    assertEquals(
        "probeTimeout must be positive, got PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> settings(d.probeAttempts(), d.cooldown(), Duration.ZERO))
            .getMessage());
    assertThrows(
        NullPointerException.class, () -> settings(d.probeAttempts(), null, d.probeTimeout()));
  }

  @Test
  void roundsPerMinuteSplitTheMinuteAndLengthenTheTick() {
    WatchdogSettings one = WatchdogSettings.DEFAULTS;
    assertEquals(1, one.roundsPerMinute());
    assertEquals(one.targetTimeout(), one.tickDuration(), "one round: a tick lasts one round");
    WatchdogSettings three = WatchdogSettings.fromEnv(Map.of("TURN_ROUNDS_PER_MINUTE", "3"));
    assertEquals(Duration.ofSeconds(20), three.roundSpacing());
    assertEquals(Duration.ofSeconds(40).plus(three.targetTimeout()), three.tickDuration());
    for (String outOfRange : new String[] {"0", "7"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> WatchdogSettings.fromEnv(Map.of("TURN_ROUNDS_PER_MINUTE", outOfRange)));
      assertTrue(e.getMessage().startsWith("TURN_ROUNDS_PER_MINUTE"), e.getMessage());
    }
  }

  /** The defaults with three tunables replaced. */
  private static WatchdogSettings settings(
      int probeAttempts, Duration cooldown, Duration probeTimeout) {
    WatchdogSettings d = WatchdogSettings.DEFAULTS;
    return new WatchdogSettings(
        d.downThreshold(),
        cooldown,
        d.restartBudgetPerHour(),
        probeAttempts,
        d.probeSpacing(),
        probeTimeout,
        d.udpRto(),
        d.sshConnectTimeout(),
        d.sshCommandTimeout(),
        d.sshOutputLimit(),
        d.recoveryTimeout(),
        d.recoveryInterval(),
        d.targetTimeout(),
        d.incidentHistory(),
        d.certificateWarning(),
        d.roundsPerMinute());
  }
}
