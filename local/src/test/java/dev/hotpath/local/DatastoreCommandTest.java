package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.DatastoreOptions;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StructuredQuery.OrderBy;
import com.google.cloud.datastore.StructuredQuery.PropertyFilter;
import com.google.common.collect.ImmutableList;
import dev.hotpath.datastoreclient.EmulatorGrpcRpc;
import dev.hotpath.emulators.datastore.DatastoreEmulator;
import dev.hotpath.local.flags.Flags;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code datastore} command's flags, and the emulator they start, through the real client. */
class DatastoreCommandTest {

  private record Outcome(int exit, String out, String err) {}

  private static Outcome main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Datastore client(DatastoreEmulator emulator) {
    return DatastoreOptions.newBuilder()
        .setHost(emulator.host())
        .setProjectId("cli-test")
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  @Test
  void helpListsEveryFlag() {
    Outcome o = main("datastore", "--help");
    assertEquals(0, o.exit());
    for (String flag :
        new String[] {
          "--port",
          "--project",
          "--production-limits",
          "--writes-per-second",
          "--burst",
          "--limit-scope",
          "--faults",
          "--data-dir",
          "--fsync",
          "--transaction-idle-timeout-s",
          "--indexes"
        }) {
      assertTrue(o.out().contains(flag), flag);
    }
  }

  @Test
  void badFlagsAreUsageErrors() {
    assertUsageError("unknown fault 'explode'", "--faults", "explode=1");
    assertUsageError("need --production-limits", "--writes-per-second", "3");
    assertUsageError(
        "--limit-scope must be entity or entity-group",
        "--production-limits",
        "--limit-scope",
        "room");
    assertUsageError("--fsync must be always or never", "--fsync", "sometimes");
    assertUsageError("must be a port", "--port", "70000");
    assertUsageError("unexpected argument 'extra'", "extra");
    assertUsageError("burst must be at least 1", "--production-limits", "--burst", "0.5");
  }

  private static void assertUsageError(String words, String... flags) {
    String[] args = new String[flags.length + 1];
    args[0] = "datastore";
    System.arraycopy(flags, 0, args, 1, flags.length);
    Outcome o = main(args);
    assertEquals(2, o.exit(), o.err());
    assertTrue(o.err().contains(words), o.err());
  }

  @Test
  void productionLimitFlagsReachTheEmulator() throws Exception {
    Flags flags =
        DatastoreCommand.parse(
            new String[] {
              "--port",
              "0",
              "--production-limits",
              "--writes-per-second",
              "0.001",
              "--burst",
              "1",
              "--limit-scope",
              "entity-group"
            });
    try (DatastoreEmulator emulator = DatastoreCommand.start(flags)) {
      Datastore ds = client(emulator);
      Key room = ds.newKeyFactory().setKind("Room").newKey("r");
      ds.put(Entity.newBuilder(Key.newBuilder(room, "Member", "a").build()).set("n", 1).build());
      DatastoreException e =
          assertThrows(
              DatastoreException.class,
              () ->
                  ds.put(
                      Entity.newBuilder(Key.newBuilder(room, "Member", "b").build())
                          .set("n", 1)
                          .build()));
      assertEquals("ABORTED", e.getReason());
    }
  }

  @Test
  void onePortServesTheClientsHttpAndGrpcTransportsOverTheSameData() throws Exception {
    try (DatastoreEmulator emulator =
        DatastoreCommand.start(DatastoreCommand.parse(new String[] {"--port", "0"}))) {
      Datastore overHttp = client(emulator);
      Datastore overGrpc =
          EmulatorGrpcRpc.optionsFor(emulator.host()).setProjectId("cli-test").build().getService();
      try {
        Key key = overGrpc.newKeyFactory().setKind("K").newKey("via-grpc");
        overGrpc.put(Entity.newBuilder(key).set("n", 7).build());
        assertEquals(7, overHttp.get(key).getLong("n"));
      } finally {
        overGrpc.close();
      }
    }
  }

  @Test
  void faultFlagsReachTheEmulator() throws Exception {
    try (DatastoreEmulator emulator =
        DatastoreCommand.start(
            DatastoreCommand.parse(new String[] {"--port", "0", "--faults", "unavailable=1"}))) {
      Datastore ds = client(emulator);
      DatastoreException e =
          assertThrows(
              DatastoreException.class, () -> ds.get(ds.newKeyFactory().setKind("K").newKey(1)));
      assertEquals("UNAVAILABLE", e.getReason());
    }
  }

  @Test
  void dataDirKeepsDataAcrossRuns(@TempDir Path dir) throws Exception {
    String[] args = {"--port", "0", "--data-dir", dir.toString(), "--fsync", "never"};
    Key key;
    try (DatastoreEmulator emulator = DatastoreCommand.start(DatastoreCommand.parse(args))) {
      Datastore ds = client(emulator);
      key = ds.newKeyFactory().setKind("K").newKey("kept");
      ds.put(Entity.newBuilder(key).set("n", 42).build());
    }
    try (DatastoreEmulator emulator = DatastoreCommand.start(DatastoreCommand.parse(args))) {
      assertEquals(42, client(emulator).get(key).getLong("n"));
    }
  }

  @Test
  void indexesFlagEnforcesTheDefinedCompositeIndexes(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("indexes.json");
    Files.writeString(
        json,
        """
        {"indexes": [{"name": "by-n", "kind": "Indexed", "ancestor": false,
                      "properties": [{"name": "a", "direction": "asc"}, {"name": "n", "direction": "desc"}]}]}
        """);
    String[] args = {"--port", "0", "--indexes", json.toString()};
    try (DatastoreEmulator emulator = DatastoreCommand.start(DatastoreCommand.parse(args))) {
      Datastore ds = client(emulator);
      ds.put(
          Entity.newBuilder(ds.newKeyFactory().setKind("Indexed").newKey(1))
              .set("a", 1)
              .set("n", 2)
              .build());
      Query<Entity> defined =
          Query.newEntityQueryBuilder()
              .setKind("Indexed")
              .setFilter(PropertyFilter.eq("a", 1))
              .setOrderBy(OrderBy.desc("n"))
              .build();
      assertEquals(1, ImmutableList.copyOf(ds.run(defined)).size());
      Query<Entity> undefined =
          Query.newEntityQueryBuilder()
              .setKind("Indexed")
              .setFilter(PropertyFilter.eq("a", 1))
              .setOrderBy(OrderBy.asc("n"))
              .build();
      DatastoreException e =
          assertThrows(DatastoreException.class, () -> ImmutableList.copyOf(ds.run(undefined)));
      assertEquals("FAILED_PRECONDITION", e.getReason());
      assertTrue(e.getMessage().startsWith("no matching index found"), e.getMessage());
    }
    assertUsageError(
        "--indexes: cannot read index definitions",
        "--indexes",
        dir.resolve("missing.json").toString());
  }

  @Test
  void commitLatencyFlagReachesTheEmulator() throws Exception {
    assertTrue(main("datastore", "--help").out().contains("--commit-latency-ms"));
    assertUsageError("--commit-latency-ms must be 0 or more", "--commit-latency-ms", "-5");
    try (DatastoreEmulator emulator =
        DatastoreCommand.start(
            DatastoreCommand.parse(new String[] {"--port", "0", "--commit-latency-ms", "300"}))) {
      Datastore ds = client(emulator);
      long start = System.nanoTime();
      ds.put(Entity.newBuilder(ds.newKeyFactory().setKind("K").newKey("slow")).set("n", 1).build());
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis >= 300, "a commit took " + tookMillis + " ms");
    }
  }
}
