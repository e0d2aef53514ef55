package dev.jv2p.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.ServerHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Hides a connection from the node until its WebSocket upgrade is complete: the node sends its
 * p2p.today handshake on {@code channelActive}, which this handler passes on only then, with
 * any bytes that arrived in between. A connection not upgraded within the timeout (a slow or
 * stalled HTTP request, a peer that never answers) is closed with one log line; the node's own
 * handshake timeout starts after the upgrade. Removes itself once the upgrade is done.
 */
final class UpgradeGate extends ChannelInboundHandlerAdapter {
    /** Only what follows the 101 response in the same read can arrive early; more is abuse. */
    private static final int MAX_HELD = 64;

    private final Duration timeout;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private Future<?> timer;
    private boolean upgraded;

    UpgradeGate(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startTimer(ctx); // an accepted channel is active from the start
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startTimer(ctx);
    }

    private void startTimer(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor()
                    .schedule(
                            () -> PeerFaults.close(
                                    ctx.channel(), "no WebSocket upgrade within " + timeout.toMillis() + " ms"),
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeComplete || evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            upgraded(ctx);
        } else if (evt == ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT
                || evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            PeerFaults.close(ctx.channel(), "no WebSocket upgrade within " + timeout.toMillis() + " ms");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void upgraded(ChannelHandlerContext ctx) {
        if (upgraded) {
            return;
        }
        upgraded = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireChannelActive();
        while (!held.isEmpty()) {
            ctx.fireChannelRead(held.poll());
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (upgraded) {
            ctx.fireChannelRead(msg);
        } else {
            held.add(msg);
            if (held.size() > MAX_HELD) {
                PeerFaults.close(
                        ctx.channel(), "sent more than " + MAX_HELD + " messages before the upgrade completed");
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!upgraded) {
            PeerFaults.ended(ctx.channel(), "closed before the WebSocket upgrade completed");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (upgraded) {
            ctx.fireExceptionCaught(cause);
        } else {
            PeerFaults.close(ctx.channel(), "WebSocket upgrade failed: " + cause);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }
}
