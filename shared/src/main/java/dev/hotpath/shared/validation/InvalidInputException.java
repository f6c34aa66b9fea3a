package dev.hotpath.shared.validation;

/**
 * The caller sent something the API refuses; the message names the problem. Nothing was written.
 */
public final class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }
}
