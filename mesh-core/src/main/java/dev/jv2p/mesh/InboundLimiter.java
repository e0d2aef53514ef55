package dev.jv2p.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * The first stage after framing: counts each frame body, drops those arriving after this node
 * decided to close the connection, and ends a connection whose peer sends faster than its
 * message rate allows. Passes the body on as bytes (the buffer is released here).
 */
final class InboundLimiter extends MessageToMessageDecoder<ByteBuf> {
    private final Connection connection;
    private final long ratePerSecond;
    private final long burst;

    InboundLimiter(Connection connection, long ratePerSecond, long burst) {
        super(ByteBuf.class);
        this.connection = connection;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        assert ctx.channel().eventLoop().inEventLoop();
        if (connection.isClosing()) {
            return;
        }
        if (!connection.received(body.readableBytes())) {
            throw new PeerFaultException(
                    "sent more than " + ratePerSecond + " messages a second (burst " + burst + ")", true);
        }
        out.add(ByteBufUtil.getBytes(body));
    }
}
