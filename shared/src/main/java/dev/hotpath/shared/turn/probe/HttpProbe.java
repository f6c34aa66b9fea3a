package dev.hotpath.shared.turn.probe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** {@code http}: a GET of the configured URL answering 2xx or 3xx (redirects are not followed). */
public final class HttpProbe implements Probe {
  private final URI url;
  private final HttpClient client;

  public HttpProbe(URI url) {
    this.url = url;
    this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public ProbeKind kind() {
    return ProbeKind.HTTP;
  }

  @Override
  public ProbeAnswer attempt(Duration timeout) throws ProbeFailure {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status < 200 || status >= 400) {
        throw new ProbeFailure("GET " + url + " answered " + status);
      }
      return ProbeAnswer.of("GET answered " + status);
    } catch (HttpTimeoutException e) {
      throw new ProbeFailure("GET " + url + " timed out after " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      throw new ProbeFailure("GET " + url + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeFailure("interrupted");
    }
  }
}
