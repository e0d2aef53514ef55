package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The per-peer limits: their defaults (as SECURITY.md states them) and their validation. */
class MeshConfigLimitsTest {

    @Test
    void defaultsAreThoseInTheLimitsTable() {
        MeshConfig c = MeshConfig.builder().build();
        assertEquals(128, c.listenBacklog());
        assertEquals(64 << 20, c.maxQueuedBytesPerPeer());
        assertEquals(50_000, c.maxMessagesPerSecond());
        assertEquals(100_000, c.messageBurst());
        assertEquals(Duration.ofSeconds(30), c.stateRequestInterval());
    }

    @Test
    void toBuilderKeepsTheLimits() {
        MeshConfig c = MeshConfig.builder()
                .listenBacklog(7)
                .maxQueuedBytesPerPeer(1 << 30)
                .maxMessagesPerSecond(9)
                .messageBurst(11)
                .stateRequestInterval(Duration.ZERO)
                .build();
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void theQueueLimitMustHoldTwoFrames() {
        assertRefused(b -> b.maxFrameLength(1 << 20).maxQueuedBytesPerPeer((2 << 20) - 1), "maxQueuedBytesPerPeer");
        MeshConfig.builder()
                .maxFrameLength(1 << 20)
                .maxQueuedBytesPerPeer(2 << 20)
                .build();
    }

    @Test
    void ratesBacklogAndIntervalMustMakeSense() {
        assertRefused(b -> b.maxMessagesPerSecond(0), "maxMessagesPerSecond");
        assertRefused(b -> b.messageBurst(0), "messageBurst");
        assertRefused(b -> b.listenBacklog(0), "listenBacklog");
        assertRefused(b -> b.stateRequestInterval(Duration.ofSeconds(-1)), "stateRequestInterval");
    }

    private static void assertRefused(UnaryOperator<MeshConfig.Builder> bad, String field) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> bad.apply(MeshConfig.builder()).build());
        assertTrue(e.getMessage().startsWith("MeshConfig." + field + " "), e.getMessage());
    }
}
