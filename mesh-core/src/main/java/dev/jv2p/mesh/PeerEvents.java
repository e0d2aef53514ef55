package dev.jv2p.mesh;

/**
 * Connection life-cycle callbacks for protocol layers on top of the mesh (the synchronized
 * dictionary uses them to transfer state). Called on the node's event loop: implementations
 * must be quick and never block. Default methods do nothing.
 */
public interface PeerEvents {
    /**
     * A peer's first handshake on a connection was accepted.
     *
     * @param sendsState whether this node is the side that sends its state to the peer (it
     *     accepted the connection, or dialed without knowing the peer's id, spec §9.2)
     */
    default void onPeerReady(PeerLink peer, boolean sendsState) {}

    /** The peer introduced itself as a jv2p node (its hello arrived). */
    default void onJv2pPeer(PeerLink peer) {}

    /** The peer asked for everything ({@code '*'} request) and was sent the peers list. */
    default void onStateRequest(PeerLink peer) {}

    /** The connection closed. */
    default void onPeerClosed(PeerLink peer) {}
}
