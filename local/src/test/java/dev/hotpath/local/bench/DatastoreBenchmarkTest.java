package dev.hotpath.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotpath.local.Main;
import dev.hotpath.local.flags.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A one-second sanity run of {@code bench datastore} over both transports from both clients; no
 * timing asserted.
 */
class DatastoreBenchmarkTest {

  @Test
  void everyTransportAndClientCommitsAndLooksUpWithoutErrors() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int exit =
          new DatastoreBenchmark(Main.class)
              .run(
                  new String[] {
                    "--transport",
                    "both",
                    "--client",
                    "both",
                    "--duration-s",
                    "1",
                    "--warmup-s",
                    "0",
                    "--threads",
                    "2",
                    "--in-flight",
                    "4",
                    "--keys",
                    "20"
                  });
      assertEquals(0, exit);
    } finally {
      System.setOut(stdout);
    }
    List<String[]> rows =
        out.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(line -> line.startsWith("| commit") || line.startsWith("| lookup"))
            .map(line -> line.split("\\|"))
            .toList();
    assertEquals(8, rows.size(), out.toString(StandardCharsets.UTF_8));
    for (String[] row : rows) {
      // cells: "", operation, transport, client, in flight, seconds, ops, ops/s, p50, p99, errors,
      // cpu, jit
      assertTrue(
          Long.parseLong(row[6].trim()) > 0, "some operations completed: " + String.join("|", row));
      assertEquals("0", row[10].trim(), "no errors: " + String.join("|", row));
    }
    assertEquals(
        List.of(
            "http library 2",
            "http generator 2",
            "grpc library 2",
            "grpc generator 4",
            "http library 2",
            "http generator 2",
            "grpc library 2",
            "grpc generator 4"),
        rows.stream().map(r -> r[2].trim() + " " + r[3].trim() + " " + r[4].trim()).toList());
  }

  @Test
  void anUnknownTransportOrClientIsAUsageError() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () ->
                new DatastoreBenchmark(Main.class)
                    .run(new String[] {"--transport", "carrier-pigeon"}));
    assertTrue(e.getMessage().contains("--transport must be http, grpc or both"), e.getMessage());
    UsageException client =
        assertThrows(
            UsageException.class,
            () -> new DatastoreBenchmark(Main.class).run(new String[] {"--client", "browser"}));
    assertTrue(
        client.getMessage().contains("--client must be library, generator or both"),
        client.getMessage());
  }

  @Test
  void comparingNeedsOneOfGooglesEmulators() {
    UsageException ours =
        assertThrows(
            UsageException.class,
            () -> new DatastoreBenchmark(Main.class).run(new String[] {"--against", "hotpath"}));
    assertTrue(
        ours.getMessage().contains("--against takes google-datastore or google-firestore"),
        ours.getMessage());
    UsageException unknown =
        assertThrows(
            UsageException.class,
            () -> new DatastoreBenchmark(Main.class).run(new String[] {"--against", "cassandra"}));
    assertTrue(
        unknown.getMessage().contains("must be hotpath, google-datastore or google-firestore"),
        unknown.getMessage());
  }
}
