package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.it.HeapUse;
import dev.jv2p.it.sync.RawPeer;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.testkit.TestMesh;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer that handshakes and then never reads, while the node relays it an honest peer's
 * broadcasts: once more than {@code maxQueuedBytesPerPeer} would wait for it, the node
 * disconnects it, and the heap never holds more than that for it.
 */
class SlowReaderTest {
    private static final int QUEUE_LIMIT = 1 << 20;
    private static final int MESSAGES = 2_000;
    private static final int MESSAGE_BYTES = 8 * 1024;

    @Test
    void aPeerThatNeverReadsIsDisconnectedOnceItsQueueIsFull() throws Exception {
        try (TestMesh mesh = TestMesh.loopback();
                StderrCapture log = new StderrCapture()) {
            MeshSocket node =
                    mesh.start("node", settings(b -> b.maxFrameLength(64 * 1024).maxQueuedBytesPerPeer(QUEUE_LIMIT)));
            MeshSocket honest = mesh.start("honest", settings());
            mesh.joinAndAwait(honest, node);
            long before = HeapUse.settled();

            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(
                    new InetSocketAddress("127.0.0.1", node.localAddress().getPort()));
            // Not a jv2p peer, so it is never dropped for leaving pings unanswered.
            try (RawPeer stalled =
                    RawPeer.connect(socket, node.protocolId(), "stalled", node.maxFrameLength(), false)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> node.routingTable().containsKey("stalled"));
                String filler = "x".repeat(MESSAGE_BYTES);
                for (int i = 0; i < MESSAGES; i++) {
                    honest.send(List.of(i, filler));
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !node.routingTable().containsKey("stalled"));
            }

            assertTrue(log.text().contains("reads too slowly"), "no log line says why the peer was closed");
            MeshChecks.assertServes(node, honest);
            HeapUse.assertBounded(
                    before, MESSAGES + " broadcasts of " + MESSAGE_BYTES + " bytes towards a stalled peer");
        }
    }
}
