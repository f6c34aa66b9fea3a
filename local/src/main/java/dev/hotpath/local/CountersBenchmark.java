package dev.hotpath.local;

import dev.hotpath.emulators.datastore.WriteLimits;

/** {@code bench counters}: increments of one hot counter, unsharded vs sharded vs group commit. */
final class CountersBenchmark implements Benchmark {
  private static final String COUNTER = "/v1/counters/bench-hot";

  @Override
  public String name() {
    return "counters";
  }

  @Override
  public String summary() {
    return "one hot counter under production limits: unsharded vs sharded vs group commit";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench counters [FLAGS]

        Starts the Datastore emulator with production limits (~1 write/s per entity) and, per
        variant, the Write API served by the invoker; closed-loop clients increment one counter
        by 1 over HTTP. Prints increments/s, error rate, Datastore writes and commits per
        increment, latency, and checks the stored value against the acknowledged increments.

        """ + WriteApiBench.FLAGS_HELP;
  }

  @Override
  public int run(String[] args) throws Exception {
    return WriteApiBench.run(
        args,
        WriteLimits.production(),
        new WriteApiBench.Workload() {
          @Override
          public boolean write(HttpJson http) throws Exception {
            return http.post(COUNTER + ":increment", "{\"delta\": 1}").status() == 200;
          }

          @Override
          public long stored(HttpJson http) throws Exception {
            return http.get(COUNTER).body().get("value").getAsLong();
          }
        },
        "inc");
  }
}
