package dev.jv2p.transport.ws;

import dev.jv2p.mesh.spi.Transport;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;

/**
 * p2p.today's {@code ws} transport, interoperable with js2p 0.7: every p2p.today frame, its
 * length prefix included, travels as binary WebSocket messages over plain TCP, and the
 * receiver reads the message payloads as one stream. A node listening with it accepts js2p
 * {@code ws} nodes and js2p running in a browser (which can only dial); a node dialing with it
 * reaches js2p {@code ws} listeners at {@code ws://host:port/}.
 *
 * <p>The protocol id hashes the encryption name {@code ws}, so a {@code ws} mesh and a TCP mesh
 * never accept each other. No subprotocol, no extension (permessage-deflate offers are
 * declined), text messages refused; a message over {@link Builder#maxMessageLength} is refused
 * from its header, before it is buffered. Frames longer than 1 MiB are sent as several
 * messages, which js2p's receiver joins.
 *
 * <p>Plaintext: like {@code Plaintext}, this stops nobody; see {@link WssTransport} for TLS.
 * Discovered through {@code META-INF/services} by the name {@code ws}; immutable, thread-safe.
 */
public final class WsTransport implements Transport {
    /** The p2p.today encryption string. */
    public static final String NAME = "ws";

    private final WsOptions options;

    /** A transport with the default limits (8 MiB + 4 bytes a message, a 10 s upgrade timeout). */
    public WsTransport() {
        this(builder());
    }

    private WsTransport(Builder b) {
        this.options = new WsOptions(b.maxMessageLength, b.handshakeTimeout, null, null);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initChannel(Channel channel, boolean client) {
        WsPipeline.init(channel, client, options);
    }

    /** The largest WebSocket message this transport accepts. */
    public int maxMessageLength() {
        return options.maxMessageLength();
    }

    @Override
    public String toString() {
        return "WsTransport[maxMessageLength=" + options.maxMessageLength() + "]";
    }

    /** Options of a {@link WsTransport}. */
    public static final class Builder {
        private int maxMessageLength = WsOptions.DEFAULT_MAX_MESSAGE_LENGTH;
        private Duration handshakeTimeout = WsOptions.DEFAULT_HANDSHAKE_TIMEOUT;

        private Builder() {}

        /**
         * The largest WebSocket message accepted (default 8 MiB + 4: {@code MeshConfig}'s default
         * frame limit and the length prefix). Keep it at least the node's {@code maxFrameLength} + 4.
         */
        public Builder maxMessageLength(int bytes) {
            maxMessageLength = bytes;
            return this;
        }

        /** How long a connection may take to complete its WebSocket upgrade (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            handshakeTimeout = Objects.requireNonNull(timeout, "handshakeTimeout");
            return this;
        }

        /** The transport; fails with a message naming a bad option. */
        public WsTransport build() {
            return new WsTransport(this);
        }
    }
}
