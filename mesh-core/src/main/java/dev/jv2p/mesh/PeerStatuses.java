package dev.jv2p.mesh;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link PeerStatus} and {@link MeshStatus} snapshots, and remembers the last
 * connections that closed. Used on the node's event loop only.
 */
final class PeerStatuses {
    static final int CLOSED_KEPT = 16;

    private final Router router;
    private final ArrayDeque<PeerStatus> closed = new ArrayDeque<>();

    PeerStatuses(Router router) {
        this.router = router;
    }

    /** Remembers a handshaken connection that closed, with its close reason as its last error. */
    void closed(Connection c) {
        if (c.id() == null || !c.isHandshaken()) {
            return;
        }
        if (closed.size() == CLOSED_KEPT) {
            closed.removeFirst();
        }
        closed.addLast(c.status(
                router.config.clock().instant(), c.closeReason() == null ? "closed by the peer" : c.closeReason()));
    }

    MeshStatus snapshot(MeshSocket socket) {
        Instant now = router.config.clock().instant();
        List<PeerStatus> peers = new ArrayList<>(router.table.size());
        for (Connection c : router.table.values()) {
            peers.add(c.status(now, c.lastError()));
        }
        int pending = 0;
        for (Connection c : router.connections) {
            if (!c.isHandshaken()) {
                pending++;
            }
        }
        return new MeshStatus(
                socket.id(),
                router.protocolId,
                router.config.protocol(),
                socket.localAddress(),
                socket.advertisedAddress(),
                peers,
                pending,
                router.seen.size(),
                socket.stats(),
                new ArrayList<>(closed),
                now);
    }
}
