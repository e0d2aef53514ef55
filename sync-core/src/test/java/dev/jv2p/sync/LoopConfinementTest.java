package dev.jv2p.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.internal.Change;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of a {@link SyncSocket} the event loop owns say so: reaching them from another
 * thread fails an assertion (the build runs tests with assertions on) instead of racing.
 */
class LoopConfinementTest {
    private SyncSocket node;

    @BeforeEach
    void start() {
        node = SyncSocket.start(SyncConfig.builder()
                .mesh(MeshConfig.builder().bindHost("127.0.0.1").port(0).build())
                .build());
    }

    @AfterEach
    void close() {
        node.close();
    }

    private static Optional<Change> anUpdate() {
        return Optional.of(new Change.Update(Key.of("k"), 1L, new MetaTuple("someone", 1)));
    }

    @Test
    void testsRunWithAssertionsOn() {
        assertTrue(SyncSocket.class.desiredAssertionStatus(), "the loop checks below are asserts");
    }

    @Test
    void publishingAChangeOffTheEventLoopFailsAnAssertion() {
        assertThrows(AssertionError.class, () -> node.publish(anUpdate()));
        assertNull(node.get("k"), "the read view was left alone");
    }

    @Test
    void publishingOnTheEventLoopPassesTheCheck() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        node.mesh().layerContext().execute(() -> {
            try {
                node.publish(Optional.empty());
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.join();
    }

    @Test
    void writesFromAnotherThreadReachTheLoopWithoutTrippingTheChecks() {
        node.setAsync("a", 1L).join();
        node.applyDeltaAsync("m", Map.of("x", 1L)).join();
        node.del("a");
        assertEquals(0L, node.status().queuedWritesRefused());
        assertEquals(Map.of("x", 1L), node.get("m"));
    }
}
