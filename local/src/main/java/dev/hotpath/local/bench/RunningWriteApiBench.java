package dev.hotpath.local.bench;

import dev.hotpath.local.flags.Flags;
import dev.hotpath.local.flags.UsageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench counters --url}: one row of load against a Write API someone else runs ({@code up},
 * say), so that a user can watch its counter grow shards while the load lasts. It starts nothing,
 * so it reports only what the load and the API's own answers show: the rates, errors and latency,
 * and the counter's shards and value read over HTTP. The counter may already hold a value, so it is
 * read before the load, and the check compares what it gained with what was acknowledged.
 */
final class RunningWriteApiBench {

  /**
   * Flags that only configure what a run without {@code --url} starts, each with why it does not
   * apply; in order, so that the first one given is named.
   */
  private static final List<Map.Entry<String, String>> STARTING_FLAGS =
      List.of(
          Map.entry("processes", "it runs the instances this command starts as separate JVMs"),
          Map.entry("direct", "it calls instances this command starts, without HTTP"),
          Map.entry("functions-jar", "it names the jar that --processes starts"),
          Map.entry(
              "commit-latency-ms",
              "it slows the emulator this command starts; the running Write API has its own"
                  + " Datastore"),
          Map.entry("shards", "it sets variant (b), on instances this command starts"),
          Map.entry(
              "cold",
              "it warms up on another counter; the default --counter is a fresh one already"),
          Map.entry("settle", "it waits for the compilers of the processes this command starts"));

  private static final DateTimeFormatter FRESH_NAME =
      DateTimeFormatter.ofPattern("'bench-'yyyyMMdd-HHmmss", Locale.ROOT);

  /** The table of the one row that {@code flags} (with {@code --url}) ask for, and a note. */
  static String measure(Flags flags, WriteApiBench.Workload workload) throws Exception {
    if (!workload.storedOverHttp()) {
      throw new UsageException(
          "--url: this benchmark counts what was stored in Datastore, which a Write API at a URL"
              + " keeps to itself; bench counters takes --url");
    }
    refuseStartingFlags(flags);
    String url = url(flags.string("url", null));
    String name = flags.string("counter", ZonedDateTime.now(ZoneOffset.UTC).format(FRESH_NAME));
    Duration duration = WriteApiBench.duration(flags);
    int warmupSeconds = WriteApiBench.warmupSeconds(flags);
    WriteApiBench.Load load = WriteApiBench.load(flags);
    try (WriteApiFleet fleet = WriteApiFleet.running(url)) {
      WriteApiBench.Stored before = readBefore(fleet, workload, url, name);
      System.err.printf(
          "running against the Write API at %s: counter %s (value %d, %d shards before), %s,"
              + " %d s%s; watch it with curl %s/v1/counters/%s%n",
          url,
          name,
          before.count(),
          before.shards(),
          load.describe(),
          duration.toSeconds(),
          warmupSeconds > 0 ? " after a " + warmupSeconds + " s warm-up on it" : "",
          url,
          name);
      long warmAcknowledged = 0;
      long warmErrors = 0;
      if (warmupSeconds > 0) {
        LoadResult warm = load.run(fleet, workload, name, Duration.ofSeconds(warmupSeconds));
        warmAcknowledged = warm.acknowledged();
        warmErrors = warm.errors();
      }
      LoadResult r = load.run(fleet, workload, name, duration);
      WriteApiBench.Stored after = workload.stored(fleet.instance(0), null, name);
      WriteApiBench.Stored gained =
          new WriteApiBench.Stored(after.count() - before.count(), after.shards());
      ResultTable table = WriteApiBench.table(workload.unit());
      table.row(
          WriteApiBench.cells(
              "(url) " + url,
              fleet,
              load,
              r,
              WriteApiBench.UNMEASURED_COSTS,
              gained,
              warmAcknowledged + r.acknowledged(),
              warmErrors + r.errors()));
      return table
          + String.format(
              Locale.ROOT,
              "%ncounter %s: value %d before, %d after (stored is the difference);"
                  + " %d shards before, %d after%n",
              name,
              before.count(),
              after.count(),
              before.shards(),
              after.shards());
    }
  }

  /** Refuses, naming it, the first flag given that only configures what this run does not start. */
  private static void refuseStartingFlags(Flags flags) throws UsageException {
    for (Map.Entry<String, String> flag : STARTING_FLAGS) {
      if (flags.has(flag.getKey())) {
        throw refused(flag.getKey(), flag.getValue());
      }
    }
    if (!WriteApiBench.instanceCounts(flags.string("instances", "1")).equals(List.of(1))) {
      throw refused("instances", "only the one Write API at the URL is driven");
    }
    if (!flags.string("variants", "c").strip().equals("c")) {
      throw refused(
          "variants", "variants configure instances this command starts; c is the defaults");
    }
    if (flags.positive("repeat", 1) != 1) {
      throw refused("repeat", "repeats compare rows on this command's own emulator");
    }
  }

  private static UsageException refused(String flag, String why) {
    return new UsageException(
        "--" + flag + " does not apply with --url (a Write API already running): " + why);
  }

  /**
   * {@code --url} as http://host:port: the load generator speaks plain HTTP/1.1 and sends paths
   * from the root, so a scheme other than http, a path, a query or credentials are refused rather
   * than silently dropped.
   */
  static String url(String given) throws UsageException {
    UsageException usage =
        new UsageException(
            "--url takes the Write API's http://HOST[:PORT] (plain HTTP, no path), e.g. up's"
                + " http://localhost:8080; got '"
                + given
                + "'");
    URI uri;
    try {
      uri = new URI(given);
    } catch (URISyntaxException e) {
      throw usage;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!"http".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || !(path.isEmpty() || path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw usage;
    }
    return "http://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
  }

  /**
   * The counter before the load; the first request to the URL, so its failure says that nothing (or
   * not a Write API) answers there, without a stack trace.
   */
  private static WriteApiBench.Stored readBefore(
      WriteApiFleet fleet, WriteApiBench.Workload workload, String url, String name)
      throws Exception {
    try {
      return workload.stored(fleet.instance(0), null, name);
    } catch (IOException e) {
      throw new IOException(
          "--url "
              + url
              + " does not answer ("
              + reason(e)
              + "); is the Write API running there? up prints its URL in its banner",
          e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "--url " + url + " does not answer as a hotpath Write API: " + reason(e), e);
    }
  }

  /**
   * The first message down the causes; the JDK's HTTP client throws a refused connection as a
   * ConnectException without one.
   */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e instanceof ConnectException ? "cannot connect" : e.getClass().getSimpleName();
  }

  private RunningWriteApiBench() {}
}
