package dev.hotpath.shared.sharding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.hotpath.shared.sharding.ShardPlanner.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three fresh JVMs each plan ten writes of one owner on a fresh thread, as three function instances
 * do after a deployment: their shard sequences must differ. (Planners that borrowed a
 * ThreadLocalRandom captured on another thread all walked 3 4 8 2 5 15 0 7 6 13.)
 */
class FreshProcessRandomnessTest {

  /** Prints the ten shards a fresh planner on a fresh thread chooses. */
  public static void main(String[] args) throws Exception {
    Thread thread =
        new Thread(
            () -> {
              // Written shards cool for an hour, so each lease takes a new one at random.
              ShardingOptions options = new ShardingOptions(16, 16, Duration.ofHours(1));
              ShardPlanner planner = new ShardPlanner(16, options, System::nanoTime);
              List<Integer> walk = new ArrayList<>();
              for (int i = 0; i < 10; i++) {
                int shard = planner.lease().orElseThrow();
                planner.release(shard, Outcome.WRITTEN);
                walk.add(shard);
              }
              System.out.println(walk);
            });
    thread.start();
    thread.join();
  }

  @Test
  void plannersInFreshProcessesChooseDifferentShardSequences() throws Exception {
    List<String> walks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      walks.add(walkInFreshProcess());
    }
    assertNotEquals(walks.get(0), walks.get(1), walks.toString());
    assertNotEquals(walks.get(1), walks.get(2), walks.toString());
    assertNotEquals(walks.get(0), walks.get(2), walks.toString());
  }

  private static String walkInFreshProcess() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FreshProcessRandomnessTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
