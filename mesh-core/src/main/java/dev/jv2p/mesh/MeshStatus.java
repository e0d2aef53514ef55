package dev.jv2p.mesh;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * A consistent snapshot of one node: who it is, whom it talks to, and what it has carried.
 * Taken by {@link MeshSocket#status()} on the node's event loop, so every figure in it
 * belongs to the same instant; immutable and safe to hand to any thread.
 *
 * @param nodeId this node's id
 * @param protocolId the protocol id sent in handshakes
 * @param protocol subnet, transport and codec names
 * @param listeningAddress the address actually bound
 * @param advertisedAddress the address announced to peers (unresolved)
 * @param peers the routing table, in the order peers joined it
 * @param pendingConnections connections open but not yet handshaken
 * @param seenCacheSize broadcast ids currently remembered for duplicate suppression
 * @param totals the node's cumulative counters (frames, bytes, relays, drops)
 * @param recentlyClosed the last connections that left the routing table, newest last, each
 *     with the reason it closed in {@link PeerStatus#lastError()} (at most 16)
 * @param takenAt when the snapshot was taken, by the node's clock
 */
public record MeshStatus(
        String nodeId,
        String protocolId,
        Protocol protocol,
        InetSocketAddress listeningAddress,
        InetSocketAddress advertisedAddress,
        List<PeerStatus> peers,
        int pendingConnections,
        int seenCacheSize,
        MeshStats totals,
        List<PeerStatus> recentlyClosed,
        Instant takenAt) {

    /** Copies the lists, so the snapshot stays immutable. */
    public MeshStatus {
        peers = List.copyOf(peers);
        recentlyClosed = List.copyOf(recentlyClosed);
    }

    /** The body codec's name ({@code msgpack}, {@code protobuf}, ...). */
    public String codec() {
        return protocol.codec();
    }

    /** The transport's name ({@code Plaintext}, {@code SSL}, {@code TLS}, ...). */
    public String transport() {
        return protocol.encryption();
    }
}
