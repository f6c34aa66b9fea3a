package dev.hotpath.emulators.http;

import java.nio.charset.StandardCharsets;

/** One HTTP response: status, content type and body. */
public record HttpResponse(int status, String contentType, byte[] body) {

  public static HttpResponse text(int status, String text) {
    return new HttpResponse(
        status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }
}
