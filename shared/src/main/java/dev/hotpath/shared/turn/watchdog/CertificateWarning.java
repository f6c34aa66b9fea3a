package dev.hotpath.shared.turn.watchdog;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one rule for warning about a TLS certificate: within {@code TURN_CERT_WARN_DAYS} of its
 * expiry, or past it.
 */
final class CertificateWarning {

  static Optional<String> of(Optional<Instant> expiry, Instant now, Duration window) {
    if (expiry.isEmpty() || expiry.get().isAfter(now.plus(window))) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, expiry.get());
    return Optional.of(
        left.isNegative()
            ? "TLS certificate expired at " + expiry.get()
            : "TLS certificate expires at "
                + expiry.get()
                + " (in "
                + left.toDays()
                + " days "
                + left.toHoursPart()
                + " hours)");
  }

  private CertificateWarning() {}
}
