package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.ServiceOptions;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.PartitionId;
import com.google.datastore.v1.Value;
import com.google.datastore.v1.client.DatastoreException;
import com.google.datastore.v1.client.DatastoreFactory;
import com.google.datastore.v1.client.DatastoreOptions;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.function.Executable;

/**
 * The ways conformance tests reach the emulator, all from the outside: the high-level client
 * without retries, the proto-level client (for what the high-level one does not expose or refuses
 * to send) and raw HTTP.
 */
final class Clients {
  static final String PROJECT = DatastoreEmulatorExtension.PROJECT;

  /**
   * Whether the battery runs on ours: only then are error messages checked. The API documents
   * status codes, not wording, so on Google's emulators a case checks the code alone.
   */
  static final boolean OURS =
      !DatastoreBackend.parse(System.getProperty(DatastoreBackend.TEST_PROPERTY, "hotpath"))
          .isGoogle();

  /** The high-level client that reports the first failure instead of retrying it. */
  static com.google.cloud.datastore.Datastore noRetry(DatastoreEmulatorExtension datastore) {
    return datastore
        .optionsBuilder()
        .setRetrySettings(ServiceOptions.getNoRetrySettings())
        .build()
        .getService();
  }

  /** The proto-level client ({@code com.google.datastore.v1.client}), which never retries. */
  static com.google.datastore.v1.client.Datastore proto(DatastoreEmulatorExtension datastore) {
    return proto(datastore.host());
  }

  static com.google.datastore.v1.client.Datastore proto(String host) {
    return DatastoreFactory.get()
        .create(new DatastoreOptions.Builder().projectId(PROJECT).localHost(host).build());
  }

  /** A proto-level key {@code kind("name")} in the default namespace. */
  static Key key(String kind, String name) {
    return Key.newBuilder()
        .setPartitionId(partition())
        .addPath(Key.PathElement.newBuilder().setKind(kind).setName(name))
        .build();
  }

  /** A non-transactional commit that upserts {@code key} with property {@code n}. */
  static CommitRequest upsert(Key key, long n) {
    return CommitRequest.newBuilder()
        .setMode(CommitRequest.Mode.NON_TRANSACTIONAL)
        .addMutations(
            Mutation.newBuilder()
                .setUpsert(
                    Entity.newBuilder()
                        .setKey(key)
                        .putProperties("n", Value.newBuilder().setIntegerValue(n).build())))
        .build();
  }

  /** {@code commit} made part of transaction {@code txn}. */
  static CommitRequest inTransaction(CommitRequest commit, ByteString txn) {
    return commit.toBuilder().setMode(CommitRequest.Mode.TRANSACTIONAL).setTransaction(txn).build();
  }

  static PartitionId partition() {
    return PartitionId.newBuilder().setProjectId(PROJECT).build();
  }

  static HttpResponse<byte[]> post(
      DatastoreEmulatorExtension datastore, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + datastore.host() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<String> get(DatastoreEmulatorExtension datastore, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + datastore.host() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Asserts the proto-level call fails with {@code code} and a message containing {@code words}.
   */
  static DatastoreException assertFails(Code code, String words, Executable call) {
    DatastoreException e = assertThrows(DatastoreException.class, call);
    assertEquals(code, e.getCode(), e::getMessage);
    assertWords(e.getMessage(), words);
    return e;
  }

  /** Asserts the high-level call fails with {@code reason} (e.g. ABORTED) and {@code words}. */
  static com.google.cloud.datastore.DatastoreException assertClientFails(
      String reason, String words, Executable call) {
    com.google.cloud.datastore.DatastoreException e =
        assertThrows(com.google.cloud.datastore.DatastoreException.class, call);
    assertEquals(reason, e.getReason(), e::getMessage);
    assertWords(e.getMessage(), words);
    return e;
  }

  private static void assertWords(String message, String words) {
    if (OURS) {
      assertTrue(
          message.contains(words), () -> "message \"" + message + "\" lacks \"" + words + "\"");
    }
  }

  private Clients() {}
}
