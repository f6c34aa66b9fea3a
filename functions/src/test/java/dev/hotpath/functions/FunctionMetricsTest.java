package dev.hotpath.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import dev.hotpath.shared.metrics.Metrics;
import dev.hotpath.shared.metrics.MetricsEmitter;
import dev.hotpath.shared.metrics.SummaryFields;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The summary is written by a request once its interval is due: no timer, no lock. */
class FunctionMetricsTest {
  @Test
  void aRequestWritesTheSummaryOnceTheIntervalIsDue() throws Exception {
    AtomicLong nanos = new AtomicLong();
    MetricsEmitter previous =
        FunctionMetrics.use(
            new MetricsEmitter(Metrics.global(), Duration.ofSeconds(60), nanos::get));
    boolean wasOn = Metrics.global().enabled();
    Metrics.global().enabled(true);
    List<LogRecord> records = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public synchronized void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(MetricsEmitter.LOGGER);
    logger.addHandler(capture);
    try {
      FunctionBoundary.serve(
          new BareGet(), new DiscardedResponse(), () -> JsonReply.ok(new JsonObject()));
      assertEquals(List.of(), records, "not due yet");
      nanos.addAndGet(Duration.ofSeconds(60).toNanos());
      FunctionBoundary.serve(
          new BareGet(), new DiscardedResponse(), () -> JsonReply.ok(new JsonObject()));
      assertEquals(1, summaries(records));
      FunctionBoundary.serve(
          new BareGet(), new DiscardedResponse(), () -> JsonReply.ok(new JsonObject()));
      assertEquals(1, summaries(records), "the next is due a whole interval later");
    } finally {
      logger.removeHandler(capture);
      Metrics.global().enabled(wasOn);
      FunctionMetrics.use(previous);
    }
  }

  private static long summaries(List<LogRecord> records) {
    return records.stream()
        .map(r -> (Map<?, ?>) r.getParameters()[0])
        .filter(fields -> SummaryFields.SUMMARY.equals(fields.get(SummaryFields.RECORD)))
        .count();
  }

  /** A response nobody reads. */
  /** A GET of "/" with no headers and no body: all the boundary reads of a request here. */
  private static final class BareGet implements HttpRequest {
    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getUri() {
      return "http://localhost/";
    }

    @Override
    public String getPath() {
      return "/";
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
      return Map.of();
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.empty();
    }

    @Override
    public long getContentLength() {
      return 0;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.empty();
    }

    @Override
    public InputStream getInputStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new StringReader(""));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return Map.of();
    }
  }

  private static final class DiscardedResponse implements HttpResponse {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public void setStatusCode(int code) {}

    @Override
    public void setStatusCode(int code, String message) {}

    @Override
    public void setContentType(String type) {}

    @Override
    public Optional<String> getContentType() {
      return Optional.empty();
    }

    @Override
    public void appendHeader(String header, String value) {}

    @Override
    public Map<String, List<String>> getHeaders() {
      return Map.of();
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }
  }
}
