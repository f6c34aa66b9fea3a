package dev.hotpath.emulators.datastore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.datastore.Datastore;
import com.google.cloud.datastore.DatastoreException;
import com.google.cloud.datastore.Entity;
import com.google.cloud.datastore.Key;
import com.google.cloud.datastore.Query;
import com.google.cloud.datastore.StructuredQuery;
import com.google.cloud.datastore.Transaction;
import com.google.datastore.v1.BeginTransactionRequest;
import com.google.datastore.v1.CommitRequest;
import com.google.datastore.v1.LookupRequest;
import com.google.datastore.v1.LookupResponse;
import com.google.datastore.v1.ReadOptions;
import com.google.datastore.v1.RollbackRequest;
import com.google.datastore.v1.TransactionOptions;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Read-write and read-only transactions, optimistic conflicts and atomic commits. */
@ExtendWith(ExpectedDifferences.class)
class TransactionConformanceTest {
  @RegisterExtension
  static final DatastoreEmulatorExtension datastore =
      DatastoreEmulatorExtension.onBackendUnderTest(b -> b);

  private static Transaction readOnly(Datastore ds) {
    return ds.newTransaction(
        TransactionOptions.newBuilder()
            .setReadOnly(TransactionOptions.ReadOnly.getDefaultInstance())
            .build());
  }

