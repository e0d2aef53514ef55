package dev.jv2p.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;

/** Hands whole frame bodies to the router; turns pipeline faults into a logged close. */
final class InboundHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Router router;
    private final Connection connection;
    private final FrameDecoder decoder;

    InboundHandler(Router router, Connection connection, FrameDecoder decoder) {
        super(true);
        this.router = router;
        this.connection = connection;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        router.onActive(connection);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf body) {
        router.onFrame(connection, ByteBufUtil.getBytes(body));
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
            router.closeConnection(connection, "sent part of a frame and then nothing for too long", false);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() instanceof TooLongFrameException ? cause.getCause() : cause;
        if (root instanceof TooLongFrameException) {
            router.closeConnection(connection, "announced a frame over the size limit (" + root.getMessage() + ")",
                    true);
        } else if (root instanceof java.io.IOException) {
            router.closeConnection(connection, "connection error: " + root.getMessage(), false);
        } else {
            router.closeConnection(connection, "pipeline error: " + root, true);
        }
    }
}
