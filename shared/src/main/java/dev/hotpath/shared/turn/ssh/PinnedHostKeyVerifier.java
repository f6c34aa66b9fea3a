package dev.hotpath.shared.turn.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Accepts exactly one host key: the one whose SHA-256 fingerprint was pinned in the configuration.
 * Remembers what the server presented on a mismatch, so the refusal can be recorded precisely. One
 * instance per connection.
 */
final class PinnedHostKeyVerifier implements HostKeyVerifier {
  private final HostKeyFingerprint pinned;
  private volatile HostKeyFingerprint rejected;

  PinnedHostKeyVerifier(HostKeyFingerprint pinned) {
    this.pinned = pinned;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    HostKeyFingerprint presented = HostKeyFingerprint.of(key);
    if (presented.equals(pinned)) {
      return true;
    }
    rejected = presented;
    return false;
  }

  /** No known_hosts file: we do not steer algorithm negotiation. */
  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return List.of();
  }

  /** The fingerprint the server presented, when it was not the pinned one. */
  Optional<HostKeyFingerprint> rejected() {
    return Optional.ofNullable(rejected);
  }
}
