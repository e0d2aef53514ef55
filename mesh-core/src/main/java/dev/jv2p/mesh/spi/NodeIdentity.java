package dev.jv2p.mesh.spi;

import java.util.Set;

/**
 * A node identity bound to a key pair, offered by a {@link Transport} that authenticates peers
 * (such as {@code TLS}). The node id is derived from the public key, so anyone holding an id
 * can check that id's signatures without any other information.
 *
 * <p>When a node's transport has an identity, the node takes its id from here instead of
 * computing a p2p.today id, refuses peers whose handshake announces an id other than the one
 * the transport authenticated ({@link Transport#authenticatedPeerId}), and layers above the
 * mesh (the synchronized dictionary) sign what they originate and verify what they receive.
 *
 * <p>Implementations are thread-safe; {@link #sign} and {@link #verify} may be called on an
 * event loop and must not block.
 */
public interface NodeIdentity {

    /** This node's id, derived from its public key. */
    String nodeId();

    /** Signs {@code message} with this node's private key. */
    byte[] sign(byte[] message);

    /**
     * Whether {@code signature} is a signature of {@code message} by the key that
     * {@code nodeId} names. Returns {@code false}, never throws, for ids that name no key and
     * for malformed signatures.
     */
    boolean verify(String nodeId, byte[] message, byte[] signature);

    /**
     * The node ids this node admits: as peers, and as owners of the writes it accepts,
     * whichever peer relays them. Empty (the default) admits any node holding a valid key.
     */
    default Set<String> allowed() {
        return Set.of();
    }

    /** Whether this node admits {@code nodeId} (see {@link #allowed()}); it always admits itself. */
    default boolean admits(String nodeId) {
        Set<String> allowed = allowed();
        return allowed.isEmpty() || allowed.contains(nodeId) || nodeId.equals(nodeId());
    }
}
