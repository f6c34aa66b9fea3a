package dev.hotpath.local.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Benchmark only: one JSON POST handed to a function's {@code service} method in this thread,
 * without HTTP — the function's whole code (routing, parsing, validation, group commit, Datastore)
 * runs, the server and the socket do not. On two cores the invoker's Jetty costs more CPU per
 * request than the function, so an in-process fleet of 100 instances cannot be offered 5,000
 * requests a second over HTTP at all; called directly it can, and the rows then measure what
 * scale-out is about: the instances' commits, shards and the latency their batching adds.
 */
final class DirectCall {
  /** Calls {@code function} with a POST of {@code json} to {@code path}; the status it answered. */
  static int postJson(HttpFunction function, String path, Map<String, String> headers, byte[] json)
      throws Exception {
    Request request = new Request(path, headers, json);
    Response response = new Response();
    function.service(request, response);
    response.flush();
    return response.status;
  }

  private static final class Request implements HttpRequest {
    private final String path;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final byte[] body;

    Request(String path, Map<String, String> extra, byte[] body) {
      this.path = path;
      this.body = body;
      headers.put("Content-Type", List.of("application/json"));
      headers.put("Content-Length", List.of(Integer.toString(body.length)));
      extra.forEach((name, value) -> headers.put(name, List.of(value)));
    }

    @Override
    public String getMethod() {
      return "POST";
    }

    @Override
    public String getUri() {
      return "http://localhost" + path;
    }

    @Override
    public String getPath() {
      return path;
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.empty();
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      return Map.of();
    }

    @Override
    public Map<String, HttpPart> getParts() {
      throw new IllegalStateException("not a multipart request");
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.of("application/json");
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.of("UTF-8");
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  private static final class Response implements HttpResponse {
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private BufferedWriter writer;
    private int status = 200;

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String contentType) {
      headers.put("Content-Type", new ArrayList<>(List.of(contentType)));
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(headers.get("Content-Type")).map(values -> values.get(0));
    }

    @Override
    public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      if (writer == null) {
        writer = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
      }
      return writer;
    }

    void flush() throws IOException {
      if (writer != null) {
        writer.flush();
      }
    }
  }

  private DirectCall() {}
}
