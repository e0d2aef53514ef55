package dev.jv2p.transport.ws;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;

/**
 * What the pipeline of one transport needs.
 *
 * @param maxMessageLength the largest WebSocket message accepted, refused from its header
 * @param handshakeTimeout a connection not upgraded by then is closed
 * @param server the TLS context of accepted connections, {@code null} for {@code ws}
 * @param client the TLS context of dialed connections, {@code null} for {@code ws}
 */
record WsOptions(int maxMessageLength, Duration handshakeTimeout, SslContext server, SslContext client) {
    /** p2p.today's own frame limit (MeshConfig's default) plus the 4-byte length prefix. */
    static final int DEFAULT_MAX_MESSAGE_LENGTH = 8 * 1024 * 1024 + 4;

    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    WsOptions {
        if (maxMessageLength < 68) {
            throw new IllegalArgumentException("maxMessageLength must be >= 68 bytes, was " + maxMessageLength);
        }
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, was " + handshakeTimeout);
        }
    }

    boolean secure() {
        return server != null;
    }
}
