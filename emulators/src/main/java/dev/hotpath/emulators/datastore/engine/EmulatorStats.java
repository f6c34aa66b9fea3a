package dev.hotpath.emulators.datastore.engine;

/**
 * Counters since the emulator started or was last reset.
 *
 * @param calls API calls received, of every method (each a client's round trip), faults included
 * @param commits commits that were applied (including those whose response a fault then lost)
 * @param entityWrites entities inserted, updated or deleted by those commits
 * @param lookups lookup calls answered
 * @param aborted commits refused with ABORTED (transaction conflicts and write-limit contention)
 * @param injectedFaults calls answered with an injected fault
 * @param conflicts mutations skipped for a failed base_version or update_time precondition
 */
public record EmulatorStats(
    long calls,
    long commits,
    long entityWrites,
    long lookups,
    long aborted,
    long injectedFaults,
    long conflicts) {}
