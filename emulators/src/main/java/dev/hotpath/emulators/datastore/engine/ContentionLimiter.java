package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.Key;
import dev.hotpath.emulators.datastore.store.StoreKey;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Production-limit mode: one token bucket per entity (or per root entity), refilled at the
 * configured rate. A commit takes one token from the budget of every entity it writes, all or
 * nothing. Used only inside the commit critical section.
 */
final class ContentionLimiter {
  private volatile WriteLimits limits;
  private final Map<StoreKey, Bucket> buckets = new HashMap<>();

  ContentionLimiter(WriteLimits limits) {
    this.limits = limits;
  }

  /** Takes effect from the next commit on; budgets start over. */
  void set(WriteLimits limits) {
    this.limits = limits;
  }

  /** Whether every budget that {@code keys} write against has a token left; if so, takes them. */
  boolean tryAcquire(List<Key> keys, long nowNanos) {
    WriteLimits current = limits;
    if (!current.enabled()) {
      buckets.clear();
      return true;
    }
    Set<StoreKey> budgets = new LinkedHashSet<>();
    for (Key k : keys) {
      budgets.add(StoreKey.of(current.scope() == WriteLimits.Scope.ENTITY_GROUP ? root(k) : k));
    }
    for (StoreKey b : budgets) {
      if (bucket(b, current, nowNanos).available(nowNanos) < 1) {
        return false;
      }
    }
    for (StoreKey b : budgets) {
      bucket(b, current, nowNanos).tokens -= 1;
    }
    return true;
  }

  private Bucket bucket(StoreKey key, WriteLimits current, long nowNanos) {
    Bucket b = buckets.get(key);
    if (b == null || b.limits != current) {
      b = new Bucket(current, nowNanos);
      buckets.put(key, b);
    }
    return b;
  }

  void clear() {
    buckets.clear();
  }

  private static Key root(Key key) {
    return key.toBuilder().clearPath().addPath(key.getPath(0)).build();
  }

  private static final class Bucket {
    final WriteLimits limits;
    double tokens;
    long refilledNanos;

    Bucket(WriteLimits limits, long nowNanos) {
      this.limits = limits;
      this.tokens = limits.burst();
      this.refilledNanos = nowNanos;
    }

    double available(long nowNanos) {
      double elapsed = Math.max(0, nowNanos - refilledNanos) / 1e9;
      tokens = Math.min(limits.burst(), tokens + elapsed * limits.writesPerSecond());
      refilledNanos = Math.max(refilledNanos, nowNanos);
      return tokens;
    }
  }
}
