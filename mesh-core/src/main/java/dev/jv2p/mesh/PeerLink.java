package dev.jv2p.mesh;

/**
 * One live connection to a peer, for protocol layers built on the mesh (such as the
 * synchronized dictionary). Its methods may be called from any thread; sending to a closed
 * link does nothing.
 */
public interface PeerLink {
    /** The peer's node id, or {@code null} before its handshake arrived. */
    String id();

    /** A snapshot of the peer's routing-table entry, or {@code null} before the handshake. */
    PeerInfo info();

    /** Whether the peer introduced itself as a jv2p node. */
    boolean isJv2p();

    /** Whether the connection is still open. */
    boolean isOpen();

    /**
     * Whether the link's outbound queue is below its high water mark (half of
     * {@link MeshConfig#maxQueuedBytesPerPeer()}). Bulk senders stop while it is not: a peer
     * whose queue passes the whole limit is disconnected.
     */
    boolean isWritable();

    /**
     * Runs {@code task} on the node's event loop, never inline: soon if the link is writable,
     * else once its queue has drained below the low water mark. A task waiting on a link
     * that closes never runs.
     */
    void whenWritable(Runnable task);

    /** Sends {@code [WHISPER, ownId, now, packets...]} on this connection only. */
    void whisper(java.util.List<?> packets);

    /** Sends {@code [mainFlag, ownId, now, packets...]} on this connection only. */
    void send(int mainFlag, java.util.List<?> packets);

    /**
     * Records a fault of this peer that did not close the connection (a message a protocol
     * layer rejected), shown as the peer's last error in {@link MeshSocket#status()}.
     */
    default void reportError(String reason) {}

    /** Closes the connection; the reason is logged at INFO with the peer's name. */
    void close(String reason);
}
