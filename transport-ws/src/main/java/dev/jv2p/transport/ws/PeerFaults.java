package dev.jv2p.transport.ws;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a WebSocket connection for a fault of its peer with exactly one log line, however many
 * handlers notice the same fault (a bad frame is seen by the decoder, then by the close it
 * causes).
 */
final class PeerFaults {
    private static final Logger LOG = LoggerFactory.getLogger(WsTransport.class);
    private static final AttributeKey<Boolean> LOGGED = AttributeKey.valueOf(PeerFaults.class, "logged");

    private PeerFaults() {}

    /** Logs {@code reason} for the peer of {@code channel} (once per channel) and closes it. */
    static void close(Channel channel, String reason) {
        log(channel, reason);
        channel.close();
    }

    /** Logs {@code reason} for the peer of {@code channel} (once per channel); the caller closes. */
    static void log(Channel channel, String reason) {
        if (note(channel)) {
            LOG.warn("closing WebSocket peer {}: {}", channel.remoteAddress(), reason);
        }
    }

    /** Logs an end before the upgrade (INFO) unless a fault was already logged for the channel. */
    static void ended(Channel channel, String reason) {
        if (note(channel)) {
            LOG.info("WebSocket peer {}: {}", channel.remoteAddress(), reason);
        }
    }

    private static boolean note(Channel channel) {
        return channel.attr(LOGGED).setIfAbsent(Boolean.TRUE) == null;
    }
}
