package dev.hotpath.local;

import dev.hotpath.local.bench.Benchmark;
import dev.hotpath.local.bench.CountersBenchmark;
import dev.hotpath.local.bench.DatastoreBenchmark;
import dev.hotpath.local.bench.GroupsBenchmark;
import dev.hotpath.local.bench.OperationsBenchmark;
import dev.hotpath.local.bench.ReadsBenchmark;
import dev.hotpath.local.bench.TasksBenchmark;
import dev.hotpath.local.bench.TurnBenchmark;
import dev.hotpath.local.flags.UsageException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** {@code bench NAME [FLAGS]}: runs one of the project's benchmarks. */
final class BenchCommand implements Command {

  /** Every benchmark, in the order {@code bench --help} lists them. */
  static List<Benchmark> benchmarks() {
    return List.of(
        new DatastoreBenchmark(Main.class),
        new TasksBenchmark(),
        new CountersBenchmark(),
        new GroupsBenchmark(),
        new ReadsBenchmark(),
        new OperationsBenchmark(),
        new TurnBenchmark());
  }

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "run a benchmark and print its table (" + names() + ")";
  }

  @Override
  public String help() {
    StringBuilder text =
        new StringBuilder("usage: java -jar hotpath-local.jar bench NAME [FLAGS]\n\n");
    text.append("Benchmarks:\n");
    for (Benchmark b : benchmarks()) {
      text.append(String.format("  %-10s %s%n", b.name(), b.summary()));
    }
    text.append("\nRun 'java -jar hotpath-local.jar bench NAME --help' for a benchmark's flags.\n");
    return text.toString();
  }

  @Override
  public int run(String[] args) throws Exception {
    if (args.length == 0) {
      throw new UsageException("name a benchmark: " + names());
    }
    for (Benchmark b : benchmarks()) {
      if (b.name().equals(args[0])) {
        try (BenchLogs logs = BenchLogs.toFile(b.name())) {
          System.out.println("logs: " + logs.path());
          return b.run(Arrays.copyOfRange(args, 1, args.length));
        }
      }
    }
    throw new UsageException("unknown benchmark '" + args[0] + "'; choose one of " + names());
  }

  private static String names() {
    return benchmarks().stream().map(Benchmark::name).collect(Collectors.joining(", "));
  }
}
