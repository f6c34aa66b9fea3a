package dev.hotpath.shared.groups;

import com.google.cloud.Timestamp;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.EntityQuery;
import com.google.cloud.datastore.ListValue;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StructuredQuery.CompositeFilter;
import com.google.cloud.datastore.StructuredQuery.Filter;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.Transaction;
import com.google.cloud.datastore.Value;
import dev.hotpath.shared.config.CommitOptions;
import dev.hotpath.shared.datastore.DatastoreFailures;
import dev.hotpath.shared.datastore.Idempotent;
import dev.hotpath.shared.datastore.ShardCountStore;
import dev.hotpath.shared.datastore.Snapshots;
import dev.hotpath.shared.groupcommit.CommitThreads;
import dev.hotpath.shared.groupcommit.Committers;
import dev.hotpath.shared.metrics.Family;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.sharding.ShardingOptions;
import dev.hotpath.shared.validation.InternalKinds;
import dev.hotpath.shared.validation.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sharded entity groups: a hot parent (say, one user's friendships) spread over shard parents, each
 * its own entity group. Appends are group-committed per group. A listing merges queries that each
 * cover up to 30 shards ({@code hotpath:shard IN …}, newest first), all in one read-only
 * transaction (one snapshot).
 */
public final class GroupService {
  public static final int MAX_PAGE_SIZE = 500;

  /** Shard queries of one listing in flight at once. */
  static final int LISTING_PARALLELISM = 16;

  private static final int MAX_RECORDED = 10_000;

  /** Shards one listing query covers: Datastore's limit on the values of an IN filter. */
  static final int SHARDS_PER_QUERY = 30;

  private final Datastore datastore;
  private final Set<String> allowedKinds;
  private final GroupKeys keys;
  private final ShardCountStore counts;
  private final Idempotent idempotent;
  private final Committers<NewEntity, StoredEntity> committers;
  private final Executor readers;
  private final MonotonicClock clock = new MonotonicClock();
  private final ShardingOptions sharding;

  /**
   * Groups whose shard-count record this instance has seen: their appends go to the committers.
   * Bounded, so an instance that sees ever new groups stays flat; forgetting one costs one lookup.
   */
  private final Map<String, Boolean> recorded =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_RECORDED;
        }
      };

  /**
   * Groups this instance is finding out about right now (reading the record, or writing the first
   * append): one request per group does it while the others wait for its answer, instead of every
   * concurrent request of a newly hot group reading the record and racing its own first-append
   * transaction on it (a herd that took ~10 s to clear at 5,000 appends/s). Guarded by {@link
   * #recorded}.
   */
  private final Map<String, CompletableFuture<Void>> learning = new HashMap<>();

  public GroupService(
      Datastore datastore,
      Set<String> allowedKinds,
      ShardingOptions sharding,
      CommitOptions options,
      CommitThreads threads) {
    this.datastore = datastore;
    this.allowedKinds = Set.copyOf(allowedKinds);
    this.keys = new GroupKeys(datastore);
    this.readers = threads.workers();
    this.sharding = sharding;
    this.idempotent = new Idempotent(options.retry(), Committers.retryAfter(sharding));
    this.counts = new ShardCountStore(datastore, InternalKinds.GROUP, idempotent);
    this.committers =
        new Committers<>(
            group -> new GroupEntityWriter(datastore, keys, group),
            counts::raise,
            sharding,
            options,
            threads,
            System::nanoTime,
            Metrics.global(),
            Family.GROUP);
  }

  /**
   * The target {@code group}/{@code kind} if this service may write it: valid names, the kind
   * allow-listed and not internal. The Write API asks before it reads a body, so a bad URL is named
   * first.
   */
  public GroupTarget target(String group, String kind) {
    return allowed(new GroupTarget(group, kind));
  }

  /** {@code target}, if its kind is on this service's allow-list. */
  private GroupTarget allowed(GroupTarget target) {
    if (!allowedKinds.contains(target.kind())) {
      throw new InvalidInputException(
          "kind '"
              + target.kind()
              + "' is not in HOTPATH_ALLOWED_KINDS "
              + allowedKinds.stream().sorted().toList());
    }
    return target;
  }

  /**
   * Appends a new entity; the future completes once it is committed, with its key.
   *
   * <p>A group's first append also creates its shard-count record ({@code HotpathGroup}), in the
   * same commit, so an append Datastore refuses (say, an entity over its size limit) writes nothing
   * at all. Only once the record exists do appends go to the group committer (which would otherwise
   * store the count before its first write).
   */
  public CompletableFuture<StoredEntity> append(
      GroupTarget target, Map<String, Value<?>> properties) {
    String group = allowed(target).group();
    NewEntity item = new NewEntity(target.kind(), Map.copyOf(properties), clock.next());
    CompletableFuture<Void> learnt = null;
    boolean learner = false;
    synchronized (recorded) {
      if (!recorded.containsKey(group)) {
        learnt = learning.get(group);
        if (learnt == null) {
          learning.put(group, new CompletableFuture<>());
          learner = true;
        }
      }
    }
    if (learner) {
      return learn(group, item); // outside the lock: it reads and may write Datastore
    }
    if (learnt == null) {
      return committers.submit(group, item);
    }
    return learnt
        .handle(
            (ok, failure) -> {
              if (failure == null) {
                return committers.submit(group, item);
              }
              if (failure instanceof InvalidInputException) {
                // The first append was refused for its own content; this one may be fine.
                return CompletableFuture.supplyAsync(() -> append(target, properties), readers)
                    .thenCompose(f -> f);
              }
              return CompletableFuture.<StoredEntity>failedFuture(failure);
            })
        .thenCompose(f -> f);
  }

  /**
   * Reads {@code group}'s shard-count record and, if there is none, writes {@code item} as the
   * group's first entity; then releases the appends that waited meanwhile, with this outcome.
   */
  private CompletableFuture<StoredEntity> learn(String group, NewEntity item) {
    CompletableFuture<StoredEntity> result;
    RuntimeException failure = null;
    try {
      if (idempotent
          .run("reading the shard count of '" + group + "'", () -> counts.load(datastore, group))
          .isEmpty()) {
        result = CompletableFuture.completedFuture(firstAppend(group, item));
      } else {
        markRecorded(group);
        result = committers.submit(group, item);
      }
    } catch (RuntimeException e) {
      failure = e;
      result = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> waiting;
    synchronized (recorded) {
      waiting = learning.remove(group);
    }
    if (failure == null) {
      waiting.complete(null);
    } else {
      waiting.completeExceptionally(failure);
    }
    return result;
  }

  private void markRecorded(String group) {
    synchronized (recorded) {
      recorded.put(group, Boolean.TRUE);
    }
  }

  private StoredEntity firstAppend(String group, NewEntity item) {
    String flushId = UUID.randomUUID().toString();
    int shard = ThreadLocalRandom.current().nextInt(sharding.defaultShards());
    GroupEntityWriter writer = new GroupEntityWriter(datastore, keys, group);
    try {
      StoredEntity stored =
          idempotent.run(
              "appending the first entity of group '" + group + "'",
              () ->
                  writer.writeFirst(
                      item, flushId, shard, counts.entity(group, sharding.defaultShards())));
      markRecorded(group);
      return stored;
    } catch (DatastoreException e) {
      throw DatastoreFailures.classify(e).getCause() instanceof InvalidInputException refused
          ? refused
          : e;
    }
  }

  /** One page of the group's entities of {@code kind}, newest first. */
  public GroupPage list(GroupTarget target, int pageSize, Optional<String> pageToken) {
    String group = allowed(target).group();
    String kind = target.kind();
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidInputException(
          "pageSize must be from 1 to " + MAX_PAGE_SIZE + ", got " + pageSize);
    }
    Optional<PageToken> after = pageToken.map(t -> PageToken.decode(t, group, kind));
    return Snapshots.read(
        datastore,
        idempotent,
        "listing group '" + group + "'",
        txn -> page(txn, group, kind, pageSize, after));
  }

  /** One page, every request in {@code txn}'s snapshot. */
  private GroupPage page(
      Transaction txn, String group, String kind, int pageSize, Optional<PageToken> after) {
    OptionalInt shards = counts.load(txn, group);
    if (shards.isEmpty()) {
      return new GroupPage(List.of(), Optional.empty());
    }
    List<ListingStream> streams = new ArrayList<>();
    int queries = (shards.getAsInt() + SHARDS_PER_QUERY - 1) / SHARDS_PER_QUERY;
    int firstBatch = (pageSize + 1) / queries + 2;
    for (int from = 0; from < shards.getAsInt(); from += SHARDS_PER_QUERY) {
      ListValue.Builder names = ListValue.newBuilder();
      for (int shard = from;
          shard < Math.min(shards.getAsInt(), from + SHARDS_PER_QUERY);
          shard++) {
        names.addValue(keys.shardParent(group, shard).getName());
      }
      streams.add(new ListingStream(txn, listingQuery(kind, names.build(), after), firstBatch));
    }
    fetchFirstBatches(streams);
    PriorityQueue<ListingStream> heads =
        new PriorityQueue<>(Comparator.comparing(ListingStream::peek, NEWEST_FIRST));
    streams.stream().filter(s -> s.peek() != null).forEach(heads::add);
    List<StoredEntity> page = new ArrayList<>();
    Entity last = null;
    while (!heads.isEmpty()) {
      ListingStream stream = heads.poll();
      Entity next = stream.take();
      if (stream.peek() != null) {
        heads.add(stream);
      }
      if (after.isPresent() && !after.get().isBefore(micros(next), next.getKey().getId())) {
        continue; // same creation time as the token's entity, already returned
      }
      if (page.size() == pageSize) {
        return new GroupPage(page, Optional.of(tokenAt(group, kind, last)));
      }
      page.add(new StoredEntity(next.getKey(), next.getTimestamp(GroupEntityWriter.CREATED), next));
      last = next;
    }
    return new GroupPage(page, Optional.empty());
  }

  /**
   * Every query's first batch, {@value #LISTING_PARALLELISM} at a time: a page of a group with
   * 1,024 shards costs 35 queries, about 3 round trips of wall time. Later batches (rare: the first
   * is sized to cover a page) are fetched as the merge needs them.
   */
  private void fetchFirstBatches(List<ListingStream> streams) {
    int slices = Math.min(LISTING_PARALLELISM, streams.size());
    List<Supplier<Void>> fetches = new ArrayList<>();
    for (int slice = 0; slice < slices; slice++) {
      int first = slice;
      fetches.add(
          () -> {
            for (int i = first; i < streams.size(); i += slices) {
              streams.get(i).peek();
            }
            return null;
          });
    }
    Snapshots.inParallel(fetches, readers);
  }

  /** The entities of {@code kind} on the named shards, newest first, after the page token's. */
  private EntityQuery listingQuery(String kind, ListValue shardNames, Optional<PageToken> after) {
    Filter onShards = PropertyFilter.in(GroupEntityWriter.SHARD, shardNames);
    Filter filter =
        after
            .<Filter>map(
                t ->
                    CompositeFilter.and(
                        onShards,
                        PropertyFilter.le(
                            GroupEntityWriter.CREATED,
                            Timestamp.ofTimeMicroseconds(t.createdMicros()))))
            .orElse(onShards);
    return Query.newEntityQueryBuilder()
        .setKind(kind)
        .setFilter(filter)
        .setOrderBy(OrderBy.desc(GroupEntityWriter.CREATED), OrderBy.desc("__key__"))
        .build();
  }

  private static String tokenAt(String group, String kind, Entity last) {
    return new PageToken(group, kind, micros(last), last.getKey().getId()).encode();
  }

  private static long micros(Entity entity) {
    Timestamp t = entity.getTimestamp(GroupEntityWriter.CREATED);
    return t.getSeconds() * 1_000_000 + t.getNanos() / 1000;
  }

  /** Newest first; equal creation times by descending id, as each shard's query orders them. */
  private static final Comparator<Entity> NEWEST_FIRST =
      Comparator.comparing((Entity e) -> e.getTimestamp(GroupEntityWriter.CREATED))
          .thenComparingLong(e -> e.getKey().getId())
          .reversed();
}
