package dev.hotpath.emulators.tasks.oidc;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The small HTTP server beside the gRPC port that publishes the emulator's signing key: {@code GET
 * /.well-known/jwks.json}, and {@code GET /.well-known/openid-configuration} naming it, for
 * libraries that discover keys from the issuer. Anything else answers in the project's JSON error
 * shape.
 */
public final class JwksServer implements AutoCloseable {
  public static final String JWKS_PATH = "/.well-known/jwks.json";
  private static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

  private final HttpServer server;

  public JwksServer(int port, OidcTokenSigner signer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            answer(exchange, signer);
          }
        });
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String jwksUrl() {
    return "http://localhost:" + port() + JWKS_PATH;
  }

  private void answer(HttpExchange exchange, OidcTokenSigner signer) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!path.equals(JWKS_PATH) && !path.equals(DISCOVERY_PATH)) {
      error(exchange, 404, "NOT_FOUND", "no such path " + path + "; the JWKS is at " + JWKS_PATH);
    } else if (!exchange.getRequestMethod().equals("GET")) {
      exchange.getResponseHeaders().add("Allow", "GET");
      error(
          exchange,
          405,
          "INVALID_ARGUMENT",
          exchange.getRequestMethod() + " is not allowed; use GET");
    } else if (path.equals(JWKS_PATH)) {
      send(exchange, 200, signer.jwks());
    } else {
      JsonObject discovery = new JsonObject();
      discovery.addProperty("issuer", OidcTokenSigner.ISSUER);
      discovery.addProperty("jwks_uri", jwksUrl());
      send(exchange, 200, discovery.toString());
    }
  }

  private static void error(HttpExchange exchange, int code, String status, String message)
      throws IOException {
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("status", status);
    error.addProperty("message", message);
    JsonObject body = new JsonObject();
    body.add("error", error);
    send(exchange, code, body.toString());
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
