package dev.hotpath.functions;

import com.google.cloud.functions.HttpRequest;
import com.google.gson.JsonObject;
import dev.hotpath.shared.json.KnownFields;
import dev.hotpath.shared.json.StrictJson;
import dev.hotpath.shared.validation.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body as one JSON object: {@code Content-Type: application/json} (UTF-8 only), at
 * most {@value #MAX_BYTES} bytes, strictly valid JSON, only the fields a handler allows.
 *
 * <p>The whole body — reading it, and draining an oversized one — must arrive within {@link
 * #DEADLINE}, or the request is answered 408: the server's idle timeout restarts with every byte,
 * so without an overall bound a client sending a byte now and then holds a thread for as long as it
 * likes. At the deadline the reading thread is interrupted, which ends Jetty's blocking read.
 */
public final class RequestBodies {
  public static final int MAX_BYTES = 1 << 20;

  /** Time for a whole body: 1 MiB in 10 s is 100 KiB/s, slower than any client we serve. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  private static final ScheduledExecutorService ALARMS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "request-body-deadline");
            t.setDaemon(true);
            return t;
          });

  /**
   * An oversized body is still read (and dropped) up to this size before the 413 is sent: many
   * clients cannot read an answer while their upload is cut off, and would see a broken pipe.
   */
  private static final long DRAIN_LIMIT = 16L << 20;

  /** The answer to a body that has not fully arrived within {@link #DEADLINE}. */
  public static ApiException deadlinePassed() {
    return new ApiException(
        HttpStatus.REQUEST_TIMEOUT,
        "the request body did not arrive within " + DEADLINE.toSeconds() + " s");
  }

  public static JsonObject jsonObject(HttpRequest request) throws IOException {
    checkContentType(request);
    InputStream in = request.getInputStream();
    return StrictJson.parseObject(
        utf8(
            underDeadline(
                () -> {
                  if (request.getContentLength() > MAX_BYTES) {
                    throw tooLarge(in);
                  }
                  return readAtMost(in, MAX_BYTES);
                })));
  }

  private interface BodyRead {
    byte[] read() throws IOException;
  }

  /** Runs {@code read} on this thread, interrupting it if it is still reading at the deadline. */
  private static byte[] underDeadline(BodyRead read) {
    Thread reader = Thread.currentThread();
    Object lock = new Object();
    boolean[] state = new boolean[2]; // [0] finished, [1] interrupted by the alarm
    ScheduledFuture<?> alarm =
        ALARMS.schedule(
            () -> {
              synchronized (lock) {
                if (!state[0]) {
                  state[1] = true;
                  reader.interrupt();
                }
              }
            },
            DEADLINE.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return read.read();
    } catch (IOException e) {
      synchronized (lock) {
        if (state[1]) {
          throw deadlinePassed();
        }
      }
      // The client went away or broke the framing: its fault, not a server error to alert on.
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "the request body could not be read: " + e.getMessage());
    } finally {
      alarm.cancel(false);
      synchronized (lock) {
        state[0] = true;
        if (state[1]) {
          Thread.interrupted(); // ours: the thread goes back to the server's pool clean
        }
      }
    }
  }

  /** Refuses members other than {@code allowed}, naming the first unknown one. */
  public static void allowOnly(JsonObject body, Set<String> allowed) {
    KnownFields.check(body, allowed, "the body", InvalidInputException::new);
  }

  private static void checkContentType(HttpRequest request) {
    String type = request.getContentType().orElse("");
    String[] parts = type.split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new ApiException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be application/json, got '"
              + (type.isEmpty() ? "(none)" : type)
              + "'");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].trim().split("=", 2);
      if (param[0].trim().equalsIgnoreCase("charset")
          && !(param.length == 2 && param[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
        throw new ApiException(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "only charset=utf-8 is accepted, got '" + type + "'");
      }
    }
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 * 1024];
    int n;
    while ((n = in.read(chunk)) != -1) {
      if (out.size() + n > limit) {
        throw tooLarge(in);
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "the request body is not valid UTF-8");
    }
  }

  private static ApiException tooLarge(InputStream rest) throws IOException {
    long dropped = 0;
    byte[] sink = new byte[64 * 1024];
    int n;
    while (dropped < DRAIN_LIMIT && (n = rest.read(sink)) != -1) {
      dropped += n;
    }
    return new ApiException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        "the request body is larger than " + MAX_BYTES + " bytes (1 MiB)");
  }

  private RequestBodies() {}
}
