package dev.jv2p.it.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.it.HeapUse;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A peer that asks again and again for the full state ({@code '*'}) of a node that holds
 * 100,000 entries: the node serves one request a {@code stateRequestInterval}, ignores the
 * others and disconnects the peer after ten ignored ones in a row; its heap stays bounded, and
 * its honest peer, which joined by copying all 100,000 entries, keeps its data and is served.
 */
class StateRequestAbuseTest {
    private static final int ENTRIES = 100_000;
    private static final int REQUESTS = 50;

    @Test
    void aPeerRepeatingStarRequestsIsServedOnceThenDisconnected() throws Exception {
        try (SyncSocket node = start();
                SyncSocket honest = start()) {
            for (int batch = 0; batch < ENTRIES / 1000; batch++) {
                Map<String, Object> entries = new HashMap<>();
                for (int i = 0; i < 1000; i++) {
                    entries.put("key-" + (batch * 1000 + i), "value-" + (batch * 1000 + i));
                }
                node.update(entries);
            }
            honest.set("honest-key", "honest-value");
            honest.mesh()
                    .connect("127.0.0.1", node.mesh().localAddress().getPort())
                    .join();
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> honest.size() == ENTRIES + 1 && "honest-value".equals(node.get("honest-key")));
            long before = HeapUse.settled();

            try (RawPeer adversary = RawPeer.connect(
                    node.mesh().localAddress().getPort(),
                    node.mesh().protocolId(),
                    "greedy",
                    node.mesh().maxFrameLength())) {
                for (int i = 0; i < REQUESTS && !adversary.isClosed(); i++) {
                    adversary.send(
                            List.of((long) Flags.WHISPER, "greedy", node.mesh().now(), (long) Flags.REQUEST, "*"));
                }
                // Reading everything it is sent: the node stops it for asking, not for reading slowly.
                assertTrue(adversary.awaitClosedByNode(Duration.ofSeconds(60)), "the greedy peer was not disconnected");
                // At least the first slice of histories (2,000 entries, about 200 kB; the rest
                // is cut short by the disconnect), far more than the handshake, peers list and
                // digest: the first request was served.
                assertTrue(adversary.discardedBytes() > 100_000, "got " + adversary.discardedBytes() + " bytes");
            }

            HeapUse.assertBounded(before, REQUESTS + " '*' requests against " + ENTRIES + " entries");
            assertEquals(ENTRIES + 1, node.size());
            assertEquals("value-12345", node.get("key-12345"));
            assertEquals("honest-value", node.get("honest-key"));
            honest.set("honest-key", "still served");
            node.set("node-key", "still serving");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "still served".equals(node.get("honest-key"))
                            && "still serving".equals(honest.get("node-key")));
        }
    }

    private static SyncSocket start() {
        MeshConfig mesh = MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .protocol(Protocol.defaultMesh())
                .dialPeerLists(false)
                .build();
        return SyncSocket.start(SyncConfig.builder()
                .mesh(mesh)
                .antiEntropyInterval(Duration.ofSeconds(1))
                .build());
    }
}
