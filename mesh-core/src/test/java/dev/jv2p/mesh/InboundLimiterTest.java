package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import org.junit.jupiter.api.Test;

class InboundLimiterTest {

    private static EmbeddedLink link(int ratePerSecond, int burst) {
        MeshConfig config = MeshConfig.builder()
                .maxMessagesPerSecond(ratePerSecond)
                .messageBurst(burst)
                .build();
        return new EmbeddedLink(config).with(c -> new InboundLimiter(c, ratePerSecond, burst));
    }

    @Test
    void eachBodyIsPassedOnAsBytesAndItsBufferReleased() {
        EmbeddedLink link = link(1000, 1000);
        ByteBuf body = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        link.channel.writeInbound(body);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) link.channel.readInbound());
        assertEquals(0, body.refCnt());
        assertEquals(1, link.counters.stats(0).framesIn());
        assertEquals(3 + 4, link.counters.stats(0).bytesIn());
        link.channel.finishAndReleaseAll();
    }

    @Test
    void aPeerSendingPastItsBurstIsDisconnectedAsHostile() {
        EmbeddedLink link = link(1, 2);
        link.channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        link.channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        ByteBuf third = Unpooled.wrappedBuffer(new byte[1]);
        PeerFaultException fault = assertThrows(PeerFaultException.class, () -> link.channel.writeInbound(third));
        assertTrue(fault.hostile());
        assertEquals("sent more than 1 messages a second (burst 2)", fault.getMessage());
        assertEquals(0, third.refCnt());
        link.channel.finishAndReleaseAll();
    }

    @Test
    void framesArrivingAfterThisNodeClosedTheConnectionAreDropped() {
        EmbeddedLink link = link(1000, 1000);
        // On a socket the close completes after the frames of the same read have gone up the
        // pipeline; held back here, so that those frames meet a connection that is closing.
        link.channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void close(ChannelHandlerContext ctx, ChannelPromise promise) {}
        });
        link.connection.close("closed by the test", false);
        ByteBuf late = Unpooled.wrappedBuffer(new byte[] {9});
        link.channel.writeInbound(late);
        assertNull(link.channel.readInbound());
        assertEquals(0, late.refCnt());
        assertEquals(0, link.counters.stats(0).framesIn());
    }
}
