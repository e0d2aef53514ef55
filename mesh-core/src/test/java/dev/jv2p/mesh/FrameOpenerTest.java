package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.internal.wire.Frames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameOpenerTest {
    private static final byte[] PAYLOAD = "a payload".getBytes(StandardCharsets.US_ASCII);

    private final SeenCache seen = new SeenCache(60, 100);

    private EmbeddedLink link() {
        EmbeddedLink link = new EmbeddedLink();
        return link.with(c -> new FrameOpener(c, seen, link.counters, 1 << 20, body -> {}));
    }

    @Test
    void anUncompressedBodyOpensIntoItsVerifiedBlock() {
        EmbeddedLink link = link();
        byte[] body = Frames.block(PAYLOAD);
        link.channel.writeInbound((Object) body);
        Frames.Block block = link.channel.readInbound();
        assertArrayEquals(PAYLOAD, block.payload());
        assertArrayEquals(Arrays.copyOf(body, Frames.CHECKSUM_LENGTH), block.checksum());
    }

    @Test
    void aBodyWhoseChecksumDoesNotMatchIsAHostileBadFrame() {
        EmbeddedLink link = link();
        byte[] body = Frames.block(PAYLOAD);
        body[body.length - 1] ^= 1;
        PeerFaultException fault =
                assertThrows(PeerFaultException.class, () -> link.channel.writeInbound((Object) body));
        assertTrue(fault.hostile());
        assertTrue(fault.getMessage().startsWith("bad frame: "), fault.getMessage());
    }

    @Test
    void aCopyOfASeenBroadcastIsDroppedBeforeItIsOpened() {
        EmbeddedLink link = link();
        link.connection.markHandshaken();
        byte[] body = Frames.block(PAYLOAD);
        seen.add(Arrays.copyOf(body, Frames.CHECKSUM_LENGTH), 100, 100);
        link.channel.writeInbound((Object) body);
        assertNull(link.channel.readInbound());
        assertEquals(1, link.counters.stats(0).duplicatesDropped());
    }

    @Test
    void beforeTheHandshakeEveryBodyIsOpenedEvenWithASeenChecksum() {
        EmbeddedLink link = link();
        byte[] body = Frames.block(PAYLOAD);
        seen.add(Arrays.copyOf(body, Frames.CHECKSUM_LENGTH), 100, 100);
        link.channel.writeInbound((Object) body);
        Frames.Block block = link.channel.readInbound();
        assertArrayEquals(PAYLOAD, block.payload());
        assertEquals(0, link.counters.stats(0).duplicatesDropped());
    }
}
