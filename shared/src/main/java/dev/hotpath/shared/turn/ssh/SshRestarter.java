package dev.hotpath.shared.turn.ssh;

import java.io.IOException;
import java.time.Duration;
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

  private final KeyProvider key;
  private final Duration connectTimeout;
  private final Duration commandTimeout;
  private final int outputLimit;

  /**
   * @param privateKey the private key in OpenSSH or PEM format (never logged)
   * @throws IllegalArgumentException when the key cannot be read; the message names no key bytes
   */
  public SshRestarter(String privateKey, Duration connectTimeout, Duration commandTimeout, int outputLimit) {
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
      throw new IllegalArgumentException("is not a readable unencrypted SSH private key ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  public RestartResult restart(SshTarget target) {
    long start = System.nanoTime();
    PinnedHostKeyVerifier verifier = new PinnedHostKeyVerifier(target.hostKeyFingerprint());
    try (SSHClient ssh = new SSHClient()) {
      ssh.addHostKeyVerifier(verifier);
      ssh.setConnectTimeout(millis(connectTimeout));
      ssh.setTimeout(millis(connectTimeout.plus(commandTimeout)));
      try {
        ssh.connect(target.host(), target.port());
      } catch (IOException e) {
        if (verifier.rejected().isPresent()) {
          String detail = "host key " + verifier.rejected().get() + " is not the pinned "
              + target.hostKeyFingerprint() + "; refused, nothing run";
          LOG.warning(() -> "SSH " + target.host() + ":" + target.port() + ": " + detail);
          return result(RestartResult.Status.HOST_KEY_MISMATCH, null, "", detail, start);
        }
        return result(RestartResult.Status.CONNECT_FAILED, null, "", "connect failed: " + e.getMessage(), start);
      }
      try {
        ssh.authPublickey(target.user(), key);
      } catch (UserAuthException e) {
        return result(RestartResult.Status.AUTH_FAILED, null, "",
            "user " + target.user() + " not accepted with the configured key", start);
      }
      return execute(ssh, target.restartCommand(), start);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "SSH to " + target.host() + " failed", e);
      return result(RestartResult.Status.CONNECT_FAILED, null, "", "SSH error: " + e.getMessage(), start);
    }
  }

  private RestartResult execute(SSHClient ssh, String command, long start) throws IOException {
    Session session = ssh.startSession();
    Session.Command cmd = session.exec(command);
    BoundedCapture out = new BoundedCapture(cmd.getInputStream(), outputLimit, "ssh-stdout");
    BoundedCapture err = new BoundedCapture(cmd.getErrorStream(), outputLimit, "ssh-stderr");
    try {
      cmd.join(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ConnectionException e) {
      // Keep what it printed so far, then drop the connection instead of closing the channel
      // politely, which would wait for the hung command to end.
      String partial = combined(out, err, false);
      ssh.disconnect();
      return result(RestartResult.Status.COMMAND_TIMEOUT, null, partial,
          "command did not finish within " + commandTimeout.toMillis() + " ms", start);
    }
    session.close();
    Integer exit = cmd.getExitStatus();
    String detail = exit != null ? "command exited " + exit
        : "command ended without exit status" + (cmd.getExitSignal() != null ? " (signal " + cmd.getExitSignal() + ")" : "");
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
    return new RestartResult(status, exit, output, detail, Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private static int millis(Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }
}
