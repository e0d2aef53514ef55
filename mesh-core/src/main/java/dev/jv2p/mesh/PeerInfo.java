package dev.jv2p.mesh;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A snapshot of one routing-table entry.
 *
 * @param id the peer's node id
 * @param advertisedHost the host the peer announced in its handshake; {@code null} for a peer that
 *     cannot listen (a browser), which is never dialed
 * @param advertisedPort the port the peer announced
 * @param remoteAddress the TCP endpoint of the connection
 * @param outgoing whether this node dialed the connection
 * @param jv2p whether the peer introduced itself as a jv2p node (keep-alive and extensions)
 * @param compression the peer's announced compression ids
 */
public record PeerInfo(
        String id,
        String advertisedHost,
        int advertisedPort,
        InetSocketAddress remoteAddress,
        boolean outgoing,
        boolean jv2p,
        List<Integer> compression) {}
