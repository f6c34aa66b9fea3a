package dev.hotpath.emulators.datastore.engine;

import com.google.datastore.v1.TransactionOptions;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import dev.hotpath.emulators.EmulatorException;
import dev.hotpath.emulators.datastore.store.EntityStore;
import dev.hotpath.emulators.datastore.store.Micros;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open transactions. A transaction expires when idle longer than the idle timeout or older than
 * the lifetime (production: 60 s idle, 270 s in all); an expired, finished or unknown id is refused
 * with INVALID_ARGUMENT. Each open transaction pins its snapshot in the store until it ends.
 *
 * <p>A transaction that a commit ended (committed or aborted) is remembered for a while so that
 * rolling it back is a harmless no-op, as the client's runInTransaction does after a failed commit
 * before it retries.
 */
final class OpenTransactions {
  private static final Duration LIFETIME = Duration.ofSeconds(270);

  private final EntityStore store;
  private final long idleNanos;
  private final Ticker ticker;
  private final Map<ByteString, Transaction> open = new ConcurrentHashMap<>();

  /** Ids of transactions a commit ended, with when; forgotten after {@link #LIFETIME}. */
  private final Map<ByteString, Long> committed = new ConcurrentHashMap<>();

  private final SecureRandom ids = new SecureRandom();

  OpenTransactions(EntityStore store, Duration idleTimeout, Ticker ticker) {
    this.store = store;
    this.idleNanos = idleTimeout.toNanos();
    this.ticker = ticker;
  }

  Transaction begin(String project, String database, TransactionOptions options) {
    boolean readOnly = options.hasReadOnly();
    long snapshot;
    if (readOnly && options.getReadOnly().hasReadTime()) {
      snapshot = store.pinAt(Micros.of(options.getReadOnly().getReadTime()));
      if (snapshot < 0) {
        throw tooOld();
      }
    } else {
      snapshot = store.pinLatest();
    }
    byte[] raw = new byte[16];
    ids.nextBytes(raw);
    Transaction t =
        new Transaction(
            ByteString.copyFrom(raw), project, database, readOnly, snapshot, ticker.nanos());
    open.put(t.id, t);
    return t;
  }

  static EmulatorException tooOld() {
    return new EmulatorException(
        Code.FAILED_PRECONDITION,
        "read_time is older than the oldest version this emulator keeps (it keeps old versions only while a transaction or read needs them)");
  }

  /** The open transaction {@code id} of this project and database, marked as just used. */
  Transaction use(ByteString id, String project, String database) {
    Transaction t = open.get(id);
    if (t == null
        || !t.project.equals(project)
        || !t.database.equals(database)
        || expired(t, ticker.nanos())) {
      throw Errors.invalid(Errors.EXPIRED_TRANSACTION);
    }
    t.lastUsedNanos = ticker.nanos();
    return t;
  }

  /**
   * Ends transaction {@code id} for a commit: no other call can use it any more. The caller unpins
   * its snapshot with {@link #release} once the commit is decided.
   */
  Transaction take(ByteString id, String project, String database) {
    Transaction t = use(id, project, database);
    if (!open.remove(id, t)) {
      throw Errors.invalid(Errors.EXPIRED_TRANSACTION);
    }
    committed.put(id, ticker.nanos());
    return t;
  }

  void release(Transaction t) {
    store.unpin(t.snapshot);
  }

  void rollback(ByteString id, String project, String database) {
    if (committed.containsKey(id)) {
      return;
    }
    Transaction t = use(id, project, database);
    if (open.remove(id, t)) {
      release(t);
    }
  }

  /** Ends every transaction past its time; run periodically. */
  void expire() {
    long now = ticker.nanos();
    committed.values().removeIf(at -> now - at > LIFETIME.toNanos());
    for (Transaction t : open.values()) {
      if (expired(t, now) && open.remove(t.id, t)) {
        release(t);
      }
    }
  }

  void clear() {
    committed.clear();
    for (Transaction t : open.values()) {
      if (open.remove(t.id, t)) {
        release(t);
      }
    }
  }

  private boolean expired(Transaction t, long now) {
    return now - t.lastUsedNanos > idleNanos || now - t.beganNanos > LIFETIME.toNanos();
  }
}
