/**
 * Micrometer {@code MeterBinder}s for jv2p nodes: {@link dev.jv2p.metrics.micrometer.MeshMetrics}
 * for a {@code MeshSocket}, {@link dev.jv2p.metrics.micrometer.SyncMetrics} for a
 * {@code SyncSocket}. Both read the node's status snapshot; nothing here runs on the node's
 * threads except the snapshot itself, and the core modules never depend on Micrometer.
 *
 * <pre>{@code
 * new SyncMetrics(node).bindTo(meterRegistry);
 * }</pre>
 */
package dev.jv2p.metrics.micrometer;
