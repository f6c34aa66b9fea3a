package dev.hotpath.local.bench;

/** How one benchmark request ended. */
enum LoadOutcome {
  /** Answered with the success status: the write is durable. */
  ACKNOWLEDGED,
  /** Answered 503: the service shed the request (e.g. its retry budget ran out). */
  UNAVAILABLE,
  /** Any other error status, or no answer at all (timeout, refused connection). */
  FAILED;

  /** The outcome of an HTTP answer with {@code status}, where {@code success} acknowledges. */
  static LoadOutcome of(int status, int success) {
    if (status == success) {
      return ACKNOWLEDGED;
    }
    return status == 503 ? UNAVAILABLE : FAILED;
  }
}
