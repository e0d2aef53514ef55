package dev.jv2p.mesh;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The last inbound stage: hands decoded messages and the connection's life cycle to the
 * router, and turns pipeline faults into a logged close.
 */
final class InboundHandler extends SimpleChannelInboundHandler<Inbound> {
    private final Router router;
    private final Connection connection;
    private final FrameDecoder decoder;

    InboundHandler(Router router, Connection connection, FrameDecoder decoder) {
        super(Inbound.class, true);
        this.router = router;
        this.connection = connection;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        assert ctx.channel().eventLoop().inEventLoop();
        router.onActive(connection);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Inbound inbound) {
        router.onMessage(connection, inbound);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        router.onInactive(connection);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.onWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && decoder.hasPartialFrame()) {
            connection.close("sent part of a frame and then nothing for too long", false);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PeerFaultException fault) {
            connection.close(fault.getMessage(), fault.hostile());
            return;
        }
        Throwable root = cause.getCause() instanceof TooLongFrameException ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            connection.close("announced a frame over the size limit (" + root.getMessage() + ")", true);
        } else if (root instanceof java.io.IOException) {
            connection.close("connection error: " + root.getMessage(), false);
        } else {
            connection.close("pipeline error: " + root, true);
        }
    }
}
