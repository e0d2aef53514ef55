package dev.jv2p.mesh;

/**
 * Cumulative counters of one node.
 *
 * @param framesIn frames received
 * @param framesOut frames sent
 * @param bytesIn bytes received, prefixes included
 * @param bytesOut bytes sent, prefixes included
 * @param relayed broadcast copies forwarded to peers
 * @param duplicatesDropped broadcasts dropped as already seen
 * @param expiredDropped broadcasts dropped as older than the window
 * @param userMessagesDropped user messages dropped because the receive queue was full
 * @param broadcastsSent broadcast copies sent to peers, this node's own and relayed (each
 *     peer's copy counts; a message expanded for a js2p peer counts once per message)
 * @param idsAnnounced broadcast ids announced to lazy links of the broadcast tree
 *     ({@link MeshConfig#broadcastTree()})
 */
public record MeshStats(
        long framesIn,
        long framesOut,
        long bytesIn,
        long bytesOut,
        long relayed,
        long duplicatesDropped,
        long expiredDropped,
        long userMessagesDropped,
        long broadcastsSent,
        long idsAnnounced) {}
