package dev.hotpath.emulators.datastore.store;

import com.google.protobuf.ByteString;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The keys of one kind in one partition: each key's newest {@link Version} by serialized path, and
 * an ancestor index from every proper ancestor path to the paths of this kind beneath it, so that
 * an ancestor query reads only the keys it can match (production answers it from an index range).
 * Root keys have no proper ancestor and cost the index nothing.
 *
 * <p>Concurrency: one writer at a time (the store's write lock) and lock-free readers. A key enters
 * the index after its head and leaves it after its head, so a reader may meet an index entry
 * without a head (skipped) but, as long as it holds a pinned snapshot (which stops removals), never
 * misses a key whose versions it can see.
 */
final class KindEntities {
  private final Map<ByteString, Version> heads = new ConcurrentHashMap<>();
  private final Map<ByteString, Set<ByteString>> descendants = new ConcurrentHashMap<>();

  Version head(ByteString path) {
    return heads.get(path);
  }

  Collection<Version> heads() {
    return heads.values();
  }

  void forEachHead(BiConsumer<ByteString, Version> each) {
    heads.forEach(each);
  }

  /** Makes {@code head} the newest version of {@code path}; writer only. */
  void put(ByteString path, Version head) {
    if (heads.put(path, head) == null) {
      for (ByteString ancestor : StoreKey.ancestorPaths(path)) {
        descendants.computeIfAbsent(ancestor, a -> ConcurrentHashMap.newKeySet()).add(path);
      }
    }
  }

  /** Forgets {@code path} entirely; writer only. */
  void remove(ByteString path) {
    if (heads.remove(path) != null) {
      for (ByteString ancestor : StoreKey.ancestorPaths(path)) {
        descendants.computeIfPresent(
            ancestor,
            (a, paths) -> {
              paths.remove(path);
              return paths.isEmpty() ? null : paths;
            });
      }
    }
  }

  /** The heads of {@code ancestor} itself (if it is of this kind) and of every key beneath it. */
  Stream<Version> under(ByteString ancestor) {
    Stream<Version> self = Stream.ofNullable(heads.get(ancestor));
    Set<ByteString> beneath = descendants.get(ancestor);
    if (beneath == null) {
      return self;
    }
    return Stream.concat(self, beneath.stream().map(heads::get).filter(v -> v != null));
  }
}
