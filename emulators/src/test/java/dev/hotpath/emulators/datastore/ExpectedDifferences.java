package dev.hotpath.emulators.datastore;

import static dev.hotpath.emulators.datastore.backend.DatastoreBackend.GOOGLE_DATASTORE;
import static dev.hotpath.emulators.datastore.backend.DatastoreBackend.GOOGLE_FIRESTORE;

import dev.hotpath.emulators.datastore.backend.DatastoreBackend;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The conformance battery's known differences between ours and Google's emulators, each with the
 * documentation that decides it. On a Google backend a listed case still runs and must still differ
 * (else the entry is stale and the case fails); it is then reported as skipped with its
 * justification. A case that differs and is not listed fails. Cases marked {@code notRun} are not
 * run there (they would wait for a lock timeout of about a minute each, or race on locks with an
 * outcome that depends on timing). docs/datastore-emulator.md carries the same table.
 */
final class ExpectedDifferences implements InvocationInterceptor {
  /**
   * @param notRun the case is not run there: it would hang on a lock for a minute, or its outcome
   *     depends on timing
   */
  record Difference(
      Set<DatastoreBackend> on, String testClass, String method, boolean notRun, String why) {}

  private static final String SDS = "Google's Datastore emulator ";
  private static final String FS = "Google's Firestore emulator ";

