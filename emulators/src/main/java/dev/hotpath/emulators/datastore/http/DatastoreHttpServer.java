package dev.hotpath.emulators.datastore.http;

import com.google.gson.JsonObject;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.engine.DatastoreEngine;
import dev.hotpath.emulators.http.HttpConnectionServer;
import dev.hotpath.emulators.http.HttpRequest;
import dev.hotpath.emulators.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * The HTTP edge, as the google-cloud-datastore client speaks it: protobuf POSTs to {@code
 * /v1/projects/{project}:{method}}, answered with the response protobuf, or with a protobuf {@code
 * google.rpc.Status} and the matching HTTP status on failure. Also {@code GET /} ("Ok") and {@code
 * POST /reset}. Callers that do not speak protobuf (admin paths, JSON requests) get errors in the
 * project's JSON shape {@code {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"…"}}}.
 * Listens on loopback only. HTTP/2 connections (the gRPC transport of every client) are relayed to
 * the {@code grpc} route, so one port serves both, as Google's emulators do.
 */
public final class DatastoreHttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DatastoreHttpServer.class.getName());
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String RPC_PREFIX = "/v1/projects/";

  private final DatastoreEngine engine;
  private final Map<String, RpcMethods.Method> methods;
  private final HttpConnectionServer server;

  public DatastoreHttpServer(DatastoreEngine engine, int port, HttpConnectionServer.H2cRoute grpc)
      throws IOException {
    this.engine = engine;
    this.methods = RpcMethods.of(engine);
    this.server = new HttpConnectionServer(port, "datastore-http", this::handle, grpc);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }

  private HttpResponse handle(HttpRequest request) {
    String path = request.path();
    boolean rpcPath = path.startsWith(RPC_PREFIX);
    boolean protobufCaller =
        rpcPath && !request.header("content-type").toLowerCase().contains("json");
    try {
      if (rpcPath) {
        return rpc(request, path.substring(RPC_PREFIX.length()), protobufCaller);
      } else if (path.equals("/")) {
        requireVerb(request, "GET");
        return HttpResponse.text(200, "Ok");
      } else if (path.equals("/reset")) {
        requireVerb(request, "POST");
        engine.reset();
        return HttpResponse.text(200, "Resetting...");
      }
      throw new EmulatorException(Code.NOT_FOUND, "no such path: " + path);
    } catch (EmulatorException e) {
      return error(e.code(), e.getMessage(), protobufCaller);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "request " + request.method() + " " + path + " failed", e);
      return error(Code.INTERNAL, "internal error: " + e, protobufCaller);
    }
  }

  private HttpResponse rpc(HttpRequest request, String rest, boolean protobufCaller)
      throws IOException {
    int colon = rest.lastIndexOf(':');
    if (colon <= 0) {
      throw new EmulatorException(Code.NOT_FOUND, "expected /v1/projects/{project}:{method}");
    }
    String project = URLDecoder.decode(rest.substring(0, colon), StandardCharsets.UTF_8);
    String name = rest.substring(colon + 1);
    RpcMethods.Method method = methods.get(name);
    if (method == null) {
      throw new EmulatorException(Code.UNIMPLEMENTED, "unknown method \"" + name + "\"");
    }
    requireVerb(request, "POST");
    if (!protobufCaller) {
      throw EmulatorException.invalidArgument(
          "this emulator speaks protobuf only; send Content-Type: " + PROTOBUF);
    }
    return new HttpResponse(200, PROTOBUF, method.call(project, body(request)).toByteArray());
  }

  private static void requireVerb(HttpRequest request, String expected) {
    if (!request.method().equals(expected)) {
      throw new EmulatorException(
          Code.UNIMPLEMENTED, "use " + expected + " here, not " + request.method());
    }
  }

  private static byte[] body(HttpRequest request) throws IOException {
    if (!request.header("content-encoding").equalsIgnoreCase("gzip")) {
      return request.body();
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw EmulatorException.invalidArgument(
          "the request body is not valid gzip: " + e.getMessage());
    }
  }

  private static HttpResponse error(Code code, String message, boolean asProtobuf) {
    int status = HttpStatuses.of(code);
    if (asProtobuf) {
      return new HttpResponse(
          status,
          PROTOBUF,
          Status.newBuilder().setCode(code.getNumber()).setMessage(message).build().toByteArray());
    }
    JsonObject error = new JsonObject();
    error.addProperty("code", status);
    error.addProperty("status", code.name());
    error.addProperty("message", message);
    JsonObject wrapper = new JsonObject();
    wrapper.add("error", error);
    return new HttpResponse(
        status,
        "application/json; charset=utf-8",
        wrapper.toString().getBytes(StandardCharsets.UTF_8));
  }
}
