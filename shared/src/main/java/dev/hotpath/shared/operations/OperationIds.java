package dev.hotpath.shared.operations;

import dev.hotpath.shared.validation.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Operation ids: 32 lowercase hex digits (128 bits). Without an {@code Idempotency-Key} they are
 * random; with one they are derived from it, so every repeat of the request names the same
 * operation record and the same task. Random or hashed, they scatter over the key space, as
 * Datastore and Cloud Tasks both want of names.
 */
public final class OperationIds {
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7e]+");
  private static final SecureRandom RANDOM = new SecureRandom();

  public static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The id of the operation that {@code idempotencyKey} (1–255 printable ASCII characters) names.
   */
  public static String fromIdempotencyKey(String idempotencyKey) {
    if (idempotencyKey.isEmpty()
        || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH
        || !PRINTABLE_ASCII.matcher(idempotencyKey).matches()) {
      throw new InvalidInputException(
          "Idempotency-Key must be 1 to "
              + MAX_IDEMPOTENCY_KEY_LENGTH
              + " printable ASCII characters without spaces");
    }
    return OperationPayload.sha256(
            ("idempotency-key\u0000" + idempotencyKey).getBytes(StandardCharsets.US_ASCII))
        .substring(0, 32);
  }

  /** Returns {@code id} if it has the form of an operation id, else throws. */
  public static String check(String id) {
    if (!ID.matcher(id).matches()) {
      throw new InvalidInputException(
          "operation id must be 32 lowercase hex digits, got '" + id + "'");
    }
    return id;
  }

  /** The Cloud Tasks task id of the operation: fixed, so Cloud Tasks de-duplicates re-enqueues. */
  public static String taskId(String id) {
    return "op-" + id;
  }

  private OperationIds() {}
}
