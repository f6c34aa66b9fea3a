package dev.hotpath.local.bench;

import com.google.cloud.datastore.AggregationQuery;
import com.google.cloud.datastore.AggregationResult;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.cloud.datastore.aggregation.Aggregation;
import dev.hotpath.emulators.datastore.engine.WriteLimits;
import dev.hotpath.shared.validation.InternalKinds;

/** {@code bench groups}: appends to one hot entity group, unsharded vs sharded vs group commit. */
public final class GroupsBenchmark implements Benchmark {
  private static final String KIND = "Message";

  /** The property each appended entity names its group in, so the check counts only that group. */
  private static final String GROUP = "group";

  /** Production's limits, counted per entity group (a write counts against its root entity). */
  static final WriteLimits PER_GROUP =
      WriteLimits.builder()
          .writesPerSecond(1)
          .burst(2)
          .scope(WriteLimits.Scope.ENTITY_GROUP)
          .build();

  /** The property {@code ShardCountStore} keeps a group's shard count in. */
  private static final String SHARDS = "shards";

  /** One hot group, written and read back over the Write API and Datastore. */
  static final WriteApiBench.Workload WORKLOAD =
      new WriteApiBench.Workload() {
        @Override
        public String unit() {
          return "append";
        }

        @Override
        public WriteApiBench.WriteRequest write(String name) {
          return new WriteApiBench.WriteRequest(
              path(name),
              "{\"properties\": {\"text\": \"hello\", \"n\": 1, \""
                  + GROUP
                  + "\": \""
                  + name
                  + "\"}}");
        }

        @Override
        public boolean storedOverHttp() {
          // It counts the entities in Datastore, which a Write API at --url keeps to itself.
          return false;
        }

        @Override
        public int acknowledgedStatus() {
          return 201;
        }

        @Override
        public WriteApiBench.Stored stored(HttpJson http, Datastore datastore, String name) {
          // Counted in Datastore rather than paged through the API: the listing runs one query
          // per shard per page, minutes for 100,000+ entities over 1,000 shards. Each entity
          // names its group, so a warm-up group in the same project is not counted.
          AggregationQuery count =
              Query.newAggregationQueryBuilder()
                  .over(
                      Query.newKeyQueryBuilder()
                          .setKind(KIND)
                          .setFilter(PropertyFilter.eq(GROUP, name))
                          .build())
                  .addAggregation(Aggregation.count().as("total"))
                  .build();
          AggregationResult result = datastore.runAggregation(count).get(0);
          Entity shards =
              datastore.get(datastore.newKeyFactory().setKind(InternalKinds.GROUP).newKey(name));
          return new WriteApiBench.Stored(
              result.getLong("total"), shards == null ? 0 : shards.getLong(SHARDS));
        }
      };

  @Override
  public String name() {
    return "groups";
  }

  @Override
  public String summary() {
    return "appends to one hot group under per-entity-group limits: unsharded vs sharded vs group commit, 1..N instances";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench groups [FLAGS]

        Starts the Datastore emulator with production limits per entity group (~1 commit/s per
        root entity) and, per variant and instance count, the Write API served by the invoker;
        clients append small entities to one group over HTTP. Prints appends/s, acknowledged
        share, errors, latency, Datastore writes and commits per append, aborted commits, the
        group's stored shard count at the end, and checks the stored entities (a Datastore COUNT
        of the entities naming the group in their "group" property) against the acknowledged
        appends.

        """
        + WriteApiBench.FLAGS_HELP;
  }

  @Override
  public int run(String[] args) throws Exception {
    return WriteApiBench.run(args, PER_GROUP, WORKLOAD);
  }

  private static String path(String group) {
    return "/v1/groups/" + group + "/entities/" + KIND;
  }
}
