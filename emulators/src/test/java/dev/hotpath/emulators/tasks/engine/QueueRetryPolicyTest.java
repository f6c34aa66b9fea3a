package dev.hotpath.emulators.tasks.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueRetryPolicyTest {

  @Test
  void backoffNeverOverflowsWithHugeDoublings() {
    QueueRetryPolicy policy =
        new QueueRetryPolicy(-1, Duration.ZERO, Duration.ofMillis(100), Duration.ofHours(1), 1000);
    assertEquals(Duration.ofHours(1), policy.backoff(900));
    assertEquals(Duration.ofMillis(200), policy.backoff(1));
  }

  @Test
  void zeroMinBackoffStaysZero() {
    QueueRetryPolicy policy =
        new QueueRetryPolicy(5, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 16);
    assertEquals(Duration.ZERO, policy.backoff(3));
  }

  @Test
  void unlimitedEverywhereNeverGivesUp() {
    QueueRetryPolicy policy =
        new QueueRetryPolicy(-1, Duration.ZERO, Duration.ofMillis(100), Duration.ofHours(1), 16);
    assertFalse(policy.exhausted(1_000_000, Duration.ofDays(30)));
  }

  @Test
  void aSingleLimitDecidesAlone() {
    assertTrue(
        new QueueRetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1)
            .exhausted(3, Duration.ZERO));
    assertFalse(
        new QueueRetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1)
            .exhausted(2, Duration.ofDays(1)));
    QueueRetryPolicy byTime =
        new QueueRetryPolicy(-1, Duration.ofMinutes(5), Duration.ZERO, Duration.ZERO, 1);
    assertFalse(byTime.exhausted(1000, Duration.ofMinutes(4)));
    assertTrue(byTime.exhausted(1, Duration.ofMinutes(5)));
  }
}
