package dev.hotpath.shared.datastore;

import com.google.cloud.datastore.DatastoreException;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.Entity;
import com.google.datastore.v1.Key;
import com.google.datastore.v1.Mutation;
import com.google.datastore.v1.MutationResult;
import com.google.datastore.v1.Value;
import dev.hotpath.shared.config.DatastoreConfig;
import dev.hotpath.shared.validation.InternalKinds;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the backend honours a mutation's {@code base_version}: a write whose base version is not
 * the entity's must report {@code conflict_detected} and change nothing (datastore.proto).
 * Datastore does; Google's Firestore emulator applies a stale one without a word
 * (docs/datastore-emulator.md). Writers that commit blind under the precondition ask this first and
 * fall back to a read-write transaction where the answer is no: exactness never depends on it.
 *
 * <p>The check runs once per client, at the first use, on an entity of its own (a random name of
 * {@link InternalKinds#PROBE}): insert it, then delete it under a version it never had, which must
 * conflict and leave it in place; then delete it. Two writes decide (a third only cleans up), so
 * even a limit of two quick writes per entity lets the check through. A check that fails (Datastore
 * unreachable) answers no, and runs again at a use at least {@link #RECHECK_AFTER} later. The
 * answer is logged once.
 */
public final class BaseVersionSupport {
  static final Duration RECHECK_AFTER = Duration.ofSeconds(10);
  private static final Logger LOG = Logger.getLogger(BaseVersionSupport.class.getName());

  private final ProtoCalls calls;
  private final boolean enabled;
  private final LongSupplier nanoTime;
  private volatile Boolean honoured;
  private long nextCheck;
  private boolean checkedOnce;

  public BaseVersionSupport(
      ProtoCalls calls, DatastoreConfig.VersionedWrites setting, LongSupplier nanoTime) {
    this.calls = calls;
    this.enabled = setting == DatastoreConfig.VersionedWrites.AUTO;
    this.nanoTime = nanoTime;
    if (!enabled) {
      LOG.info("counter flushes use read-write transactions (HOTPATH_VERSIONED_WRITES=off)");
    }
  }

  /** True if blind writes under a base_version are safe on this backend. */
  public boolean honoured() {
    if (!enabled) {
      return false;
    }
    Boolean known = honoured;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (honoured != null) {
        return honoured;
      }
      long now = nanoTime.getAsLong();
      if (checkedOnce && now - nextCheck < 0) {
        return false;
      }
      checkedOnce = true;
      nextCheck = now + RECHECK_AFTER.toNanos();
      try {
        honoured = check();
      } catch (DatastoreException e) {
        LOG.log(
            Level.WARNING,
            "could not check whether Datastore honours base_version; counter flushes use"
                + " transactions until a check succeeds: "
                + e.getMessage());
        return false;
      }
      LOG.info(
          honoured
              ? "Datastore honours base_version: a counter flush to a shard this instance wrote"
                  + " last is one commit"
              : "Datastore ignores a stale base_version (as Google's Firestore emulator does):"
                  + " counter flushes use read-write transactions");
      return honoured;
    }
  }

  private boolean check() {
    Key key = calls.key(InternalKinds.PROBE, UUID.randomUUID().toString());
    long version =
        commit(
                Mutation.newBuilder()
                    .setInsert(
                        Entity.newBuilder()
                            .setKey(key)
                            .putProperties(
                                "probe",
                                Value.newBuilder()
                                    .setBooleanValue(true)
                                    .setExcludeFromIndexes(true)
                                    .build())))
            .getVersion();
    // A version the entity never had: it was created at `version`, the first it has.
    MutationResult stale = commit(Mutation.newBuilder().setDelete(key).setBaseVersion(version - 1));
    if (stale.getConflictDetected()) {
      try {
        commit(Mutation.newBuilder().setDelete(key));
      } catch (DatastoreException e) {
        LOG.log(Level.FINE, "could not delete the base_version probe " + key, e);
      }
      return true;
    }
    return false; // the stale delete was applied: the probe is gone, and so is the precondition
  }

  private MutationResult commit(Mutation.Builder mutation) {
    return calls
        .commit(
            CommitRequest.newBuilder()
                .setMode(CommitRequest.Mode.NON_TRANSACTIONAL)
                .addMutations(mutation))
        .getMutationResults(0);
  }
}
