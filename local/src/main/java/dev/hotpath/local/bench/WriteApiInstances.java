package dev.hotpath.local.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.hotpath.functions.ApiException;
import dev.hotpath.functions.FunctionEnvironment;
import dev.hotpath.functions.HttpStatus;
import dev.hotpath.functions.JsonReply;
import dev.hotpath.functions.WriteApi;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark only: N independent Write API instances in one JVM behind one HTTP server, so that
 * {@code bench counters --instances 100} fits on two cores. Each instance is a {@code new
 * WriteApi(env)} with its own Datastore client, committers, shard planner and commit threads, as N
 * function instances would have; they share only this process's HTTP server and the JVM. A request
 * names its instance in the {@value #HEADER} header (taken modulo N, so client {@code i} can always
 * send {@code i}); a request without a valid one is refused with 400.
 */
public final class WriteApiInstances implements HttpFunction {
  /** How many instances the no-argument constructor builds (default 1). */
  static final String INSTANCES = "HOTPATH_BENCH_INSTANCES";

  static final String HEADER = "X-Hotpath-Instance";

  private final List<WriteApi> instances;

  /**
   * Entry point for the Functions Framework: {@value #INSTANCES} instances configured from the
   * environment.
   */
  public WriteApiInstances() {
    this(FunctionEnvironment.current());
  }

  WriteApiInstances(Map<String, String> env) {
    int count = count(env.getOrDefault(INSTANCES, "1"));
    List<WriteApi> built = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      built.add(new WriteApi(env));
    }
    this.instances = List.copyOf(built);
  }

  private static int count(String value) {
    try {
      int count = Integer.parseInt(value);
      if (count >= 1) {
        return count;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException(
        INSTANCES + " must be a whole number of at least 1, got '" + value + "'");
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    WriteApi instance;
    try {
      instance = instanceFor(request.getFirstHeader(HEADER));
    } catch (ApiException e) {
      JsonReply.error(e).writeTo(response);
      return;
    }
    instance.service(request, response);
  }

  /** The instance a request with {@code header} goes to. */
  WriteApi instanceFor(Optional<String> header) {
    String value =
        header.orElseThrow(
            () -> refused("a request must name its instance in the " + HEADER + " header"));
    try {
      int index = Integer.parseInt(value.trim());
      if (index >= 0) {
        return instances.get(index % instances.size());
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw refused(HEADER + " must be a whole number of at least 0, got '" + value + "'");
  }

  int size() {
    return instances.size();
  }

  private static ApiException refused(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, message);
  }
}