  static final List<Difference> ALL =
      List.of(
          // --- Google's emulator lacks a documented feature; ours implements it
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "QueryAggregationConformanceTest",
              "*",
              false,
              SDS
                  + "answers UNIMPLEMENTED to RunAggregationQuery, an RPC of datastore.proto (\"Runs an aggregation query.\")"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "QueryConformanceTest",
              "inNotInNotEqualAndOrFilters",
              false,
              SDS
                  + "refuses OR composite filters and IN / NOT_IN / NOT_EQUAL on one query (\"Filter has 2 properties\"); query.proto documents CompositeFilter.Operator.OR and those operators"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransformConformanceTest",
              "numericTransformsFollowFirestoreRules",
              false,
              SDS
                  + "ignores Mutation.property_transforms (no transform_results); datastore.proto: \"The transforms to perform on the entity.\""),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransformConformanceTest",
              "arrayTransformsAndRequestTime",
              false,
              SDS + "ignores Mutation.property_transforms"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransformConformanceTest",
              "badTransformsAreRefused",
              false,
              SDS + "ignores Mutation.property_transforms, so it refuses none"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransformConformanceTest",
              "transformsApplyInOrderSoOnePropertyMayBeTransformedTwice",
              false,
              SDS + "ignores Mutation.property_transforms"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransformConformanceTest",
              "aPropertyMaskUpdatesOnlyTheNamedProperties",
              false,
              SDS
                  + "ignores Mutation.property_mask; datastore.proto: \"If the entity already exists, only properties referenced in the mask are updated, others are left untouched.\""),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "EntityConformanceTest",
              "resultsCarryVersionCreateTimeAndUpdateTime",
              false,
              SDS
                  + "leaves MutationResult.create_time/update_time and CommitResponse.commit_time unset; datastore.proto documents them (\"The update time of the entity on the server after processing the mutation.\")"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransactionConformanceTest",
              "readTimeReadsAreServedWhileThatVersionIsKept",
              false,
              SDS
                  + "refuses ReadOptions.read_time (\"Only timestamps past epoch are supported.\"); datastore.proto: \"Reads entities as they were at the given time.\""),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransactionConformanceTest",
              "aQueryInAReadOnlyTransactionSeesItsSnapshot",
              false,
              SDS
                  + "answers a query in a transaction from current data; ours from the transaction's snapshot, as reads in a transaction are documented to be consistent"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransactionConformanceTest",
              "aReadOnlyTransactionReadsTheSnapshotOfItsBeginning",
              false,
              SDS
                  + "aborts a commit that touches what an open read-only transaction read (\"too much contention\"); TransactionOptions.ReadOnly transactions only read, so nothing needs to wait for or abort because of them"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransactionConformanceTest",
              "concurrentTransfersKeepTheTotalAndSnapshotsAlwaysSeeIt",
              true,
              SDS
                  + "aborts writers that touch what read-only snapshot readers read (see the case above); concurrent, so whether it does in a given run depends on timing: not run"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransactionConformanceTest",
              "anAncestorQueryInATransactionSeesItsSnapshot",
              false,
              SDS
                  + "aborts the concurrent insert under the ancestor the transaction queried (entity-group locking of the legacy emulator)"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "anAncestorQueryInATransactionSeesItsSnapshot",
              false,
              FS
                  + "answers a query in a transaction from current data, not the transaction's snapshot"),
          // --- The Firestore emulator locks pessimistically; the deployed database is OPTIMISTIC
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "aDeleteSinceTheReadAlsoConflicts",
              true,
              FS
                  + "locks what a read-write transaction read (pessimistic concurrency): the other commit waits about 60 s, then fails \"Transaction lock timeout\"; terraform/firestore.tf deploys concurrency_mode = \"OPTIMISTIC\", where the transaction aborts instead"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "aCommitSinceTheReadAbortsTheTransactionAndChangesNothing",
              true,
              FS + "locks pessimistically (see aDeleteSinceTheReadAlsoConflicts)"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "aLookupCanBeginTheTransaction",
              true,
              FS + "locks pessimistically (see aDeleteSinceTheReadAlsoConflicts)"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "entitiesAQueryReturnedInATransactionAreCheckedAtCommit",
              true,
              FS + "locks pessimistically (see aDeleteSinceTheReadAlsoConflicts)"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransformConformanceTest",
              "transformsOfAnAbortedTransactionAreNotApplied",
              true,
              FS + "locks pessimistically (see aDeleteSinceTheReadAlsoConflicts)"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "ofNConcurrentConflictingTransactionsExactlyOneCommits",
              true,
              FS
                  + "locks pessimistically: N transactions that all read an entity and then write it deadlock, and all of them may abort (observed: 8 of 8 ABORTED in one run, 7 of 8 in another); OPTIMISTIC lets exactly one commit"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "runInTransactionRetriesConflictsSoNoIncrementIsLost",
              true,
              FS
                  + "locks pessimistically: concurrent read-modify-write transactions wait for each other's locks and may run out of retries (\"Transaction lock timeout\" observed)"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "concurrentTransfersKeepTheTotalAndSnapshotsAlwaysSeeIt",
              true,
              FS
                  + "locks pessimistically: concurrent transfers contend on locks, an outcome that depends on timing"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "aReadOnlyTransactionReadsTheSnapshotOfItsBeginning",
              false,
              FS
                  + "refuses the Commit that ends a read-only transaction even with no mutations (\"Cannot modify entities in a read-only transaction\"), and the Java client ends every transaction with Commit; datastore.proto: Commit \"Commits a transaction, optionally creating, deleting or modifying some entities\""),
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "TransactionConformanceTest",
              "aBlindWriteConflictsWithACommitSinceTheTransactionBegan",
              false,
              "Google's emulators commit a transaction's blind write over a commit made after the transaction began; ours aborts it, as the OPTIMISTIC mode production runs in validates every entity a transaction touches against its start"),
          // --- The documentation allows both behaviours
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "ValidationConformanceTest",
              "oneBadMutationFailsTheWholeCommit",
              false,
              "Google's emulators apply the good mutations of a failed NON_TRANSACTIONAL commit; datastore.proto allows it (\"The mutations may not apply as all or none.\"); ours applies none, which the API also allows"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "QueryConformanceTest",
              "cursorPagingSurvivesInsertsAndDeletesBetweenPages",
              false,
              SDS
                  + "says MORE_RESULTS_AFTER_LIMIT when the limit is reached with nothing left; query.proto: \"there may be more results after the limit\" (may), ours says NO_MORE_RESULTS when it knows"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "EntityConformanceTest",
              "autoIdsAreUniqueAndScattered",
              false,
              SDS
                  + "hands out some auto ids in sequence; ours scatters them as production does (the Datastore best practices: auto ids are scattered to avoid hotspots)"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "ValidationConformanceTest",
              "aTransactionalCommitAppliesMutationsOfOneEntityInOrder",
              false,
              SDS
                  + "answers ALREADY_EXISTS, not INVALID_ARGUMENT, to an insert after an upsert of one entity in one commit; datastore.proto says the sequence is \"not permitted\" without naming the code"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "ValidationConformanceTest",
              "anUnknownTransactionIsRefused",
              false,
              SDS
                  + "answers UNKNOWN to a transaction handle it never issued; production answers INVALID_ARGUMENT \"The referenced transaction has expired or is no longer valid.\" (reported from Datastore and Firestore in googleapis/python-ndb#567, google-cloud-ruby#873, nodejs-firestore#1347), as ours does"),
          new Difference(
              Set.of(GOOGLE_DATASTORE),
              "TransformConformanceTest",
              "baseVersionPreconditionsDetectConflicts",
              false,
              SDS
                  + "refuses base_version 0 (\"Cannot update an entity with a base version set to zero\"); ours takes 0 as \"the entity must not exist\"; datastore.proto does not define 0"),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "TransformConformanceTest",
              "baseVersionPreconditionsDetectConflicts",
              false,
              FS
                  + "applies an update whose base_version is older than the stored version without reporting a conflict (observed: base_version v-1 applied), and drops one with base_version 1 without setting conflict_detected; datastore.proto: \"If this does not match the current version on the server, the mutation conflicts.\""),
          new Difference(
              Set.of(GOOGLE_FIRESTORE),
              "QueryConformanceTest",
              "iteratorPagesAcrossBatchesUntilTheEnd",
              false,
              FS
                  + "breaks ties of a descending order by key descending (the last order's direction), ours by key ascending; query.proto leaves the order of ties unspecified (\"if empty, order is unspecified\")"),
          // --- Transport limits and the HTTP edge, which datastore.proto does not describe
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "ValidationConformanceTest",
              "manyMutationsFitOneCommitUpToTheTenMebibyteRequestLimit",
              false,
              "Google's emulators cut requests above about 4 MiB at the transport (gRPC RESOURCE_EXHAUSTED, HTTP stream reset); the limits page allows 10 MiB per request, which ours enforces"),
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "ValidationConformanceTest",
              "anUnparsableBodyIsInvalidArgumentAsAProtobufStatus",
              false,
              "error wording of the HTTP edge (\"Payload isn't valid for request.\"); the API documents codes, not messages"),
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "ValidationConformanceTest",
              "anUnknownMethodIsUnimplemented",
              false,
              "Google's emulators answer an unknown REST method with 404, ours with 501 UNIMPLEMENTED (the gRPC code for an unknown method); HTTP edge detail"),
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "ValidationConformanceTest",
              "nonProtobufCallersGetTheJsonErrorShape",
              false,
              "Google's emulators also accept JSON request bodies (the REST surface); ours speaks protobuf only and answers JSON callers in the project's error shape"),
          new Difference(
              Set.of(GOOGLE_DATASTORE, GOOGLE_FIRESTORE),
              "QueryConformanceTest",
              "invalidQueriesAndCursorsAreRejectedWithInvalidArgument",
              false,
              "the code matches (INVALID_ARGUMENT); the case also checks our wording of a bad cursor, which the API does not document"));

  private static final DatastoreBackend BACKEND =
      DatastoreBackend.parse(System.getProperty(DatastoreBackend.TEST_PROPERTY, "hotpath"));

  static Optional<Difference> find(DatastoreBackend backend, String testClass, String method) {
    return ALL.stream()
        .filter(
            d ->
                d.on().contains(backend)
                    && d.testClass().equals(testClass)
                    && (d.method().equals("*") || d.method().equals(method)))
        .findFirst();
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call,
      ExtensionContext context)
      throws Throwable {
    intercept(invocation, call);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call,
      ExtensionContext context)
      throws Throwable {
    intercept(invocation, call);
  }

  private static void intercept(
      Invocation<Void> invocation, ReflectiveInvocationContext<Method> call) throws Throwable {
    Optional<Difference> listed =
        find(BACKEND, call.getTargetClass().getSimpleName(), call.getExecutable().getName());
    if (listed.isEmpty()) {
      invocation.proceed();
      return;
    }
    Difference d = listed.get();
    String because = "expected difference on " + BACKEND.id() + ": " + d.why();
    if (d.notRun()) {
      invocation.skip();
      throw new TestAbortedException("not run (" + because + ")");
    }
    try {
      invocation.proceed();
    } catch (TestAbortedException e) {
      throw e;
    } catch (Throwable differs) {
      System.out.println(
          call.getTargetClass().getSimpleName()
              + "."
              + call.getExecutable().getName()
              + ": "
              + because
              + " [observed: "
              + differs
              + "]");
      throw new TestAbortedException(because, differs);
    }
    throw new AssertionFailedError(
        call.getTargetClass().getSimpleName()
            + "."
            + call.getExecutable().getName()
            + " is listed as an "
            + because
            + " — but it passed: remove the entry from ExpectedDifferences");
  }
}
