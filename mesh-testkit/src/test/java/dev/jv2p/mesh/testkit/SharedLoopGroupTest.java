package dev.jv2p.mesh.testkit;

import dev.jv2p.mesh.MeshSocket;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node running on an event loop group its caller owns leaves nothing behind on the group when
 * it closes: its periodic keep-alive task used to stay scheduled, so every closed node stayed
 * reachable (and kept running) for as long as the group lived. Found by the sync soak, which
 * restarts nodes on one shared group. In virtual time, on the group of a {@link VirtualTime}.
 */
class SharedLoopGroupTest {

    @Test
    void aClosedNodeOnASharedGroupCanBeCollected() {
        try (TestMesh mesh = TestMesh.virtual()) {
            WeakReference<MeshSocket> closed = startAndClose(mesh);
            mesh.time()
                    .advanceUntil(
                            () -> {
                                System.gc();
                                return closed.get() == null;
                            },
                            Duration.ofSeconds(20));
        }
    }

    private static WeakReference<MeshSocket> startAndClose(TestMesh mesh) {
        MeshSocket node = MeshSocket.start(
                mesh.config("node").keepAliveInterval(Duration.ofMillis(100)).build());
        node.close();
        return new WeakReference<>(node);
    }
}
