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
 * @param writesApplied writes merged into the dictionary (passed the lease rule), this node's
 *     own and those from peers, live or in join and anti-entropy transfers
 * @param leaseRefusals writes from peers refused because another owner held the key's lease
 * @param localLeaseConflicts writes on this node refused with a {@link LeaseConflictException}
 * @param antiEntropyRounds periodic digest comparisons run (each with every jv2p peer)
 * @param rejectedMessages sync messages rejected as malformed, out of bounds, or unsigned or
 *     forged in a {@code TLS} mesh
 * @param differingPeers the connected jv2p peers left out of anti-entropy because their merge
 *     rule (leasing, lease duration) or allow-list differ from this node's, each as
 *     {@code "id: reason"}; their live writes are still judged by this node's rules
 */
public record SyncStatus(MeshStatus mesh, int entries, long estimatedBytes, int tombstones, long writesApplied,
        long leaseRefusals, long localLeaseConflicts, long antiEntropyRounds, long rejectedMessages,
        java.util.List<String> differingPeers) {

    /** Copies the list of differing peers. */
    public SyncStatus {
        differingPeers = java.util.List.copyOf(differingPeers);
    }
}
