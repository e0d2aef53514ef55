package dev.jv2p.sync;

/**
 * Dictionary events. Called on the node's callback executor, never on a network thread, one
 * at a time and in the order the changes were made on this node. Default methods do nothing.
 */
public interface SyncListener {
    /** {@code key} now holds {@code value} (after a delta: the whole merged map). */
    default void onUpdate(SyncSocket socket, Key key, Object value, MetaTuple meta) {}

    /** {@code key}, which held a value, was deleted. */
    default void onDelete(SyncSocket socket, Key key) {}
}
