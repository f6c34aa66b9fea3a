package dev.hotpath.emulators.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 message framing shared by {@link HttpConnectionServer} and the Cloud Tasks emulator's
 * dispatch client: header lines and Content-Length or chunked bodies, read from a blocking stream.
 */
public final class HttpWire {
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  private HttpWire() {}

  /** One CRLF-terminated line in ISO-8859-1, or null at end of stream when {@code eofOk}. */
  public static String line(InputStream in, boolean eofOk) throws IOException {
    StringBuilder s = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (eofOk && s.length() == 0) {
          return null;
        }
        throw new IOException("connection closed mid-line");
      }
      if (b == '\n') {
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '\r') {
          s.setLength(end - 1);
        }
        return s.toString();
      }
      if (s.length() >= MAX_HEADER_BYTES) {
        throw new IOException("line too long");
      }
      s.append((char) b);
    }
  }

  /**
   * Header lines up to the blank one, by lower-case name (the last wins), or null when malformed or
   * too large.
   */
  public static Map<String, String> headers(InputStream in) throws IOException {
    Map<String, String> headers = new HashMap<>();
    int total = 0;
    while (true) {
      String line = line(in, false);
      if (line.isEmpty()) {
        return headers;
      }
      total += line.length();
      int colon = line.indexOf(':');
      if (colon <= 0 || total > MAX_HEADER_BYTES) {
        return null;
      }
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
  }

  /**
   * One response as a client reads it.
   *
   * @param headers by lower-case name
   * @param body as framed (empty when there is none), or null when it could not be read whole
   * @param reusable whether the connection can carry the next request (kept alive, and the body was
   *     framed and read whole)
   */
  public record Response(int status, Map<String, String> headers, byte[] body, boolean reusable) {}

  /**
   * Reads the response to a request just written with {@code method}, skipping interim 1xx ones and
   * reading past its body (up to {@code maxBodyBytes}) so that the next response starts clean.
   *
   * @return the response, or null when the connection ended before any of it arrived (a kept-alive
   *     connection the server had already closed)
   * @throws IOException when the status line or the headers are malformed
   */
  public static Response readResponse(InputStream in, String method, int maxBodyBytes)
      throws IOException {
    while (true) {
      String statusLine = line(in, true);
      if (statusLine == null) {
        return null;
      }
      String[] parts = statusLine.split(" ", 3);
      int status;
      try {
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
          throw new NumberFormatException();
        }
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("malformed status line '" + statusLine + "'");
      }
      Map<String, String> headers = headers(in);
      if (headers == null) {
        throw new IOException("malformed response headers");
      }
      if (status >= 100 && status < 200) {
        continue;
      }
      String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
      boolean reusable =
          parts[0].equals("HTTP/1.0")
              ? connection.contains("keep-alive")
              : !connection.contains("close");
      byte[] body = new byte[0];
      if (!method.equals("HEAD") && status != 204 && status != 304) {
        // A body without framing runs until close; one that cannot be read leaves the stream
        // mid-message.
        boolean framed = chunked(headers) || headers.get("content-length") != null;
        body = framed ? body(in, headers, maxBodyBytes) : null;
        reusable = reusable && body != null;
      }
      return new Response(status, headers, body, reusable);
    }
  }

  /** Whether the headers announce a chunked body. */
  public static boolean chunked(Map<String, String> headers) {
    return headers
        .getOrDefault("transfer-encoding", "")
        .toLowerCase(Locale.ROOT)
        .contains("chunked");
  }

  /**
   * The Content-Length value, -1 when there is none, or null when it is malformed or above {@code
   * maxBytes}.
   */
  public static Long contentLength(Map<String, String> headers, int maxBytes) {
    String length = headers.get("content-length");
    if (length == null) {
      return -1L;
    }
    long n;
    try {
      n = Long.parseLong(length);
    } catch (NumberFormatException e) {
      return null;
    }
    return n < 0 || n > maxBytes ? null : n;
  }

  /**
   * A body framed by Content-Length or chunked encoding (empty when neither is given), or null when
   * it is malformed, truncated or larger than {@code maxBytes}.
   */
  public static byte[] body(InputStream in, Map<String, String> headers, int maxBytes)
      throws IOException {
    if (chunked(headers)) {
      return chunkedBody(in, maxBytes);
    }
    Long n = contentLength(headers, maxBytes);
    if (n == null) {
      return null;
    }
    if (n < 0) {
      return new byte[0];
    }
    byte[] body = in.readNBytes(n.intValue());
    return body.length == n ? body : null;
  }

  private static byte[] chunkedBody(InputStream in, int maxBytes) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, false);
      int semicolon = sizeLine.indexOf(';');
      int size;
      try {
        size =
            Integer.parseInt(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        return null;
      }
      if (size < 0 || body.size() + (long) size > maxBytes) {
        return null;
      }
      if (size == 0) {
        while (!line(in, false).isEmpty()) {
          // skip trailers
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        return null;
      }
      body.write(chunk);
      line(in, false);
    }
  }
}
