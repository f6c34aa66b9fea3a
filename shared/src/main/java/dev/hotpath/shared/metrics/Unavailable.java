package dev.hotpath.shared.metrics;

/**
 * Why a request was answered 503: the one set of causes, written as the {@code cause} of the
 * request's WARNING record and counted under the same label in the metrics, so a log line and the
 * dashboard's "503s by cause" name a cause the same way.
 */
public enum Unavailable {
  /** Datastore failed or could not be reached until the retry budget ran out. */
  DATASTORE_UNAVAILABLE("datastore_unavailable"),
  /** The write found no shard it could commit to (contention) within its retry budget. */
  RETRY_BUDGET_EXHAUSTED("retry_budget_exhausted"),
  /** Cloud Tasks would not take an operation's task within the retry budget. */
  QUEUE_UNAVAILABLE("queue_unavailable"),
  /** The instance was draining after SIGTERM. */
  SHUTTING_DOWN("shutting_down"),
  /** Operations were asked of a Write API deployed without a queue. */
  OPERATIONS_NOT_CONFIGURED("operations_not_configured"),
  /** Any other 503. */
  OTHER("other");

  private final String label;

  Unavailable(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The cause labelled {@code label}, or {@link #OTHER}. */
  public static Unavailable of(String label) {
    for (Unavailable cause : values()) {
      if (cause.label.equals(label)) {
        return cause;
      }
    }
    return OTHER;
  }
}
