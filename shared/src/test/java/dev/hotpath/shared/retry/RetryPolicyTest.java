package dev.hotpath.shared.retry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(80), Duration.ofSeconds(1));

  @Test
  void backoffIsJitteredBelowADoublingCeilingThatIsCapped() {
    Random random = new Random(7);
    long[] ceilings = {10, 20, 40, 80, 80, 80};
    for (int retry = 1; retry <= ceilings.length; retry++) {
      Set<Duration> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        Duration pause = policy.backoff(retry, random);
        assertTrue(
            !pause.isNegative() && pause.toMillis() <= ceilings[retry - 1], retry + ": " + pause);
        seen.add(pause);
      }
      assertTrue(seen.size() > 50, "jittered, not fixed: " + seen.size());
    }
  }

  @Test
  void refusesRetryZeroAndABackoffAboveItsCap() {
    assertThrows(IllegalArgumentException.class, () -> policy.backoff(0, new Random()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(10)));
  }
}
