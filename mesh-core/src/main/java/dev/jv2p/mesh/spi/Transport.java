package dev.jv2p.mesh.spi;

import io.netty.channel.Channel;
import java.util.Optional;

/**
 * How bytes move between nodes. Named by the p2p.today "encryption" string of the
 * protocol ({@code Plaintext}, {@code SSL}, ...), which is part of the protocol id.
 *
 * <p>Before the node adds its framing handlers to a new channel's pipeline it calls
 * {@link #initChannel}; a transport that encrypts adds its handler (for example an
 * {@code SslHandler}) there. Called on the channel's event loop.
 *
 * <p>A transport that authenticates peers by key also offers an {@link #identity()}: the node
 * then takes its id from it and accepts a peer's handshake only when the id announced there is
 * the one {@link #authenticatedPeerId} proved for that channel.
 */
public interface Transport {

    /** The p2p.today encryption name, e.g. {@code Plaintext}. */
    String name();

    /**
     * Prepares a freshly created channel.
     *
     * @param channel the channel, not yet active for inbound channels
     * @param client {@code true} when this node dialed, {@code false} when it accepted
     */
    void initChannel(Channel channel, boolean client) throws Exception;

    /**
     * The key-bound identity of the node using this transport, if the transport has one.
     * Called once when a node starts, on the caller's thread; an identity that cannot be
     * loaded fails the start. Default: none (the node computes a p2p.today id).
     */
    default Optional<NodeIdentity> identity() {
        return Optional.empty();
    }

    /**
     * The node id the peer on {@code channel} proved it holds the key of, or {@code null} if it
     * proved none (yet). Called on the channel's event loop when the peer's handshake arrives;
     * consulted only when {@link #identity()} is present, and then a {@code null} or a
     * different id refuses the peer.
     */
    default String authenticatedPeerId(Channel channel) {
        return null;
    }

    /**
     * The network this transport's channels live on. Default: {@link Network#tcp()}. A
     * transport that decorates channels without caring what they are can be put on another
     * network by a wrapper that overrides only this method.
     */
    default Network network() {
        return Network.tcp();
    }
}
