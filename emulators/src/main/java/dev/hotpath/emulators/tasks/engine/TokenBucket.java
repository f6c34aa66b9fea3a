package dev.hotpath.emulators.tasks.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The token bucket behind {@code max_dispatches_per_second}; not thread-safe (the queue's lock
 * guards it).
 */
final class TokenBucket {
  private double perSecond;
  private int capacity;
  private double tokens;
  private Instant refilledAt;

  TokenBucket(double perSecond, int capacity, Instant now) {
    this.perSecond = perSecond;
    this.capacity = capacity;
    this.tokens = capacity;
    this.refilledAt = now;
  }

  /** A queue update changes the rate; tokens already earned stay, up to the new capacity. */
  void reconfigure(double newPerSecond, int newCapacity, Instant now) {
    refill(now);
    perSecond = newPerSecond;
    capacity = newCapacity;
    tokens = Math.min(tokens, capacity);
  }

  /** Takes one token if there is one. */
  boolean tryTake(Instant now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** How long until the next token, from {@code now}. */
  Duration untilNextToken(Instant now) {
    refill(now);
    double missing = Math.max(0, 1 - tokens);
    return Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9));
  }

  private void refill(Instant now) {
    if (now.isAfter(refilledAt)) {
      double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
      tokens = Math.min(capacity, tokens + seconds * perSecond);
      refilledAt = now;
    }
  }
}
