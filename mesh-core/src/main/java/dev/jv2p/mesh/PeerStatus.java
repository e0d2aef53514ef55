package dev.jv2p.mesh;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * What one connection to a peer has carried, taken on the node's event loop as part of a
 * {@link MeshStatus}. Immutable; the counters are cumulative over the life of the connection
 * (a reconnect starts again from zero).
 *
 * @param id the peer's node id
 * @param advertisedAddress the address the peer announced in its handshake (unresolved)
 * @param remoteAddress the TCP endpoint of the connection, or {@code null} if unknown
 * @param outgoing whether this node dialed the connection ({@code false}: the peer did)
 * @param jv2p whether the peer introduced itself as a jv2p node
 * @param codec the body codec's name (always the node's own: codecs do not mix)
 * @param announcedCompression the compression ids the peer announced, in its preference order
 * @param sendCompression the compression this node uses towards the peer, or {@code null}
 * @param bytesIn bytes received, length prefixes included
 * @param bytesOut bytes sent, length prefixes included
 * @param messagesIn frames received
 * @param messagesOut frames sent
 * @param lastSeen when the last frame arrived (by the node's clock)
 * @param lastError the last fault of this peer (a rejected message, or for a closed
 *     connection why it closed), or {@code null}
 */
public record PeerStatus(
        String id,
        InetSocketAddress advertisedAddress,
        InetSocketAddress remoteAddress,
        boolean outgoing,
        boolean jv2p,
        String codec,
        List<Integer> announcedCompression,
        String sendCompression,
        long bytesIn,
        long bytesOut,
        long messagesIn,
        long messagesOut,
        Instant lastSeen,
        String lastError) {

    /** Copies the compression list, so the snapshot stays immutable. */
    public PeerStatus {
        announcedCompression = List.copyOf(announcedCompression);
    }

    /** {@code "in"} or {@code "out"}: who dialed. */
    public String direction() {
        return outgoing ? "out" : "in";
    }
}
