package dev.jv2p.mesh;

/**
 * Mesh events. Called on the node's callback executor, never on a network thread, one at a
 * time and in the order the events happened. Default methods do nothing.
 */
public interface MeshListener {
    /** The routing table went from empty to non-empty (js2p's {@code connect}). */
    default void onConnect(MeshSocket socket) {}

    /** A user message was queued; take it with {@link MeshSocket#recv()}. */
    default void onMessage(MeshSocket socket) {}
}
