package dev.hotpath.shared.turn.config;

import dev.hotpath.shared.turn.probe.TurnCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The TURN credentials the {@code turn-relay} probe uses, from Secret Manager in production (empty
 * strings when unset). {@link #toString()} shows none of them.
 */
public record TurnSecrets(String restSecret, String username, String password) {
  /** The user part of REST credentials: what the TURN server's logs show for the watchdog. */
  public static final String REST_USER = "hotpath-watchdog";

  /** How long minted REST credentials stay valid: a round, with room for clock skew. */
  static final Duration REST_VALIDITY = Duration.ofMinutes(10);

  public static final TurnSecrets NONE = new TurnSecrets("", "", "");

  /** Unset is empty, never null: the checks of which targets need which secret test emptiness. */
  public TurnSecrets {
    Objects.requireNonNull(restSecret, "restSecret");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** The credential for {@code auth} as of {@code now}. */
  public TurnCredentials credentials(TurnAuth auth, Instant now) {
    return switch (auth) {
      case REST -> TurnCredentials.rest(restSecret, REST_USER, now.plus(REST_VALIDITY));
      case LONG_TERM -> new TurnCredentials(username, password);
    };
  }

  @Override
  public String toString() {
    return "TurnSecrets{<redacted>}";
  }
}
