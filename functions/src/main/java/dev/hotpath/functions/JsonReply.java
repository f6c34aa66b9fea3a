package dev.hotpath.functions;

import com.google.cloud.functions.HttpResponse;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hotpath.shared.json.Unicode;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** A JSON answer: status code, body and extra headers; also the one place that writes the error shape. */
public record JsonReply(int code, JsonElement body, Map<String, String> headers) {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
  private static final String CONTENT_TYPE = "application/json; charset=utf-8";

  public static JsonReply ok(JsonElement body) {
    return new JsonReply(200, body, Map.of());
  }

  public static JsonReply created(JsonElement body) {
    return new JsonReply(201, body, Map.of());
  }

  /** {@code {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"…"}}} */
  public static JsonReply error(ApiException e) {
    JsonObject error = new JsonObject();
    error.addProperty("code", e.status().code());
    error.addProperty("status", e.status().status());
    error.addProperty("message", e.getMessage());
    JsonObject body = new JsonObject();
    body.add("error", error);
    return new JsonReply(e.status().code(), body, e.headers());
  }

  public void writeTo(HttpResponse response) throws IOException {
    response.setStatusCode(code);
    response.setContentType(CONTENT_TYPE);
    headers.forEach(response::appendHeader);
    Writer writer = response.getWriter();
    // A message may quote what a client sent (a name, a path): an unpaired surrogate there would be
    // written as '?' or break the UTF-8; as a JSON escape it stays exact and valid.
    writer.write(Unicode.escapeUnpairedSurrogates(GSON.toJson(body)));
    writer.flush();
  }
}
