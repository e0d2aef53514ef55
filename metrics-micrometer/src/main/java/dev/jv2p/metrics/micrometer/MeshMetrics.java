package dev.jv2p.metrics.micrometer;

import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.MeshStatus;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.function.Function;

/**
 * Binds a {@link MeshSocket}'s {@link MeshSocket#status() status} to a Micrometer
 * {@link io.micrometer.core.instrument.MeterRegistry}: function counters and gauges named {@code jv2p.mesh.*}, tagged
 * {@code node.id} with the node's id (plus any tags given).
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>meaning</th></tr>
 * <tr><td>{@code jv2p.mesh.peers}</td><td>gauge</td><td>peers in the routing table</td></tr>
 * <tr><td>{@code jv2p.mesh.connections.pending}</td><td>gauge</td><td>connections not yet handshaken</td></tr>
 * <tr><td>{@code jv2p.mesh.seen.cache.size}</td><td>gauge</td><td>broadcast ids remembered</td></tr>
 * <tr><td>{@code jv2p.mesh.messages.in}, {@code .out}</td><td>counter</td><td>frames received, sent</td></tr>
 * <tr><td>{@code jv2p.mesh.bytes.in}, {@code .out}</td><td>counter</td><td>bytes received, sent</td></tr>
 * <tr><td>{@code jv2p.mesh.broadcasts.relayed}</td><td>counter</td><td>broadcast copies forwarded</td></tr>
 * <tr><td>{@code jv2p.mesh.broadcasts.dropped}</td><td>counter</td><td>tag {@code reason}:
 *     {@code duplicate} (seen already) or {@code expired} (older than the window)</td></tr>
 * <tr><td>{@code jv2p.mesh.user.messages.dropped}</td><td>counter</td><td>user messages dropped
 *     because the receive queue was full</td></tr>
 * </table>
 *
 * <p>Meters read a snapshot taken at most {@code maxAge} ago (one second by default, by the
 * clock the node's event loop keeps), so one scrape costs one trip to the node's event loop and
 * its figures are consistent. The meters
 * hold the node weakly; once it is closed they report its last figures. Only users of this
 * module need Micrometer: the core modules never load it.
 */
public final class MeshMetrics extends StatusBinder<MeshSocket, MeshStatus> {
    /** Meters for {@code node}, tagged with its id. */
    public MeshMetrics(MeshSocket node) {
        this(node, Tags.empty(), DEFAULT_MAX_AGE);
    }

    /**
     * Meters for {@code node}, tagged with its id and {@code tags}, reading snapshots at most
     * {@code maxAge} old ({@link Duration#ZERO}: a fresh one for every reading).
     */
    public MeshMetrics(MeshSocket node, Iterable<Tag> tags, Duration maxAge) {
        super(node, MeshSocket::status, node.id(), node.layerContext()::nanoTime, tags, maxAge);
    }

    @Override
    void register(Meters<MeshStatus> meters) {
        bind(meters, s -> s);
    }

    /** Registers the mesh meters over any snapshot that holds a {@link MeshStatus}. */
    static <S> void bind(Meters<S> m, Function<S, MeshStatus> mesh) {
        m.gauge(
                "jv2p.mesh.peers",
                "peers",
                "peers in the routing table",
                s -> mesh.apply(s).peers().size());
        m.gauge(
                "jv2p.mesh.connections.pending",
                "connections",
                "connections not yet handshaken",
                s -> mesh.apply(s).pendingConnections());
        m.gauge(
                "jv2p.mesh.seen.cache.size",
                "ids",
                "broadcast ids remembered for duplicate suppression",
                s -> mesh.apply(s).seenCacheSize());
        m.counter(
                "jv2p.mesh.messages.in",
                "messages",
                "frames received",
                s -> mesh.apply(s).totals().framesIn());
        m.counter(
                "jv2p.mesh.messages.out",
                "messages",
                "frames sent",
                s -> mesh.apply(s).totals().framesOut());
        m.counter(
                "jv2p.mesh.bytes.in",
                "bytes",
                "bytes received, length prefixes included",
                s -> mesh.apply(s).totals().bytesIn());
        m.counter(
                "jv2p.mesh.bytes.out",
                "bytes",
                "bytes sent, length prefixes included",
                s -> mesh.apply(s).totals().bytesOut());
        m.counter(
                "jv2p.mesh.broadcasts.relayed",
                "messages",
                "broadcast copies forwarded to peers",
                s -> mesh.apply(s).totals().relayed());
        m.counter(
                "jv2p.mesh.broadcasts.dropped",
                "messages",
                "broadcasts dropped",
                s -> mesh.apply(s).totals().duplicatesDropped(),
                "reason",
                "duplicate");
        m.counter(
                "jv2p.mesh.broadcasts.dropped",
                "messages",
                "broadcasts dropped",
                s -> mesh.apply(s).totals().expiredDropped(),
                "reason",
                "expired");
        m.counter(
                "jv2p.mesh.user.messages.dropped",
                "messages",
                "user messages dropped: receive queue full",
                s -> mesh.apply(s).totals().userMessagesDropped());
    }
}
