package dev.jv2p.mesh;

/**
 * A privileged message handler (js2p's {@code register_handler}). Runs on the node's event
 * loop, after the mesh's own protocol handling and before a message is queued for
 * {@link MeshSocket#recv()}; it must be quick and must never block.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * @return {@code true} if the message was handled, which stops further handlers and
     *     keeps it out of the receive queue
     */
    boolean handle(Message message);
}
