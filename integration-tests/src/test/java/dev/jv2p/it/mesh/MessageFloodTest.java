package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.it.HeapUse;
import dev.jv2p.it.sync.RawPeer;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer that floods the node with unique broadcasts, faster than {@code maxMessagesPerSecond}
 * allows for longer than {@code messageBurst} covers, is disconnected; meanwhile the seen
 * cache stays within its bound, and the honest peer is served throughout.
 */
class MessageFloodTest {
    // Below what a node processes a second even under the paranoid leak detector: a node
    // reads no faster than it processes, so a limit above that is never reached on loopback.
    private static final int RATE = 500;
    private static final int BURST = 2_000;
    private static final int SENT = 50_000;

    @Test
    void aPeerFloodingUniqueBroadcastsIsDisconnectedAndTheHonestPeerStillServed() throws Exception {
        try (TestMesh mesh = TestMesh.loopback();
                StderrCapture log = new StderrCapture()) {
            MeshSocket node = mesh.start(
                    "node",
                    settings(b -> b.maxMessagesPerSecond(RATE)
                            .messageBurst(BURST)
                            .seenCacheMaxEntries(BURST / 4)
                            .keepAliveTimeout(Duration.ofSeconds(60))));
            MeshSocket honest = mesh.start("honest", settings());
            mesh.joinAndAwait(honest, node);
            long before = HeapUse.settled();

            try (RawPeer flooder = RawPeer.connect(
                    node.localAddress().getPort(), node.protocolId(), "flooder", node.maxFrameLength())) {
                for (int i = 0; i < SENT && !flooder.isClosed(); i++) {
                    flooder.send(List.of(
                            (long) Flags.BROADCAST, "flooder", node.now(), (long) Flags.BROADCAST, "flood-" + i));
                }
                assertTrue(flooder.awaitClosedByNode(Duration.ofSeconds(30)), "the flooder was not disconnected");
            }

            assertTrue(log.text().contains("messages a second (burst " + BURST + ")"), "no log line says why");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !node.routingTable().containsKey("flooder"));
            assertTrue(node.stats().framesIn() < SENT, "the node read the whole flood: " + node.stats());
            MeshChecks.assertServes(node, honest);
            HeapUse.assertBounded(before, "a flood of " + SENT + " unique broadcasts");
        }
    }
}
