package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.DatastoreException;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.Locale;
import java.util.Set;

/**
 * Sorts a failed Datastore call by what it says about the write. The client is built without
 * retries, so every failure arrives here once and the caller's retry policy decides.
 */
public final class DatastoreFailures {
  private static final Set<String> NOT_APPLIED =
      Set.of("ABORTED", "RESOURCE_EXHAUSTED", "ALREADY_EXISTS");
  private static final Set<String> PERMANENT =
      Set.of(
          "INVALID_ARGUMENT",
          "FAILED_PRECONDITION",
          "NOT_FOUND",
          "PERMISSION_DENIED",
          "UNAUTHENTICATED",
          "OUT_OF_RANGE",
          "UNIMPLEMENTED");

  public static WriteFailure classify(DatastoreException e) {
    String reason = e.getReason() == null ? "" : e.getReason();
    WriteFailure.Kind kind;
    if (isContention(e)) {
      kind = WriteFailure.Kind.CONTENDED;
    } else if (NOT_APPLIED.contains(reason)) {
      kind = WriteFailure.Kind.NOT_APPLIED;
    } else if (PERMANENT.contains(reason)) {
      kind = WriteFailure.Kind.PERMANENT;
    } else {
      // UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, I/O errors: the commit may have landed.
      kind = WriteFailure.Kind.OUTCOME_UNKNOWN;
    }
    String message = (reason.isEmpty() ? "I/O" : reason) + ": " + e.getMessage();
    if (reason.equals("INVALID_ARGUMENT")) {
      // Datastore refused what the caller sent (e.g. an entity over its size limit): tell them.
      InvalidInputException refused =
          new InvalidInputException("Datastore refused the write: " + e.getMessage());
      refused.initCause(e);
      return new WriteFailure(kind, message, refused);
    }
    return new WriteFailure(kind, message, e);
  }

  /**
   * True for contention: another writer got to the entity first. Datastore says so in the message
   * ("too much contention on these datastore entities"; Firestore: "Too much contention on these
   * documents"); other ABORTED answers, such as the Firestore emulator's "Transaction lock
   * timeout", say nothing about other writers and must not grow shard counts.
   */
  public static boolean isContention(DatastoreException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return "ABORTED".equals(e.getReason())
        && message.toLowerCase(Locale.ROOT).contains("contention");
  }

  private DatastoreFailures() {}
}
