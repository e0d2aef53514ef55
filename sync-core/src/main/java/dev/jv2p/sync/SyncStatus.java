package dev.jv2p.sync;

import dev.jv2p.mesh.MeshStatus;

/**
 * A consistent snapshot of a synchronized-dictionary node: the mesh underneath and the
 * dictionary's figures, all taken on the node's event loop at one instant by
 * {@link SyncSocket#status()}. Immutable and safe to hand to any thread. Counters are
 * cumulative since the node started.
 *
 * @param mesh the mesh node's status (identity, addresses, peers and their traffic)
 * @param entries keys holding a value
 * @param estimatedBytes a rough size of those keys and values as msgpack writes them
 * @param tombstones deleted keys whose tombstone is still held (see {@link SyncConfig#retention()})
 * @param historyWrites writes held in the keys' histories after their compacted bases: the
 *     writes of about the last {@link SyncConfig#retention()}, at most one folded state per
 *     owner and second for a hot key. With {@code entries} and {@code tombstones}, what the
 *     node's memory grows with (counted when the status is taken, one step per key)
 * @param writesApplied writes merged into the dictionary (passed the lease rule), this node's
 *     own and those from peers, live or in join and anti-entropy transfers
 * @param leaseRefusals writes from peers refused because another owner held the key's lease
 * @param localLeaseConflicts writes on this node refused with a {@link LeaseConflictException},
 *     on the caller's thread or on the event loop
 * @param antiEntropyRounds periodic digest comparisons run (each with every jv2p peer)
 * @param rejectedMessages sync messages rejected as malformed, out of bounds, or unsigned or
 *     forged in a {@code TLS} mesh
 * @param queuedWritesRefused writes handed to the event loop by another thread and refused there
 *     (the key's lease was taken by a write that arrived in between, or a delta met a value that
 *     is not a map). The caller of an async write method learns it from the future, a caller of
 *     {@link SyncSocket#applyDelta} from the exception; for {@link SyncSocket#set},
 *     {@link SyncSocket#del} and {@link SyncSocket#update}, which had already returned, this count
 *     and a warning (once per key) are the report. See "Acknowledged writes" in {@link SyncSocket}
 * @param listenerEventsCoalesced {@code update} and {@code delete} events replaced by a later
 *     event of the same key before slow listeners saw them (see {@link SyncSocket#addListener})
 * @param listenerEventsPending events waiting for the listeners
 * @param differingPeers the connected jv2p peers left out of anti-entropy because their merge
 *     rule (leasing, lease duration) or allow-list differ from this node's, each as
 *     {@code "id: reason"}; their live writes are still judged by this node's rules
 */
public record SyncStatus(
        MeshStatus mesh,
        int entries,
        long estimatedBytes,
        int tombstones,
        long historyWrites,
        long writesApplied,
        long leaseRefusals,
        long localLeaseConflicts,
        long antiEntropyRounds,
        long rejectedMessages,
        long queuedWritesRefused,
        long listenerEventsCoalesced,
        int listenerEventsPending,
        java.util.List<String> differingPeers) {

    /** Copies the list of differing peers. */
    public SyncStatus {
        differingPeers = java.util.List.copyOf(differingPeers);
    }

    /**
     * The figures of the store and the replicator alone; the write and listener figures are
     * zero and no peer differs.
     */
    public SyncStatus(
            MeshStatus mesh,
            int entries,
            long estimatedBytes,
            int tombstones,
            long historyWrites,
            long writesApplied,
            long leaseRefusals,
            long localLeaseConflicts,
            long antiEntropyRounds,
            long rejectedMessages) {
        this(
                mesh,
                entries,
                estimatedBytes,
                tombstones,
                historyWrites,
                writesApplied,
                leaseRefusals,
                localLeaseConflicts,
                antiEntropyRounds,
                rejectedMessages,
                0,
                0,
                0,
                java.util.List.of());
    }

    /** This status with the socket's own figures of queued writes and listener events. */
    SyncStatus withSocketFigures(long refused, long coalesced, int pending) {
        return new SyncStatus(
                mesh,
                entries,
                estimatedBytes,
                tombstones,
                historyWrites,
                writesApplied,
                leaseRefusals,
                localLeaseConflicts,
                antiEntropyRounds,
                rejectedMessages,
                refused,
                coalesced,
                pending,
                differingPeers);
    }
}
