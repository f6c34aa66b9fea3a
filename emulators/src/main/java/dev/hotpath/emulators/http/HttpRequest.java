package dev.hotpath.emulators.http;

import java.util.Map;

/**
 * One HTTP request as the edge needs it.
 *
 * @param method the verb, e.g. POST
 * @param path the raw (still percent-encoded) path, without the query string
 * @param headers header values by lower-case name (the last one wins when repeated)
 * @param body the body, already de-chunked
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body) {

  public String header(String lowerCaseName) {
    return headers.getOrDefault(lowerCaseName, "");
  }
}
