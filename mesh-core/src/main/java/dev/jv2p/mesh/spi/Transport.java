package dev.jv2p.mesh.spi;

import io.netty.channel.Channel;

/**
 * How bytes move between nodes. Named by the p2p.today "encryption" string of the
 * protocol ({@code Plaintext}, {@code SSL}, ...), which is part of the protocol id.
 *
 * <p>Before the node adds its framing handlers to a new channel's pipeline it calls
 * {@link #initChannel}; a transport that encrypts adds its handler (for example an
 * {@code SslHandler}) there. Called on the channel's event loop.
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
}
