package dev.hotpath.local.stack;

/**
 * Something the local stack cannot start with — a setting of a function, a port in use, a file —
 * whose message names the culprit and what would be accepted. The command prints the message (no
 * stack trace, no banner) and exits non-zero.
 */
public final class StartupException extends Exception {
  public StartupException(String message) {
    super(message);
  }
}
