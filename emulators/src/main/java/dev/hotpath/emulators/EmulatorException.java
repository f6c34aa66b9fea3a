package dev.hotpath.emulators;

import com.google.rpc.Code;

/**
 * A failure the emulator answers with: a canonical gRPC code and a message naming the problem. The
 * engine throws it; the HTTP edge maps it to a {@code google.rpc.Status} body with the matching
 * HTTP status.
 */
public final class EmulatorException extends RuntimeException {
  private final Code code;

  public EmulatorException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public Code code() {
    return code;
  }

  public static EmulatorException invalidArgument(String message) {
    return new EmulatorException(Code.INVALID_ARGUMENT, message);
  }
}
