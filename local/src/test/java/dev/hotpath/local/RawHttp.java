package dev.hotpath.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 exchanges written byte for byte, for requests no well-behaved client library would send
 * (a NUL in the path, oversized headers, a body that never finishes).
 */
final class RawHttp {
  /** An answer: its status code, header block (lower-cased names) and body bytes. */
  record Answer(int status, String headers, byte[] body) {
    String bodyText() throws CharacterCodingException {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    }

    /**
     * Asserts the answer is {@code status} in the JSON error shape, and returns its error object.
     */
    JsonObject assertJsonError(int expected) throws CharacterCodingException {
      String text = bodyText();
      assertEquals(expected, status, headers + "\n" + text);
      assertTrue(headers.contains("content-type: application/json"), headers);
      JsonObject error = JsonParser.parseString(text).getAsJsonObject().getAsJsonObject("error");
      assertEquals(3, error.size(), text);
      assertEquals(expected, error.get("code").getAsInt());
      assertTrue(
          !error.get("status").getAsString().isEmpty()
              && !error.get("message").getAsString().isEmpty(),
          text);
      return error;
    }
  }

  /**
   * Sends {@code request} to loopback {@code port} and reads the answer (closing the connection).
   */
  static Answer exchange(int port, byte[] request, Duration timeout) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout((int) timeout.toMillis());
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  /**
   * Reads one answer from {@code in}: headers, then Content-Length bytes or up to end of stream.
   */
  static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the answer's headers ended: " + head);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    int status = Integer.parseInt(headers.substring(9, 12));
    int length = -1;
    for (String line : headers.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body =
        headers.contains("transfer-encoding: chunked")
            ? chunked(in)
            : length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    return new Answer(status, headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
      if (size == 0) {
        line(in); // the empty line after the last chunk (no trailers here)
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed inside a chunked body");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private RawHttp() {}
}
