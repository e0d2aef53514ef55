package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.spi.Compression;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionTest {

    @Test
    void theFirstCloseReasonIsKeptAndTheChannelClosed() {
        EmbeddedLink link = new EmbeddedLink();
        link.connection.close("first", false);
        link.connection.close("second", true);
        assertEquals("first", link.connection.closeReason());
        assertFalse(link.channel.isOpen());
        assertFalse(link.connection.wasLost());
    }

    @Test
    void aConnectionClosedForSilenceIsLostNotRefused() {
        EmbeddedLink link = new EmbeddedLink();
        link.connection.closeAsLost("silent");
        assertTrue(link.connection.wasLost());
        assertEquals("silent", link.connection.closeReason());
    }

    @Test
    void aRefusedMessageBecomesThePeersLastError() {
        EmbeddedLink link = new EmbeddedLink();
        link.connection.refused(7, "a peers list must be [7, [entries]]");
        link.connection.refused(8, "a request must be [8, '*'] or [8, request id, wanted id]");
        assertEquals(
                "refused mesh message 8: a request must be [8, '*'] or [8, request id, wanted id]",
                link.connection.lastError());
    }

    @Test
    void closingBeforeTheHandshakeFailsTheReadyFutureWithTheReason() {
        EmbeddedLink link = new EmbeddedLink();
        link.connection.close("protocol mismatch", false);
        link.connection.onClosed();
        assertTrue(link.connection.ready().isCompletedExceptionally());
    }

    @Test
    void theStateRequestThrottleServesOneAnIntervalAndCountsTheRest() {
        StateRequestThrottle throttle = new StateRequestThrottle();
        Duration interval = Duration.ofSeconds(30);
        assertTrue(throttle.allow(0, interval));
        assertFalse(throttle.allow(1, interval));
        assertFalse(throttle.allow(2, interval));
        assertEquals(2, throttle.ignoredInARow());
        assertTrue(throttle.allow(interval.toNanos(), interval));
        assertEquals(0, throttle.ignoredInARow());
    }

    @Test
    void thisNodeSendsWithItsFirstPreferenceThePeerAnnounced() {
        Compression a = new NamedCompression(1);
        Compression b = new NamedCompression(2);
        LinkCompression c = LinkCompression.negotiate(List.of(3, 2, 1), Map.of(1, a, 2, b), List.of(a, b));
        assertEquals(List.of(b, a), c.receive());
        assertEquals(a, c.send());
        assertNull(
                LinkCompression.negotiate(List.of(3), Map.of(1, a), List.of(a)).send());
    }

    /** Only its flag matters to negotiation. */
    private record NamedCompression(int flag) implements Compression {
        @Override
        public String name() {
            return "c" + flag;
        }

        @Override
        public byte[] compress(byte[] data) {
            return data;
        }

        @Override
        public byte[] decompress(byte[] data, int maxLength) {
            return data;
        }
    }
}
