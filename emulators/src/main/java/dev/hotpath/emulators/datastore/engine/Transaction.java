package dev.hotpath.emulators.datastore.engine;

import com.google.protobuf.ByteString;
import dev.hotpath.emulators.datastore.store.StoreKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One open transaction: it reads the snapshot pinned when it began, and a read-write one remembers
 * every key it read so its commit can check none of them changed since (optimistic concurrency).
 */
final class Transaction {
  final ByteString id;
  final String project;
  final String database;
  final boolean readOnly;
  final long snapshot;
  final long beganNanos;
  volatile long lastUsedNanos;
  final Set<StoreKey> reads = ConcurrentHashMap.newKeySet();

  Transaction(
      ByteString id,
      String project,
      String database,
      boolean readOnly,
      long snapshot,
      long nowNanos) {
    this.id = id;
    this.project = project;
    this.database = database;
    this.readOnly = readOnly;
    this.snapshot = snapshot;
    this.beganNanos = nowNanos;
    this.lastUsedNanos = nowNanos;
  }

  /** Remembers that the transaction read {@code key} (read-write transactions only). */
  void read(StoreKey key) {
    if (!readOnly) {
      reads.add(key);
    }
  }
}
