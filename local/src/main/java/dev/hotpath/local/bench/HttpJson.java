package dev.hotpath.local.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small JSON-over-HTTP client (java.net.http) for the benchmarks and the integration tests. */
public final class HttpJson {
  public record Reply(int status, JsonObject body, HttpResponse<String> raw) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  private final HttpClient client;
  private final String base;

  /** Sent with every request. */
  private final Map<String, String> headers;

  public HttpJson(String base) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build(),
        base,
        Map.of());
  }

  private HttpJson(HttpClient client, String base, Map<String, String> headers) {
    this.client = client;
    this.base = base;
    this.headers = headers;
  }

  /** The same server and connections, with {@code name: value} added to every request. */
  public HttpJson withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new HttpJson(client, base, Map.copyOf(more));
  }

  /** The base URL requests go to. */
  public String base() {
    return base;
  }

  public Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Reply post(String path, String json) throws Exception {
    return post(path, "application/json", json);
  }

  public Reply post(String path, String contentType, String body) throws Exception {
    return post(path, contentType, body, Map.of());
  }

  /** A POST with extra request headers, e.g. {@code Idempotency-Key}. */
  public Reply post(String path, String contentType, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  public Reply send(String method, String path) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * Every item of a paged listing that answers {@code {"<items>":[…],"nextPageToken":"…"}},
   * following the tokens to the end, in order.
   */
  public List<JsonObject> pageThrough(String path, String items, int pageSize) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    String separator = path.contains("?") ? "&" : "?";
    String token = null;
    do {
      Reply page =
          get(
              path
                  + separator
                  + "pageSize="
                  + pageSize
                  + (token == null ? "" : "&pageToken=" + token));
      if (page.status() != 200) {
        throw new IllegalStateException(
            "listing " + path + " answered " + page.status() + ": " + page.body());
      }
      page.body().getAsJsonArray(items).forEach(e -> all.add(e.getAsJsonObject()));
      token =
          page.body().has("nextPageToken") ? page.body().get("nextPageToken").getAsString() : null;
    } while (token != null);
    return all;
  }

  private Reply send(HttpRequest.Builder request) throws Exception {
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(
            request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject body =
        response.body().isEmpty()
            ? new JsonObject()
            : JsonParser.parseString(response.body()).getAsJsonObject();
    return new Reply(response.statusCode(), body, response);
  }
}
