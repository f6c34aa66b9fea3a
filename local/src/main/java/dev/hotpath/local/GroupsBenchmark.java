package dev.hotpath.local;

import dev.hotpath.emulators.datastore.WriteLimits;

/** {@code bench groups}: appends to one hot entity group, unsharded vs sharded vs group commit. */
final class GroupsBenchmark implements Benchmark {
  private static final String GROUP = "/v1/groups/bench-hot/entities/Message";

  @Override
  public String name() {
    return "groups";
  }

  @Override
  public String summary() {
    return "appends to one hot group under per-entity-group limits: unsharded vs sharded vs group commit";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench groups [FLAGS]

        Starts the Datastore emulator with production limits per entity group (~1 commit/s per
        root entity) and, per variant, the Write API served by the invoker; closed-loop clients
        append small entities to one group over HTTP. Prints appends/s, error rate, Datastore
        writes and commits per append, latency, and checks the listed entities (paged through
        the API) against the acknowledged appends.

        """ + WriteApiBench.FLAGS_HELP;
  }

  @Override
  public int run(String[] args) throws Exception {
    WriteLimits perGroup =
        WriteLimits.builder().writesPerSecond(1).burst(2).scope(WriteLimits.Scope.ENTITY_GROUP).build();
    return WriteApiBench.run(
        args,
        perGroup,
        new WriteApiBench.Workload() {
          @Override
          public boolean write(HttpJson http) throws Exception {
            return http.post(GROUP, "{\"properties\": {\"text\": \"hello\", \"n\": 1}}").status() == 201;
          }

          @Override
          public long stored(HttpJson http) throws Exception {
            return http.pageThrough(GROUP, "entities", 500).size();
          }
        },
        "append");
  }
}
