package dev.hotpath.local.bench;

import com.google.cloud.datastore.Datastore;
import com.google.gson.JsonObject;
import dev.hotpath.emulators.datastore.engine.WriteLimits;

/** {@code bench counters}: increments of one hot counter, unsharded vs sharded vs group commit. */
public final class CountersBenchmark implements Benchmark {
  /** Production's limits: about one write a second per entity. */
  static final WriteLimits PER_ENTITY = WriteLimits.production();

  /** One hot counter, written and read back over the Write API. */
  static final WriteApiBench.Workload WORKLOAD =
      new WriteApiBench.Workload() {
        @Override
        public String unit() {
          return "inc";
        }

        @Override
        public WriteApiBench.WriteRequest write(String name) {
          return new WriteApiBench.WriteRequest(path(name) + ":increment", "{\"delta\": 1}");
        }

        @Override
        public boolean storedOverHttp() {
          return true;
        }

        @Override
        public int acknowledgedStatus() {
          return 200;
        }

        @Override
        public WriteApiBench.Stored stored(HttpJson http, Datastore datastore, String name)
            throws Exception {
          HttpJson.Reply read = http.get(path(name));
          if (read.status() != 200) {
            throw new IllegalStateException(
                "reading counter " + name + " answered " + read.status() + ": " + read.body());
          }
          JsonObject counter = read.body();
          return new WriteApiBench.Stored(
              counter.get("value").getAsLong(), counter.get("shards").getAsLong());
        }
      };

  @Override
  public String name() {
    return "counters";
  }

  @Override
  public String summary() {
    return "one hot counter under production limits: unsharded vs sharded vs group commit, 1..N instances";
  }

  @Override
  public String help() {
    return """
        usage: java -jar hotpath-local.jar bench counters [FLAGS]

        Starts the Datastore emulator with production limits (~1 write/s per entity) and, per
        variant and instance count, the Write API served by the invoker; clients increment one
        counter by 1 over HTTP. Prints increments/s, acknowledged share, errors, latency,
        Datastore writes and commits per increment, aborted commits, the shard count at the end
        (GET /v1/counters/{name}), and checks the stored value against the acknowledged increments.

        With --url it starts nothing and drives a Write API already running instead (up's, say:
        leave it running and watch the counter's shards grow), sending real increments to one
        counter there (--counter NAME); stored is then what that counter gained during the run.

        """
        + WriteApiBench.FLAGS_HELP;
  }

  @Override
  public int run(String[] args) throws Exception {
    return WriteApiBench.run(args, PER_ENTITY, WORKLOAD);
  }

  private static String path(String counter) {
    return "/v1/counters/" + counter;
  }
}
