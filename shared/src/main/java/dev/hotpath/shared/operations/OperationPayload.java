package dev.hotpath.shared.operations;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.hotpath.shared.validation.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The validated {@code mutations} array as the operation record stores it: gzipped JSON, so a
 * request of up to 1 MiB fits Datastore's 1 MiB entity limit in all but pathological cases — and
 * those are refused before anything is written. The hash identifies the mutations for {@code
 * Idempotency-Key} repeats.
 */
public record OperationPayload(byte[] gzippedJson, String hash) {
  /**
   * What the record may hold: Datastore's 1,048,572-byte entity limit minus room for key and state.
   */
  public static final int MAX_STORED_BYTES = 1_000_000;

  public static OperationPayload of(JsonArray mutations) {
    byte[] json = mutations.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] gzipped = out.toByteArray();
    if (gzipped.length > MAX_STORED_BYTES) {
      throw new InvalidInputException(
          "the mutations take "
              + gzipped.length
              + " bytes compressed; an operation may store at most "
              + MAX_STORED_BYTES);
    }
    return new OperationPayload(gzipped, sha256(json));
  }

  public JsonArray mutations() {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedJson))) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getAsJsonArray();
    } catch (IOException e) {
      throw new UncheckedIOException("a stored operation payload is not gzip", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
