package dev.hotpath.shared.turn.config;

import java.util.Arrays;
import java.util.Optional;

/** How the {@code turn-relay} probe authenticates to a target ({@code TURN_TARGETS[].auth}). */
public enum TurnAuth {
  /**
   * TURN REST API time-limited credentials from {@code TURN_REST_SECRET} (coturn {@code
   * use-auth-secret}).
   */
  REST("rest"),
  /** A fixed long-term user, {@code TURN_USERNAME} / {@code TURN_PASSWORD}. */
  LONG_TERM("long-term");

  private final String configName;

  TurnAuth(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<TurnAuth> byConfigName(String name) {
    return Arrays.stream(values()).filter(a -> a.configName.equals(name)).findFirst();
  }
}
