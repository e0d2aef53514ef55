package dev.jv2p.transport.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TLS handshake, and a record each way, between a dialer and a listener of this node's own
 * contexts, in memory on the calling thread. A node runs it when it starts, off its event loops:
 * a fresh JVM otherwise loads and links the provider's key exchange, signature, certificate and
 * cipher code during its first real connection, on the loop that serves every other connection
 * (about 0.3 s of a 0.4 s first TLS connection between two fresh nodes). Nothing leaves the
 * process.
 */
final class TlsWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(TlsWarmUp.class);
    private static final int MAX_FLIGHTS = 16;

    private TlsWarmUp() {}

    /**
     * Runs the handshake between a dialer of {@code client} and a listener of {@code server}.
     *
     * @return whether both sides finished it and each read the other's record; a failure (a
     *     trust that refuses this node's own certificate, say) is only logged, since real
     *     connections decide for themselves
     */
    static boolean handshake(SslContext server, SslContext client) {
        EmbeddedChannel listener = new EmbeddedChannel();
        EmbeddedChannel dialer = new EmbeddedChannel();
        try {
            SslHandler listening = server.newHandler(listener.alloc());
            SslHandler dialing = client.newHandler(dialer.alloc());
            listener.pipeline().addLast(listening);
            dialer.pipeline().addLast(dialing);
            for (int flight = 0; flight < MAX_FLIGHTS && !(done(listening) && done(dialing)); flight++) {
                boolean moved = shuttle(dialer, listener);
                moved |= shuttle(listener, dialer);
                if (!moved) {
                    break;
                }
            }
            if (!dialing.handshakeFuture().isSuccess()
                    || !listening.handshakeFuture().isSuccess()) {
                Throwable cause = dialing.handshakeFuture().cause() != null
                        ? dialing.handshakeFuture().cause()
                        : listening.handshakeFuture().cause();
                LOG.debug("TLS warm-up handshake did not complete: {}", String.valueOf(cause));
                return false;
            }
            dialer.writeOutbound(Unpooled.copiedBuffer("warm-up", StandardCharsets.US_ASCII));
            listener.writeOutbound(Unpooled.copiedBuffer("warm-up", StandardCharsets.US_ASCII));
            shuttle(dialer, listener);
            shuttle(listener, dialer);
            return received(listener) && received(dialer);
        } catch (Exception e) { // EmbeddedChannel rethrows a handler's checked exceptions unchecked
            LOG.debug("TLS warm-up handshake failed", e);
            return false;
        } finally {
            finish(dialer);
            finish(listener);
        }
    }

    private static void finish(EmbeddedChannel ch) {
        try {
            ch.finishAndReleaseAll();
        } catch (Exception e) { // a failed handshake's exception, rethrown on finishing
            LOG.debug("TLS warm-up channel closed with {}", String.valueOf(e));
        }
    }

    private static boolean done(SslHandler h) {
        return h.handshakeFuture().isDone();
    }

    /** Moves what {@code from} wrote into {@code to}; whether there was anything. */
    private static boolean shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        ByteBuf out;
        while ((out = from.readOutbound()) != null) {
            moved = true;
            to.writeInbound(out);
        }
        return moved;
    }

    private static boolean received(EmbeddedChannel ch) {
        boolean any = false;
        Object in;
        while ((in = ch.readInbound()) != null) {
            any = true;
            if (in instanceof ByteBuf b) {
                b.release();
            }
        }
        return any;
    }
}
