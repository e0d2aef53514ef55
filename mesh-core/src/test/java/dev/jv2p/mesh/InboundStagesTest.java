package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jv2p.mesh.internal.wire.Frames;
import dev.jv2p.mesh.spi.DecodeLimits;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inbound stages in the order the node runs them, framing included. */
class InboundStagesTest {
    private static final List<List<Object>> MESSAGES = List.of(
            List.of(2L, "peer", 1L, 5L, "peer", "proto", List.of("h", 80L), List.of()),
            List.of(0L, "peer", 2L, 0L, "a user message"),
            List.of(2L, "peer", 3L, 8L, "*"));

    private static EmbeddedLink link() {
        EmbeddedLink link = new EmbeddedLink();
        SeenCache seen = new SeenCache(60, 100);
        return link.with(c -> new FrameDecoder(1 << 20))
                .with(c -> new InboundLimiter(c, 1000, 1000))
                .with(c -> new FrameOpener(c, seen, link.counters, 1 << 20, body -> {}))
                .with(c -> new PacketDecoder(c, EmbeddedLink.CODEC, DecodeLimits.DEFAULT, "proto", null));
    }

    private static byte[] stream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<Object> m : MESSAGES) {
            out.writeBytes(Frames.frame(Frames.block(EmbeddedLink.CODEC.encode(m))));
        }
        return out.toByteArray();
    }

    @Test
    void messagesComeOutWholeAndInOrderHoweverTheStreamIsCut() {
        byte[] stream = stream();
        for (int cut = 0; cut <= stream.length; cut++) {
            EmbeddedLink link = link();
            link.connection.markHandshaken();
            link.channel.writeInbound(Unpooled.wrappedBuffer(stream, 0, cut));
            link.channel.writeInbound(Unpooled.wrappedBuffer(stream, cut, stream.length - cut));
            List<Object> seen = new ArrayList<>();
            for (Inbound in = link.channel.readInbound(); in != null; in = link.channel.readInbound()) {
                seen.add(in.parsed() != null ? in.parsed() : in.message().packets());
            }
            assertEquals(
                    List.of(
                            new MeshMessages.Handshake("peer", "proto", "h", 80, List.of()),
                            List.of(0L, "a user message"),
                            new MeshMessages.StateRequest()),
                    seen,
                    "cut at " + cut);
            assertEquals(3, link.counters.stats(0).framesIn(), "cut at " + cut);
            assertNull(link.channel.readInbound());
            link.channel.finishAndReleaseAll();
        }
    }
}
