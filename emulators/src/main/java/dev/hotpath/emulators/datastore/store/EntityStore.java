package dev.hotpath.emulators.datastore.store;

import com.google.datastore.v1.Key;
import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The in-memory, multi-version home of every entity: what reads see and what commits change.
 *
 * <p>Concurrency: commits run one at a time inside {@link #write} (a short critical section: checks
 * plus installing new versions); plain reads of the newest data run without locking and are
 * validated afterwards ({@link #readLatest}). Readers that need a fixed point in time
 * (transactions, queries, read_time reads) {@link #pin} a snapshot, which keeps the versions they
 * may read from being pruned. Versions are commit timestamps in microseconds.
 */
public final class EntityStore {
  private final StampedLock lock = new StampedLock();
  private final Map<PartitionKey, Map<String, KindEntities>> partitions = new ConcurrentHashMap<>();

  /** Open snapshots (commit version -> how many readers hold it); guarded by the write lock. */
  private final TreeMap<Long, Integer> pins = new TreeMap<>();

  private volatile long lastCommit;

  /** No version older than this survives for every key; guarded by the write lock. */
  private long pruneFloor;

  /** Runs {@code body} as the only writer; commits and snapshot pins go through here. */
  public <T> T write(Supplier<T> body) {
    long stamp = lock.writeLock();
    try {
      return body.get();
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Runs a read of the newest data so that it sees every commit entirely or not at all: first
   * without a lock, again under the read lock if a commit slipped in meanwhile.
   */
  public <T> T readLatest(Supplier<T> body) {
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0) {
      T result = body.get();
      if (lock.validate(stamp)) {
        return result;
      }
    }
    stamp = lock.readLock();
    try {
      return body.get();
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The version of the newest commit; call inside {@link #readLatest} or {@link #write}. */
  public long lastCommit() {
    return lastCommit;
  }

  /** The newest state of {@code key}, or null when it does not exist. */
  public VersionedEntity latest(StoreKey key) {
    Version head = head(key);
    return head == null ? null : head.entity;
  }

  /** The state of {@code key} at a pinned {@code snapshot}, or null when it did not exist then. */
  public VersionedEntity at(StoreKey key, long snapshot) {
    Version head = head(key);
    return head == null ? null : head.at(snapshot);
  }

  /**
   * The commit that last wrote or deleted {@code key}, or 0. Deletions are remembered while any
   * snapshot is pinned, which is exactly when a transaction can conflict with them.
   */
  public long lastModified(StoreKey key) {
    Version head = head(key);
    return head == null ? 0 : head.commit;
  }

  private Version head(StoreKey key) {
    var kinds = partitions.get(key.partition());
    if (kinds == null) {
      return null;
    }
    var keys = kinds.get(key.kind());
    return keys == null ? null : keys.head(key.path());
  }

  /** Pins the newest snapshot and answers its version; release it with {@link #unpin}. */
  public long pinLatest() {
    return write(
        () -> {
          pins.merge(lastCommit, 1, Integer::sum);
          return lastCommit;
        });
  }

  /**
   * Pins the snapshot as of {@code version} (a read_time in microseconds) if its data is still
   * kept, and answers the pinned version; release it with {@link #unpin}.
   *
   * @return -1 when versions that old were already pruned
   */
  public long pinAt(long version) {
    return write(
        () -> {
          if (version < pruneFloor) {
            return -1L;
          }
          long pinned = Math.min(version, lastCommit);
          pins.merge(pinned, 1, Integer::sum);
          return pinned;
        });
  }

  /** Releases a snapshot that {@link #pinLatest} or {@link #pinAt} answered. */
  public void unpin(long pinned) {
    write(() -> pins.computeIfPresent(pinned, (v, n) -> n == 1 ? null : n - 1));
  }

  /**
   * Installs the new state of {@code key} at {@code commit} (null entity = deleted) and prunes
   * versions no pinned snapshot can read any more. Call inside {@link #write}, then {@link
   * #publish}.
   */
  public void install(StoreKey key, VersionedEntity entity, long commit) {
    var keys =
        partitions
            .computeIfAbsent(key.partition(), p -> new ConcurrentHashMap<>())
            .computeIfAbsent(key.kind(), k -> new KindEntities());
    Version head = new Version(entity, commit, keys.head(key.path()));
    if (pins.isEmpty()) {
      // Nobody reads the past: keep only the newest state, and forget deleted keys entirely.
      head.older = null;
      pruneFloor = commit;
      if (entity == null) {
        keys.remove(key.path());
        return;
      }
    } else {
      long horizon = pins.firstKey();
      pruneFloor = Math.max(pruneFloor, horizon);
      for (Version v = head; v != null; v = v.older) {
        if (v.commit <= horizon) {
          v.older = null;
          break;
        }
      }
    }
    keys.put(key.path(), head);
  }

  /**
   * Makes {@code commit} the newest visible version; call inside {@link #write} after installing.
   */
  public void publish(long commit) {
    lastCommit = commit;
  }

  /** Forgets every entity; call inside {@link #write}. Pinned snapshots of old data see nothing. */
  public void clear() {
    partitions.clear();
  }

  /**
   * Calls {@code each} with the newest state of every existing entity (for persistence snapshots).
   */
  public void forEachLatest(BiConsumer<StoreKey, VersionedEntity> each) {
    partitions.forEach(
        (partition, kinds) ->
            kinds.forEach(
                (kind, keys) ->
                    keys.forEachHead(
                        (path, head) -> {
                          if (head.entity != null) {
                            each.accept(new StoreKey(partition, kind, path), head.entity);
                          }
                        })));
  }

  /** A query's view of {@code partition} at a pinned {@code snapshot}. */
  public PartitionSnapshot snapshot(PartitionKey partition, long snapshot) {
    return new PartitionSnapshot() {
      @Override
      public Iterable<VersionedEntity> ofKind(String kind) {
        var kinds = partitions.get(partition);
        var keys = kinds == null ? null : kinds.get(kind);
        return keys == null ? List.of() : visible(keys.heads()::stream, snapshot);
      }

      @Override
      public Iterable<VersionedEntity> ofKindUnder(
          String kind, List<Key.PathElement> ancestorPath) {
        var kinds = partitions.get(partition);
        var keys = kinds == null ? null : kinds.get(kind);
        if (keys == null) {
          return List.of();
        }
        ByteString ancestor = StoreKey.pathOf(ancestorPath);
        return visible(() -> keys.under(ancestor), snapshot);
      }

      @Override
      public Iterable<VersionedEntity> all() {
        var kinds = partitions.get(partition);
        if (kinds == null) {
          return List.of();
        }
        return visible(
            () -> kinds.values().stream().flatMap(keys -> keys.heads().stream()), snapshot);
      }
    };
  }

  private static Iterable<VersionedEntity> visible(Supplier<Stream<Version>> heads, long snapshot) {
    return () -> heads.get().map(v -> v.at(snapshot)).filter(e -> e != null).iterator();
  }
}
