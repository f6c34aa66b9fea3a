package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.local.flags.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Write API benchmarks' flags, table and check, and one short in-process run of each. */
class WriteApiBenchTest {

  @Test
  void theTableHasTheColumnsTheScaleOutTargetsNeed() {
    String header = WriteApiBench.table("inc").toString().lines().findFirst().orElseThrow();
    for (String column :
        List.of(
            "instances",
            "mode",
            "load",
            "inc/s",
            "acked %",
            "late",
            "503",
            "other errors",
            "p50 ms",
            "p99 ms",
            "writes/inc",
            "commits/inc",
            "aborted %",
            "shards",
            "acknowledged",
            "stored",
            "check")) {
      assertTrue(header.contains("| " + column + " "), column + " in " + header);
    }
  }

  @Test
  void instancesTakeAList() throws Exception {
    assertEquals(List.of(1, 10, 100), WriteApiBench.instanceCounts("1,10,100"));
    assertEquals(List.of(4), WriteApiBench.instanceCounts("4"));
    for (String bad : List.of("0", "1,,2", "x", "")) {
      assertThrows(UsageException.class, () -> WriteApiBench.instanceCounts(bad), bad);
    }
  }

  @Test
  void badFlagsAreUsageErrors() {
    for (String[] args :
        List.of(
            new String[] {"--rate", "100", "--clients", "4"},
            new String[] {"--rate", "0"},
            new String[] {"--senders", "8"},
            new String[] {"--commit-latency-ms", "-1"},
            new String[] {"--instances", "1,x"})) {
      assertThrows(
          UsageException.class,
          () ->
              WriteApiBench.measure(args, CountersBenchmark.PER_ENTITY, CountersBenchmark.WORKLOAD),
          String.join(" ", args));
    }
  }

  @Test
  void theCheckNamesLostAndDuplicatedWrites() {
    LoadResult r = new LoadResult(12, 0, 10, 1, 1, 1, new Percentiles(new long[0]));
    assertEquals("exact", WriteApiBench.check(r.acknowledged(), r.errors(), 10));
    assertEquals("LOST 1", WriteApiBench.check(r.acknowledged(), r.errors(), 9));
    assertEquals("ok (+2 of errored)", WriteApiBench.check(r.acknowledged(), r.errors(), 12));
    assertEquals("DUPLICATED 1", WriteApiBench.check(r.acknowledged(), r.errors(), 13));
  }

  @Test
  void aShortOpenLoopRunOfCountersGivesARowPerInstanceCount() throws Exception {
    String report =
        WriteApiBench.measure(
            new String[] {
              "--variants",
              "c",
              "--instances",
              "1,3",
              "--rate",
              "100",
              "--duration-s",
              "1",
              "--commit-latency-ms",
              "5"
            },
            CountersBenchmark.PER_ENTITY,
            CountersBenchmark.WORKLOAD);
    List<String> rows = report.lines().filter(l -> l.startsWith("| (c)")).toList();
    assertEquals(2, rows.size(), report);
    assertTrue(rows.get(0).contains("| 1 ") && rows.get(1).contains("| 3 "), report);
    assertTrue(
        rows.stream().allMatch(r -> r.contains("| in-process |") && r.contains("exact")), report);
  }

  @Test
  void aShortClosedLoopRunOfGroupsCountsOnlyItsOwnGroupAfterAWarmUp() throws Exception {
    String report =
        WriteApiBench.measure(
            new String[] {
              "--variants",
              "c",
              "--instances",
              "2",
              "--clients",
              "4",
              "--duration-s",
              "1",
              "--warmup-s",
              "1"
            },
            GroupsBenchmark.PER_GROUP,
            GroupsBenchmark.WORKLOAD);
    List<String> rows = report.lines().filter(l -> l.startsWith("| (c)")).toList();
    assertEquals(1, rows.size(), report);
    assertTrue(rows.get(0).contains("| 4 clients |") && rows.get(0).contains("exact"), report);
  }
}
