package dev.hotpath.shared.turn.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * Runs a target's restart command over SSH with sshj: public-key authentication only, the host key
 * checked against the pinned fingerprint before anything else, connect and command timeouts, exit
 * status and truncated output captured. Never throws for what the remote side does; every outcome
 * is a {@link RestartResult}. Thread-safe: one connection per call.
 */
public final class SshRestarter {
  private static final Logger LOG = Logger.getLogger(SshRestarter.class.getName());

  /** After the host's timeout sends TERM, how long before it sends KILL. */
  private static final Duration KILL_AFTER = Duration.ofSeconds(2);

  /** How long past the host's kill we still wait for the exit status to reach us. */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

  /**
   * GNU timeout's exit status when it killed the command: TERM (124) or, with --kill-after, KILL
   * (128 + 9).
   */
  private static final Set<Integer> KILLED_BY_TIMEOUT = Set.of(124, 137);

  private final KeyProvider key;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final int outputLimit;

  /**
   * @param privateKey the private key in OpenSSH or PEM format (never logged)
   * @throws IllegalArgumentException when the key cannot be read; the message names no key bytes
   */
  public SshRestarter(
      String privateKey, Duration connectTimeout, Duration commandTimeout, int outputLimit) {
    this.key = parseKey(privateKey);
    this.connectTimeout = connectTimeout;
    this.commandTimeout = commandTimeout;
    this.outputLimit = outputLimit;
  }

  private static KeyProvider parseKey(String privateKey) {
    try (SSHClient parser = new SSHClient()) {
      KeyProvider provider = parser.loadKeys(privateKey, null, null);
      provider.getPrivate(); // parse now, so a bad key fails at start-up rather than mid-incident
      return provider;
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "is not a readable unencrypted SSH private key (" + e.getClass().getSimpleName() + ")");
    }
  }

  public RestartResult restart(SshTarget target) {
    long start = System.nanoTime();
    PinnedHostKeyVerifier verifier = new PinnedHostKeyVerifier(target.hostKeyFingerprint());
    try (SSHClient ssh = new SSHClient()) {
      ssh.addHostKeyVerifier(verifier);
      ssh.setConnectTimeout(millis(connectTimeout));
      ssh.setTimeout(millis(connectTimeout.plus(longestCommandWait(commandTimeout))));
      try {
        ssh.connect(target.host(), target.port());
      } catch (IOException e) {
        if (verifier.rejected().isPresent()) {
          String detail =
              "host key "
                  + verifier.rejected().get()
                  + " is not the pinned "
                  + target.hostKeyFingerprint()
                  + "; refused, nothing run";
          LOG.warning(() -> "SSH " + target.host() + ":" + target.port() + ": " + detail);
          return result(RestartResult.Status.HOST_KEY_MISMATCH, null, "", detail, start);
        }
        return result(
            RestartResult.Status.CONNECT_FAILED,
            null,
            "",
            "connect failed: " + e.getMessage(),
            start);
      }
      try {
        ssh.authPublickey(target.user(), key);
      } catch (UserAuthException e) {
        return result(
            RestartResult.Status.AUTH_FAILED,
            null,
            "",
            "user " + target.user() + " not accepted with the configured key",
            start);
      }
      return execute(ssh, target.restartCommand(), start);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "SSH to " + target.host() + " failed", e);
      return result(
          RestartResult.Status.CONNECT_FAILED, null, "", "SSH error: " + e.getMessage(), start);
    }
  }

  /**
   * How long a restart command can keep us waiting: its timeout, the host's TERM-to-KILL delay and
   * the time for the exit status to arrive. A round must allow for it.
   */
  public static Duration longestCommandWait(Duration commandTimeout) {
    return commandTimeout.plus(KILL_AFTER).plus(ANSWER_GRACE);
  }

  /**
   * The command as run on the host: under coreutils {@code timeout}, which signals the command's
   * whole process group when it outlives {@code timeout} (TERM, then KILL), so a hung restart
   * script and its children are gone when we hear back. Closing the channel alone leaves them
   * running, and a later restart would overlap them.
   */
  static String underTimeout(String command, Duration timeout) {
    return String.format(
        Locale.ROOT,
        "timeout --kill-after=%ds %.3fs sh -c %s",
        KILL_AFTER.toSeconds(),
        timeout.toMillis() / 1000.0,
        shellQuoted(command));
  }

  private static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private RestartResult execute(SSHClient ssh, String command, long start) throws IOException {
    Session session = ssh.startSession();
    Session.Command cmd = session.exec(underTimeout(command, commandTimeout));
    BoundedCapture out = new BoundedCapture(cmd.getInputStream(), outputLimit, "ssh-stdout");
    BoundedCapture err = new BoundedCapture(cmd.getErrorStream(), outputLimit, "ssh-stderr");
    try {
      cmd.join(longestCommandWait(commandTimeout).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ConnectionException e) {
      // No exit status even after the host's timeout should have killed it (no coreutils timeout
      // there, or the connection hangs): it may still run. Keep what it printed, drop the
      // connection rather than wait for a polite channel close.
      String partial = combined(out, err, false);
      ssh.disconnect();
      return result(
          RestartResult.Status.COMMAND_TIMEOUT,
          null,
          partial,
          "no exit status within "
              + longestCommandWait(commandTimeout).toMillis()
              + " ms; the command may still run on the host",
          start);
    }
    session.close();
    Integer exit = cmd.getExitStatus();
    if (exit != null && KILLED_BY_TIMEOUT.contains(exit)) {
      return result(
          RestartResult.Status.COMMAND_KILLED,
          exit,
          combined(out, err, true),
          "command outlived its " + commandTimeout.toMillis() + " ms and was killed on the host",
          start);
    }
    String detail =
        exit != null
            ? "command exited " + exit
            : "command ended without exit status"
                + (cmd.getExitSignal() != null ? " (signal " + cmd.getExitSignal() + ")" : "");
    return result(RestartResult.Status.EXECUTED, exit, combined(out, err, true), detail, start);
  }

  private String combined(BoundedCapture out, BoundedCapture err, boolean ended) {
    try {
      String text = out.text(ended);
      String errors = err.text(ended);
      String all = errors.isEmpty() ? text : text + (text.isEmpty() ? "" : "\n") + errors;
      return all.length() > outputLimit ? all.substring(0, outputLimit) + "…" : all;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static RestartResult result(
      RestartResult.Status status, Integer exit, String output, String detail, long startNanos) {
    return new RestartResult(
        status, exit, output, detail, Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }
}
