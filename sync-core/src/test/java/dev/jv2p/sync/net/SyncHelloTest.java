package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.mesh.testkit.VirtualTime;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sync hello: peers whose merge rules differ share a protocol id (a node that leases keys
 * and one that lets the newest write win while announcing leasing, as js2p's default does), so
 * the mesh lets them connect. Anti-entropy between them would ship the same buckets every
 * round and never converge, since each merges by other rules. Each recognises the other at
 * hello time, says so in its status and leaves it out of anti-entropy; live writes still flow
 * and are judged by local rules.
 */
class SyncHelloTest {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void peersWithDifferentMergeRulesAreReportedAndLeftOutOfAntiEntropy() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            String codec = Protocol.DEFAULT_CODEC;
            SyncSocket leasing = SyncNodes.start(mesh, "leasing", codec);
            SyncSocket newest =
                    SyncNodes.start(mesh, "newest", codec, b -> b.leasing(false).announceLeasing(true), m -> m);
            leasing.set("before", "made apart");

            SyncNodes.join(newest, leasing);

            time.advanceUntil(
                    () -> !leasing.status().differingPeers().isEmpty()
                            && !newest.status().differingPeers().isEmpty(),
                    T);
            List<String> differing = leasing.status().differingPeers();
            assertEquals(1, differing.size());
            assertTrue(differing.get(0).startsWith(newest.id() + ": its merge rule is newest"), differing.get(0));
            // Live writes still flow.
            leasing.set("live", 1L);
            time.advanceUntil(() -> Long.valueOf(1).equals(newest.get("live")), T);
            // Several anti-entropy rounds later the key written apart has not been shipped.
            long rounds = leasing.status().antiEntropyRounds();
            time.advanceUntil(
                    () -> leasing.status().antiEntropyRounds() >= rounds + 3
                            && newest.status().antiEntropyRounds() >= rounds + 3,
                    T);
            assertNull(newest.get("before"), "anti-entropy ran between peers whose merge rules differ");
        }
    }

    @Test
    void peersWithTheSameRulesCompareBucketDigestsAndConverge() {
        try (SyncNodes nodes = new SyncNodes()) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            for (int i = 0; i < 500; i++) {
                a.set("a-" + i, (long) i);
                b.set("b-" + i, (long) i);
            }

            SyncNodes.join(b, a);

            await().atMost(T).until(() -> a.size() == 1000 && b.size() == 1000);
            assertTrue(a.status().differingPeers().isEmpty());
            assertTrue(b.status().differingPeers().isEmpty());
            assertEquals(a.items(), b.items());
        }
    }
}
