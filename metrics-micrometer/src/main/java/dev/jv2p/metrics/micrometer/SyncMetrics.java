package dev.jv2p.metrics.micrometer;

import dev.jv2p.sync.SyncSocket;
import dev.jv2p.sync.SyncStatus;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;

/**
 * Binds a {@link SyncSocket}'s {@link SyncSocket#status() status} to a Micrometer
 * {@link io.micrometer.core.instrument.MeterRegistry}: every meter of {@link MeshMetrics} for the mesh underneath (bind
 * this one instead of both), and the dictionary's, tagged {@code node.id}.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@code jv2p.sync.entries}</td><td>gauge</td><td>keys holding a value</td></tr>
 * <tr><td>{@code jv2p.sync.bytes}</td><td>gauge</td><td>estimated size of those keys and values</td></tr>
 * <tr><td>{@code jv2p.sync.tombstones}</td><td>gauge</td><td>deleted keys whose tombstone is held</td></tr>
 * <tr><td>{@code jv2p.sync.writes.applied}</td><td>counter</td><td>writes merged (passed the lease rule), own and from peers</td></tr>
 * <tr><td>{@code jv2p.sync.lease.refusals}</td><td>counter</td><td>tag {@code origin}: {@code peer}
 *     (a received write refused by a lease) or {@code local} (a {@code LeaseConflictException})</td></tr>
 * <tr><td>{@code jv2p.sync.anti.entropy.rounds}</td><td>counter</td><td>digest comparison rounds</td></tr>
 * <tr><td>{@code jv2p.sync.messages.rejected}</td><td>counter</td><td>sync messages rejected as malformed or forged</td></tr>
 * </table>
 *
 * <p>Snapshots are cached as in {@link MeshMetrics}. Needs {@code jv2p-sync-core} on the class path.
 */
public final class SyncMetrics extends StatusBinder<SyncSocket, SyncStatus> {
    /** Meters for {@code node} and its mesh, tagged with its id. */
    public SyncMetrics(SyncSocket node) {
        this(node, Tags.empty(), DEFAULT_MAX_AGE);
    }

    /** As {@link MeshMetrics#MeshMetrics(dev.jv2p.mesh.MeshSocket, Iterable, Duration)}. */
    public SyncMetrics(SyncSocket node, Iterable<Tag> tags, Duration maxAge) {
        super(node, SyncSocket::status, node.id(), node.mesh().layerContext()::nanoTime, tags, maxAge);
    }

    @Override
    void register(Meters<SyncStatus> m) {
        MeshMetrics.bind(m, SyncStatus::mesh);
        m.gauge("jv2p.sync.entries", "keys", "keys holding a value", SyncStatus::entries);
        m.gauge("jv2p.sync.bytes", "bytes", "estimated size of the keys and values held", SyncStatus::estimatedBytes);
        m.gauge("jv2p.sync.tombstones", "keys", "deleted keys whose tombstone is still held", SyncStatus::tombstones);
        m.gauge(
                "jv2p.sync.history.writes",
                "writes",
                "writes held in the keys' histories (about the last retention)",
                SyncStatus::historyWrites);
        m.counter(
                "jv2p.sync.writes.applied",
                "writes",
                "writes merged into the dictionary, own and from peers",
                SyncStatus::writesApplied);
        m.counter(
                "jv2p.sync.lease.refusals",
                "writes",
                "writes refused by another owner's lease",
                SyncStatus::leaseRefusals,
                "origin",
                "peer");
        m.counter(
                "jv2p.sync.lease.refusals",
                "writes",
                "writes refused by another owner's lease",
                SyncStatus::localLeaseConflicts,
                "origin",
                "local");
        m.counter(
                "jv2p.sync.anti.entropy.rounds",
                "rounds",
                "anti-entropy digest comparison rounds",
                SyncStatus::antiEntropyRounds);
        m.counter(
                "jv2p.sync.messages.rejected",
                "messages",
                "sync messages rejected as malformed or forged",
                SyncStatus::rejectedMessages);
    }
}