  private static Entity counter(Key key, long n) {
    return Entity.newBuilder(key).set("n", n).build();
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aTransactionCommitsAllItsWritesTogether(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key a = ds.newKeyFactory().setKind("Account").newKey("a");
    Key b = ds.newKeyFactory().setKind("Account").newKey("b");
    ds.put(counter(a, 100), counter(b, 0));

    Transaction txn = ds.newTransaction();
    long balance = txn.get(a).getLong("n");
    txn.put(counter(a, balance - 30), counter(b, 30));
    assertEquals(100, ds.get(a).getLong("n"), "nothing is visible before the commit");
    txn.commit();

    assertEquals(70, ds.get(a).getLong("n"));
    assertEquals(30, ds.get(b).getLong("n"));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aCommitSinceTheReadAbortsTheTransactionAndChangesNothing(ClientTransport transport) {
    Datastore ds = transport.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Counter").newKey("c");
    Key other = ds.newKeyFactory().setKind("Counter").newKey("other");
    ds.put(counter(key, 1));

    Transaction txn = ds.newTransaction();
    long seen = txn.get(key).getLong("n");
    ds.put(counter(key, 10));
    txn.put(counter(key, seen + 1), counter(other, 1));
    DatastoreException e = Clients.assertClientFails("ABORTED", "transaction aborted", txn::commit);
    txn.rollback(); // what applications do after a failed commit: a harmless no-op

    assertEquals(10, ds.get(key).getLong("n"));
    assertNull(ds.get(other), "an aborted commit writes nothing");
    datastore.ours().ifPresent(ours -> assertTrue(ours.stats().aborted() >= 1, e.getMessage()));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aBlindWriteConflictsWithACommitSinceTheTransactionBegan(ClientTransport transport) {
    Datastore ds = transport.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Counter").newKey("blind");
    Transaction txn = ds.newTransaction();
    ds.put(counter(key, 5));
    txn.put(counter(key, 1));
    Clients.assertClientFails("ABORTED", "transaction aborted", txn::commit);
    assertEquals(5, ds.get(key).getLong("n"));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aDeleteSinceTheReadAlsoConflicts(ClientTransport transport) {
    Datastore ds = transport.noRetry(datastore);
    Key key = ds.newKeyFactory().setKind("Counter").newKey("deleted");
    ds.put(counter(key, 1));
    Transaction txn = ds.newTransaction();
    txn.get(key);
    ds.delete(key);
    txn.put(counter(key, 2));
    Clients.assertClientFails("ABORTED", "transaction aborted", txn::commit);
    assertNull(ds.get(key));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void ofNConcurrentConflictingTransactionsExactlyOneCommits(ClientTransport transport)
      throws Exception {
    int n = 8;
    Datastore setup = transport.client(datastore);
    Key key = setup.newKeyFactory().setKind("Counter").newKey("hot");
    setup.put(counter(key, 0));
    CyclicBarrier allRead = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long mine = i + 1;
        outcomes.add(
            pool.submit(
                () -> {
                  Datastore ds =
                      transport.client(datastore); // default retry settings, as applications use it
                  Transaction txn = ds.newTransaction();
                  txn.get(key);
                  allRead.await(60, TimeUnit.SECONDS);
                  txn.put(Entity.newBuilder(key).set("n", mine).set("winner", mine).build());
                  try {
                    txn.commit();
                    return "committed " + mine;
                  } catch (DatastoreException e) {
                    return e.getReason();
                  }
                }));
      }
      List<String> results = new ArrayList<>();
      for (Future<String> f : outcomes) {
        results.add(f.get(120, TimeUnit.SECONDS));
      }
      List<String> winners = results.stream().filter(r -> r.startsWith("committed")).toList();
      assertEquals(1, winners.size(), results::toString);
      assertEquals(n - 1, results.stream().filter("ABORTED"::equals).count(), results::toString);
      long winner = Long.parseLong(winners.get(0).substring("committed ".length()));
      Entity stored = setup.get(key);
      assertEquals(winner, stored.getLong("n"));
      assertEquals(winner, stored.getLong("winner"));
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void runInTransactionRetriesConflictsSoNoIncrementIsLost(ClientTransport transport)
      throws Exception {
    Datastore setup = transport.client(datastore);
    Key key = setup.newKeyFactory().setKind("Counter").newKey("increments");
    setup.put(counter(key, 0));
    int threads = 4;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  Datastore ds = transport.client(datastore);
                  for (int i = 0; i < each; i++) {
                    ds.runInTransaction(
                        txn -> {
                          txn.put(counter(key, txn.get(key).getLong("n") + 1));
                          return null;
                        });
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each, setup.get(key).getLong("n"));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void concurrentTransfersKeepTheTotalAndSnapshotsAlwaysSeeIt(ClientTransport transport)
      throws Exception {
    Datastore setup = transport.client(datastore);
    int accounts = 10;
    long each = 100;
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      Key k = setup.newKeyFactory().setKind("Account").newKey("acct" + i);
      keys.add(k);
      setup.put(counter(k, each));
    }
    long total = accounts * each;
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        work.add(
            pool.submit(
                () -> {
                  Datastore ds = transport.client(datastore);
                  java.util.Random random = new java.util.Random();
                  for (int i = 0; i < 15; i++) {
                    Key from = keys.get(random.nextInt(accounts));
                    Key to = keys.get(random.nextInt(accounts));
                    long amount = 1 + random.nextInt(10);
                    try {
                      ds.runInTransaction(
                          txn -> {
                            Entity a = txn.get(from);
                            Entity b = from.equals(to) ? a : txn.get(to);
                            if (!from.equals(to)) {
                              txn.put(
                                  counter(from, a.getLong("n") - amount),
                                  counter(to, b.getLong("n") + amount));
                            }
                            return null;
                          });
                    } catch (DatastoreException e) {
                      assertEquals(
                          "ABORTED",
                          e.getReason(),
                          "only contention may defeat the retries"); // changes nothing
                    }
                  }
                  return null;
                }));
      }
      work.add(
          pool.submit(
              () -> {
                Datastore ds = transport.client(datastore);
                for (int i = 0; i < 20; i++) {
                  Transaction snapshot = readOnly(ds);
                  long sum = 0;
                  for (Key k : keys) {
                    sum +=
                        snapshot
                            .get(k)
                            .getLong(
                                "n"); // one lookup per key: only a snapshot keeps them consistent
                  }
                  snapshot.rollback();
                  assertEquals(total, sum, "a read-only transaction sees one consistent state");
                }
                return null;
              }));
      for (Future<?> f : work) {
        f.get(300, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        total, setup.fetch(keys.toArray(new Key[0])).stream().mapToLong(e -> e.getLong("n")).sum());
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aReadOnlyTransactionReadsTheSnapshotOfItsBeginning(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key a = ds.newKeyFactory().setKind("Doc").newKey("a");
    Key b = ds.newKeyFactory().setKind("Doc").newKey("b");
    ds.put(counter(a, 1));

    Transaction snapshot = readOnly(ds);
    assertEquals(1, snapshot.get(a).getLong("n"));
    ds.put(counter(a, 2), counter(b, 2));

    assertEquals(1, snapshot.get(a).getLong("n"), "a later commit is invisible to the snapshot");
    assertNull(snapshot.get(b), "an entity created later does not exist in the snapshot");
    snapshot.commit();
    assertEquals(2, ds.get(a).getLong("n"));
  }

  @Test
  void aReadOnlyTransactionCannotWrite() throws Exception {
    var proto = Clients.proto(datastore);
    ByteString txn =
        proto
            .beginTransaction(
                BeginTransactionRequest.newBuilder()
                    .setTransactionOptions(
                        TransactionOptions.newBuilder()
                            .setReadOnly(TransactionOptions.ReadOnly.getDefaultInstance()))
                    .build())
            .getTransaction();
    assertWriteRefused(proto, txn, "read-only transaction");
  }

  /**
   * A write in {@code txn} is refused with INVALID_ARGUMENT and {@code words}, and changes nothing.
   */
  private static void assertWriteRefused(
      com.google.datastore.v1.client.Datastore proto, ByteString txn, String words)
      throws Exception {
    com.google.datastore.v1.Key key = Clients.key("Doc", "x");
    CommitRequest write = Clients.inTransaction(Clients.upsert(key, 1), txn);
    Clients.assertFails(Code.INVALID_ARGUMENT, words, () -> proto.commit(write));
    assertEquals(0, proto.lookup(LookupRequest.newBuilder().addKeys(key).build()).getFoundCount());
  }

  @Test
  void aRolledBackTransactionWritesNothingAndIsGone() throws Exception {
    var proto = Clients.proto(datastore);
    ByteString txn =
        proto.beginTransaction(BeginTransactionRequest.getDefaultInstance()).getTransaction();
    proto.rollback(RollbackRequest.newBuilder().setTransaction(txn).build());
    assertWriteRefused(proto, txn, "expired or is no longer valid");
  }

  /**
   * A commit with {@code single_use_transaction} begins and commits a transaction in one round
   * trip: all its mutations apply together, or none does (a group's batch of appends relies on it).
   */
  @Test
  void aSingleUseTransactionCommitsAllOrNothingInOneCall() throws Exception {
    var proto = Clients.proto(datastore);
    com.google.datastore.v1.Key taken = Clients.key("Doc", "single-use-taken");
    com.google.datastore.v1.Key fresh = Clients.key("Doc", "single-use-fresh");
    com.google.datastore.v1.Key other = Clients.key("Doc", "single-use-other");
    proto.commit(Clients.upsert(taken, 1));
    TransactionOptions singleUse =
        TransactionOptions.newBuilder()
            .setReadWrite(TransactionOptions.ReadWrite.getDefaultInstance())
            .build();
    CommitRequest both =
        Clients.upsert(fresh, 1).toBuilder()
            .addAllMutations(Clients.upsert(other, 2).getMutationsList())
            .setMode(CommitRequest.Mode.TRANSACTIONAL)
            .setSingleUseTransaction(singleUse)
            .build();
    assertEquals(2, proto.commit(both).getMutationResultsCount());
    assertEquals(
        2,
        proto
            .lookup(LookupRequest.newBuilder().addKeys(fresh).addKeys(other).build())
            .getFoundCount());

    com.google.datastore.v1.Key never = Clients.key("Doc", "single-use-never");
    CommitRequest halfTaken =
        CommitRequest.newBuilder()
            .setMode(CommitRequest.Mode.TRANSACTIONAL)
            .setSingleUseTransaction(singleUse)
            .addMutations(
                com.google.datastore.v1.Mutation.newBuilder()
                    .setInsert(Clients.upsert(never, 1).getMutations(0).getUpsert()))
            .addMutations(
                com.google.datastore.v1.Mutation.newBuilder()
                    .setInsert(Clients.upsert(taken, 2).getMutations(0).getUpsert()))
            .build();
    Clients.assertFails(Code.ALREADY_EXISTS, "", () -> proto.commit(halfTaken));
    assertEquals(
        0, proto.lookup(LookupRequest.newBuilder().addKeys(never).build()).getFoundCount());
  }

  @Test
  void aLookupCanBeginTheTransaction() throws Exception {
    var proto = Clients.proto(datastore);
    com.google.datastore.v1.Key key = Clients.key("Doc", "lazy");
    proto.commit(Clients.upsert(key, 1));
    LookupResponse read =
        proto.lookup(
            LookupRequest.newBuilder()
                .addKeys(key)
                .setReadOptions(
                    ReadOptions.newBuilder()
                        .setNewTransaction(TransactionOptions.getDefaultInstance()))
                .build());
    assertFalse(read.getTransaction().isEmpty());
    proto.commit(Clients.upsert(key, 2));
    CommitRequest write = Clients.inTransaction(Clients.upsert(key, 3), read.getTransaction());
    Clients.assertFails(Code.ABORTED, "transaction aborted", () -> proto.commit(write));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void entitiesAQueryReturnedInATransactionAreCheckedAtCommit(ClientTransport transport) {
    Datastore ds = transport.noRetry(datastore);
    Key member = ds.newKeyFactory().setKind("Member").newKey("m");
    Key summary = ds.newKeyFactory().setKind("Summary").newKey("s");
    ds.put(counter(member, 1));

    Transaction txn = ds.newTransaction();
    var results = txn.run(Query.newEntityQueryBuilder().setKind("Member").build());
    long total = 0;
    while (results.hasNext()) {
      total += results.next().getLong("n");
    }
    ds.put(counter(member, 5));
    txn.put(counter(summary, total));
    Clients.assertClientFails("ABORTED", "transaction aborted", txn::commit);
    assertNull(ds.get(summary));
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void aQueryInAReadOnlyTransactionSeesItsSnapshot(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    ds.put(counter(ds.newKeyFactory().setKind("Member").newKey("a"), 1));
    Transaction snapshot = readOnly(ds);
    ds.put(counter(ds.newKeyFactory().setKind("Member").newKey("b"), 1));
    var inSnapshot = snapshot.run(Query.newKeyQueryBuilder().setKind("Member").build());
    List<Key> keys = new ArrayList<>();
    inSnapshot.forEachRemaining(keys::add);
    assertEquals(List.of(ds.newKeyFactory().setKind("Member").newKey("a")), keys);
    snapshot.rollback();
  }

  @ParameterizedTest
  @EnumSource(ClientTransport.class)
  void anAncestorQueryInATransactionSeesItsSnapshot(ClientTransport transport) {
    Datastore ds = transport.client(datastore);
    Key group = ds.newKeyFactory().setKind("Group").newKey("g");
    Key early = Key.newBuilder(group, "Member", "early").build();
    ds.put(counter(group, 0), counter(early, 1));

    Transaction txn = ds.newTransaction();
    txn.get(group);
    ds.put(counter(Key.newBuilder(group, "Member", "late").build(), 1));
    var inTransaction =
        txn.run(
            Query.newKeyQueryBuilder()
                .setKind("Member")
                .setFilter(StructuredQuery.PropertyFilter.hasAncestor(group))
                .build());
    List<Key> keys = new ArrayList<>();
    inTransaction.forEachRemaining(keys::add);
    assertEquals(List.of(early), keys, "the member inserted after the transaction began is unseen");
    txn.rollback();
  }

  @Test
  void readTimeReadsAreServedWhileThatVersionIsKept() throws Exception {
    var proto = Clients.proto(datastore);
    com.google.datastore.v1.Key key = Clients.key("Doc", "timed");
    var written = proto.commit(Clients.upsert(key, 1));
    LookupResponse now =
        proto.lookup(
            LookupRequest.newBuilder()
                .addKeys(key)
                .setReadOptions(ReadOptions.newBuilder().setReadTime(written.getCommitTime()))
                .build());
    assertEquals(1, now.getFound(0).getEntity().getPropertiesOrThrow("n").getIntegerValue());
    proto.commit(Clients.upsert(key, 2));
    Clients.assertFails(
        Code.FAILED_PRECONDITION,
        "older than the oldest version",
        () ->
            proto.lookup(
                LookupRequest.newBuilder()
                    .addKeys(key)
                    .setReadOptions(
                        ReadOptions.newBuilder()
                            .setReadTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1)))
                    .build()));
  }

  @Test
  void anIdleTransactionExpires() throws Exception {
    ManualTicker time = new ManualTicker();
    try (DatastoreEmulator emulator =
        DatastoreEmulator.builder()
            .transactionIdleTimeout(Duration.ofMillis(300))
            .ticker(time)
            .build()
            .start()) {
      var proto = Clients.proto(emulator.host());
      ByteString txn =
          proto.beginTransaction(BeginTransactionRequest.newBuilder().build()).getTransaction();
      time.advance(Duration.ofMillis(301));
      CommitRequest write =
          Clients.inTransaction(Clients.upsert(Clients.key("Doc", "late"), 1), txn);
      Clients.assertFails(
          Code.INVALID_ARGUMENT, "expired or is no longer valid", () -> proto.commit(write));
    }
  }
}
