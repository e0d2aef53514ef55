package dev.jv2p.it.plugins;

import dev.jv2p.mesh.spi.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only transport, registered only through this module's test
 * {@code META-INF/services/dev.jv2p.mesh.spi.Transport}: TCP with every byte XORed with
 * {@link #MASK} by a handler of its own, in both directions. It shows that a third party adds a
 * transport with no change to jv2p. Not a security measure.
 */
public final class XorTransport implements Transport {
    public static final String NAME = "XOR-test";
    static final int MASK = 0x5A;
    /** Bytes this transport has masked, in every node of the JVM: proof that it carried the traffic. */
    static final AtomicLong MASKED = new AtomicLong();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void initChannel(Channel channel, boolean client) {
        channel.pipeline().addLast("xor", new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.fireChannelRead(msg instanceof ByteBuf b ? xor(b) : msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg instanceof ByteBuf b ? xor(b) : msg, promise);
            }
        });
    }

    private static ByteBuf xor(ByteBuf in) {
        ByteBuf out = in.alloc().buffer(in.readableBytes());
        while (in.isReadable()) {
            out.writeByte(in.readByte() ^ MASK);
        }
        MASKED.addAndGet(out.readableBytes());
        in.release();
        return out;
    }
}
