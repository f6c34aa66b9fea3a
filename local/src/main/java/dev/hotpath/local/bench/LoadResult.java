package dev.hotpath.local.bench;

/**
 * What one load run's requests came to.
 *
 * @param offered requests due in the run (open loop: every arrival; closed loop: every request
 *     sent)
 * @param late arrivals not sent because no sender was free in time (open loop only)
 * @param acknowledged requests answered with success
 * @param unavailable requests answered 503
 * @param failed requests answered with another error, or not at all
 * @param seconds the run's length, until the last answer
 * @param latency of acknowledged requests (open loop: from when each was due, so waiting for a
 *     sender counts)
 */
record LoadResult(
    long offered,
    long late,
    long acknowledged,
    long unavailable,
    long failed,
    double seconds,
    Percentiles latency) {

  long errors() {
    return unavailable + failed;
  }

  double perSecond() {
    return acknowledged / seconds;
  }

  /** Errors among the answered requests. */
  double errorRate() {
    long answered = acknowledged + errors();
    return answered == 0 ? 0 : (double) errors() / answered;
  }

  /** Acknowledged among the offered requests, late ones included. */
  double acknowledgedShare() {
    return offered == 0 ? 0 : (double) acknowledged / offered;
  }
}
