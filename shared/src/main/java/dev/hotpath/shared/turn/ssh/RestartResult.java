package dev.hotpath.shared.turn.ssh;

import java.time.Duration;
import java.util.Optional;

/** What happened when the watchdog tried to run the restart command over SSH. */
public final class RestartResult {

  /** How far the attempt got. Only {@link #EXECUTED} means the command ran. */
  public enum Status {
    /** The command ran to its end; see the exit status. */
    EXECUTED,
    /** The server's host key is not the pinned one: we disconnected and ran nothing. */
    HOST_KEY_MISMATCH,
    /** The server refused our key. */
    AUTH_FAILED,
    /** No SSH connection (refused, unreachable, connect timeout, protocol error). */
    CONNECT_FAILED,
    /** The command outlived the command timeout and was killed on the host (it is gone). */
    COMMAND_KILLED,
    /**
     * The command was started but no exit status came back, even past the kill: it may still run.
     */
    COMMAND_TIMEOUT
  }

  private final Status status;
  private final Integer exitStatus;
  private final String output;
  private final String detail;
  private final Duration elapsed;

  public RestartResult(
      Status status, Integer exitStatus, String output, String detail, Duration elapsed) {
    this.status = status;
    this.exitStatus = exitStatus;
    this.output = output;
    this.detail = detail;
    this.elapsed = elapsed;
  }

  /** True when the command ran and exited 0. */
  public boolean succeeded() {
    return status == Status.EXECUTED && exitStatus != null && exitStatus == 0;
  }

  /**
   * False only when the command may still be running on the host: the restart lease must then be
   * kept until its own bound, so no second restart overlaps it.
   */
  public boolean commandEnded() {
    return status != Status.COMMAND_TIMEOUT;
  }

  public Status status() {
    return status;
  }

  public Optional<Integer> exitStatus() {
    return Optional.ofNullable(exitStatus);
  }

  /** The command's stdout and stderr, truncated to the configured limit. */
  public String output() {
    return output;
  }

  /** A one-line explanation, e.g. the presented fingerprint on a mismatch. */
  public String detail() {
    return detail;
  }

  public Duration elapsed() {
    return elapsed;
  }

  @Override
  public String toString() {
    return status + exitStatus().map(s -> " exit " + s).orElse("") + ": " + detail;
  }
}
