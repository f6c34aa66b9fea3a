package dev.hotpath.local.stack;

import dev.hotpath.functions.JsonReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers — a request it refuses before any function sees it (NUL or bad escapes
 * in the URI, headers over the size limit, a malformed request line) and errors raised around the
 * function (the invoker's 404s) — in the functions' JSON error shape instead of Jetty's HTML page.
 * Both of Jetty's paths are covered: {@link #badMessageError} for what the parser refuses, {@link
 * #generateAcceptableResponse} for {@code sendError} during a request.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
    fields.put(HttpHeader.CONTENT_TYPE, JsonReply.CONTENT_TYPE);
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    baseRequest.setHandled(true);
    response.setContentType(JsonReply.CONTENT_TYPE);
    byte[] body = body(code, message);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static byte[] body(int code, String reason) {
    String message = reason == null || reason.isBlank() ? "HTTP " + code : reason;
    return JsonReply.utf8(JsonReply.errorBody(code, message));
  }
}
