package dev.hotpath.local.bench;

/** One benchmark of {@code hotpath-local.jar bench NAME}: runs, prints a table, exits. */
public interface Benchmark {

  /** The word after {@code bench}, e.g. {@code datastore}. */
  String name();

  /** One line for the benchmark list. */
  String summary();

  /** Flags this benchmark accepts besides the common ones, one per line with its default. */
  String help();

  /** Runs with the arguments after its name; prints progress and a result table. */
  int run(String[] args) throws Exception;
}
