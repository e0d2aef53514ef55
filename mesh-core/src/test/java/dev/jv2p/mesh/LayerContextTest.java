package dev.jv2p.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.spi.Flags;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a protocol layer gets from {@link MeshSocket#layerContext()}, on one in-memory node. */
class LayerContextTest {
    private MeshSocket node;
    private LayerContext layer;

    @BeforeEach
    void start() {
        node = MeshSocket.start(MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(Protocol.defaultMesh().withCodec("tagged-test"))
                .codec(new TaggedTestCodec())
                .transport(new InMemoryNetwork().plaintext())
                .build());
        layer = node.layerContext();
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void theContextDescribesTheNodeThatHandsItOut() {
        assertSame(layer, node.layerContext());
        assertEquals(node.id(), layer.id());
        assertEquals(node.protocolId(), layer.protocolId());
        assertSame(node.config(), layer.config());
        assertEquals(node.maxFrameLength(), layer.maxFrameLength());
        assertFalse(layer.inEventLoop());
        assertTrue(layer.peerLinks().isEmpty());
        node.close();
        assertTrue(layer.isClosed());
    }

    @Test
    void executeRunsInlineOnTheLoopWhileExecuteLaterWaitsForTheCurrentTask() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        layer.execute(() -> {
            assertTrue(layer.inEventLoop());
            layer.executeLater(() -> {
                order.add("later");
                done.countDown();
            });
            layer.execute(() -> order.add("inline"));
            order.add("end of task");
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("inline", "end of task", "later"), order);
    }

    @Test
    void aScheduledTaskRunsOnTheLoop() throws Exception {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        layer.schedule(() -> onLoop.complete(layer.inEventLoop()), Duration.ofMillis(1));
        assertTrue(onLoop.get(5, TimeUnit.SECONDS));
    }

    @Test
    void tasksForTheCallbackThreadRunOneAtATimeInTheOrderGiven() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        layer.runOnCallbackThread(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("first");
        });
        layer.runOnCallbackThread(() -> {
            order.add("second");
            done.countDown();
        });
        release.countDown();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), order);
    }

    @Test
    void onlyALayersOwnSubFlagsCanBeDeclaredWhisperOnly() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> layer.registerWhisperOnly(Flags.BROADCAST));
        assertTrue(e.getMessage().contains("can be declared whisper-only"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layer.registerWhisperOnly(0x100));
        layer.registerWhisperOnly(Flags.LAYER_EXTENSION_BASE).close();
    }
}
