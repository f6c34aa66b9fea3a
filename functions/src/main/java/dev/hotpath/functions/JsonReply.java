package dev.hotpath.functions;

import com.google.cloud.functions.HttpResponse;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotpath.shared.json.Unicode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A JSON answer: status code, body and extra headers; also the one place that writes the error
 * shape.
 */
public record JsonReply(int code, JsonElement body, Map<String, String> headers) {
  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  public static JsonReply ok(JsonElement body) {
    return new JsonReply(200, body, Map.of());
  }

  public static JsonReply created(JsonElement body) {
    return new JsonReply(201, body, Map.of());
  }

  /** {@code {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"…"}}} */
  public static JsonReply error(ApiException e) {
    return new JsonReply(
        e.status().code(), errorBody(e.status().code(), e.getMessage()), e.headers());
  }

  /** The error shape for any HTTP {@code code}, also for errors the HTTP server answers itself. */
  public static JsonObject errorBody(int code, String message) {
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("status", HttpStatus.nameOf(code));
    error.addProperty("message", message);
    JsonObject body = new JsonObject();
    body.add("error", error);
    return body;
  }

  /** {@code body} as the UTF-8 bytes every answer is written as. */
  public static byte[] utf8(JsonElement body) {
    return text(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String text(JsonElement body) {
    // A message may quote what a client sent (a name, a path): an unpaired surrogate there would be
    // written as '?' or break the UTF-8; as a JSON escape it stays exact and valid.
    return Unicode.escapeUnpairedSurrogates(GSON.toJson(body));
  }

  public void writeTo(HttpResponse response) throws IOException {
    response.setStatusCode(code);
    response.setContentType(CONTENT_TYPE);
    headers.forEach(response::appendHeader);
    byte[] bytes = utf8(body);
    // With its length known the answer is complete once written, not when the function returns:
    // an instance shutting down right after (FunctionBoundary) still delivers all of it.
    response.appendHeader("Content-Length", Integer.toString(bytes.length));
    OutputStream out = response.getOutputStream();
    out.write(bytes);
    out.flush();
  }
}
