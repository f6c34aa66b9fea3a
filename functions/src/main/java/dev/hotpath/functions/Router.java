package dev.hotpath.functions;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatches requests by method and path template ({@code /v1/counters/{name}:increment}) and turns
 * every failure into the JSON error shape: unknown path 404, known path with another method 405
 * with {@code Allow}, typed errors via {@link ErrorMapping}. A variable matches one path segment up
 * to a {@code :} (possibly empty, so the handler can name an empty name).
 */
public final class Router {

  /** Handles one matched request; {@code params} holds the template variables, raw from the URL. */
  @FunctionalInterface
  public interface Handler {
    JsonReply handle(HttpRequest request, Map<String, String> params) throws Exception;
  }

  private record Route(
      String method, String template, Pattern pattern, List<String> names, Handler handler) {}

  private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z]+)\\}");

  private final List<Route> routes;

  private Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Serves {@code request} through the {@link FunctionBoundary}: always answers. */
  public void serve(HttpRequest request, HttpResponse response) throws IOException {
    FunctionBoundary.serve(request, response, () -> dispatch(request));
  }

  private JsonReply dispatch(HttpRequest request) throws Exception {
    String path = request.getPath();
    TreeSet<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      Matcher m = route.pattern.matcher(path);
      if (!m.matches()) {
        continue;
      }
      if (!route.method.equals(request.getMethod())) {
        allowed.add(route.method);
        continue;
      }
      Map<String, String> params = new LinkedHashMap<>();
      for (String name : route.names) {
        params.put(name, m.group(name));
      }
      return route.handler.handle(request, params);
    }
    if (!allowed.isEmpty()) {
      throw new ApiException(
          HttpStatus.METHOD_NOT_ALLOWED,
          "method "
              + request.getMethod()
              + " is not allowed on "
              + path
              + "; use "
              + String.join(" or ", allowed),
          Map.of("Allow", String.join(", ", allowed)));
    }
    throw new ApiException(
        HttpStatus.NOT_FOUND, "no such route: " + request.getMethod() + " " + path);
  }

  /** The first value of query parameter {@code name}, refusing parameters not in {@code known}. */
  public static Optional<String> query(HttpRequest request, String name, List<String> known) {
    refuseUnknownQuery(request, known);
    return request.getFirstQueryParameter(name);
  }

  /** Refuses query parameters not in {@code known}, naming the first unknown one. */
  public static void refuseUnknownQuery(HttpRequest request, List<String> known) {
    for (String given : request.getQueryParameters().keySet()) {
      if (!known.contains(given)) {
        throw new ApiException(
            HttpStatus.BAD_REQUEST,
            "unknown query parameter '"
                + given
                + "'"
                + (known.isEmpty() ? "" : "; allowed: " + known));
      }
    }
  }

  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    public Builder route(String method, String template, Handler handler) {
      List<String> names = new ArrayList<>();
      StringBuilder regex = new StringBuilder();
      Matcher m = VARIABLE.matcher(template);
      int last = 0;
      while (m.find()) {
        regex.append(Pattern.quote(template.substring(last, m.start())));
        regex.append("(?<").append(m.group(1)).append(">[^/:]*)");
        names.add(m.group(1));
        last = m.end();
      }
      regex.append(Pattern.quote(template.substring(last)));
      routes.add(new Route(method, template, Pattern.compile(regex.toString()), names, handler));
      return this;
    }

    public Router build() {
      return new Router(routes);
    }
  }
}
