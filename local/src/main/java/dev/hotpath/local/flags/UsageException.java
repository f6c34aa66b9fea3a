package dev.hotpath.local.flags;

/** Wrong command-line arguments; the message names the problem and is shown with the usage. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}
