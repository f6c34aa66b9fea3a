package dev.hotpath.emulators.tasks.engine;

import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.Task;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import dev.hotpath.emulators.tasks.oidc.OidcTokenSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Cloud Tasks emulator keeps in {@code --data-dir}, so a restart loses no queue, no task
 * and no signing key (tokens issued before it still verify, and the worker's cached JWKS still
 * holds the key):
 *
 * <ul>
 *   <li>{@value #KEY_FILE}: the RSA private key the OIDC tokens are signed with (PKCS#8,
 *       owner-only);
 *   <li>{@value #STATE_FILE}: every queue and its tasks as protobufs, rewritten — to a temporary
 *       file, forced to disk, then renamed over the old one — after every change, before the change
 *       is acknowledged. A crash leaves the previous or the new state, never half of one.
 * </ul>
 *
 * Not kept: attempt history (a restored task's dispatch count starts again) and the names of
 * finished tasks (production refuses to reuse them for about an hour; after a restart they are
 * free).
 */
public final class TasksDataDir {
  static final String KEY_FILE = "cloud-tasks.signing-key.pk8";
  static final String STATE_FILE = "cloud-tasks.pb";

  /** A queue and its tasks, as stored. */
  public record QueueState(Queue queue, List<Task> tasks) {}

  private final Path dir;

  public TasksDataDir(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
  }

  /** The signing key kept here, made (and kept) now if there is none. */
  public KeyPair signingKey() {
    Path file = dir.resolve(KEY_FILE);
    try {
      if (Files.exists(file)) {
        RSAPrivateCrtKey key =
            (RSAPrivateCrtKey)
                KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(file)));
        return new KeyPair(
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())),
            key);
      }
      KeyPair made = OidcTokenSigner.newKeyPair();
      Path temporary = dir.resolve(KEY_FILE + ".tmp");
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      writeDurably(temporary, made.getPrivate().getEncoded());
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      return made;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the signing key " + file, e);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalStateException(
          file + " does not hold an RSA private key (PKCS#8); move it away to make a new one", e);
    }
  }

  /** Every queue with its tasks as last saved; empty when nothing was saved yet. */
  public List<QueueState> load() {
    Path file = dir.resolve(STATE_FILE);
    List<QueueState> queues = new ArrayList<>();
    if (!Files.exists(file)) {
      return queues;
    }
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      int queueCount = coded.readInt32();
      for (int q = 0; q < queueCount; q++) {
        Queue queue = coded.readMessage(Queue.parser(), ExtensionRegistryLite.getEmptyRegistry());
        int taskCount = coded.readInt32();
        List<Task> tasks = new ArrayList<>(taskCount);
        for (int t = 0; t < taskCount; t++) {
          tasks.add(coded.readMessage(Task.parser(), ExtensionRegistryLite.getEmptyRegistry()));
        }
        queues.add(new QueueState(queue, tasks));
      }
      return queues;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the saved queues " + file, e);
    }
  }

  /** Replaces the saved state with {@code queues}, durably, before returning. */
  public synchronized void save(List<QueueState> queues) {
    Path temporary = dir.resolve(STATE_FILE + ".tmp");
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      CodedOutputStream coded = CodedOutputStream.newInstance(bytes);
      coded.writeInt32NoTag(queues.size());
      for (QueueState state : queues) {
        coded.writeMessageNoTag(state.queue());
        coded.writeInt32NoTag(state.tasks().size());
        for (Task task : state.tasks()) {
          coded.writeMessageNoTag(task);
        }
      }
      coded.flush();
      writeDurably(temporary, bytes.toByteArray());
      Files.move(
          temporary,
          dir.resolve(STATE_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the queues to " + dir, e);
    }
  }

  private static void writeDurably(Path file, byte[] content) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      try (OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        out.write(content);
        out.flush();
        channel.force(true);
      }
    }
  }
}
