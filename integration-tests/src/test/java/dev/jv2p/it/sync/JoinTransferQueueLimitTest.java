package dev.jv2p.it.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A join transfer far larger than {@code maxQueuedBytesPerPeer} completes: the transfer pauses
 * while the joiner's queue is above the high water mark, so the limit that disconnects slow
 * readers never cuts off an honest joiner.
 */
class JoinTransferQueueLimitTest {
    private static final int ENTRIES = 100_000;
    private static final int QUEUE_LIMIT = 1 << 20;

    @Test
    void aJoinerGetsAHundredThousandEntriesThroughAOneMegabyteQueue() throws Exception {
        try (SyncSocket node = start();
                SyncSocket joiner = start()) {
            String padding = "p".repeat(100);
            for (int batch = 0; batch < ENTRIES / 1000; batch++) {
                Map<String, Object> entries = new HashMap<>();
                for (int i = 0; i < 1000; i++) {
                    entries.put("key-" + (batch * 1000 + i), padding + (batch * 1000 + i));
                }
                node.update(entries);
            }

            joiner.mesh()
                    .connect("127.0.0.1", node.mesh().localAddress().getPort())
                    .join();
            await().atMost(Duration.ofSeconds(120)).until(() -> joiner.size() == ENTRIES);

            assertEquals(padding + 99_999, joiner.get("key-99999"));
            // A joiner disconnected for its queue would have stopped short: there is no redial.
            assertTrue(node.mesh().routingTable().containsKey(joiner.id()), "the joiner was disconnected");
        }
    }

    private static SyncSocket start() {
        MeshConfig mesh = QuietNode.mesh()
                .maxFrameLength(256 * 1024)
                .maxQueuedBytesPerPeer(QUEUE_LIMIT)
                .build();
        return SyncSocket.start(SyncConfig.builder()
                .mesh(mesh)
                .antiEntropyInterval(Duration.ofSeconds(1))
                .build());
    }
}
