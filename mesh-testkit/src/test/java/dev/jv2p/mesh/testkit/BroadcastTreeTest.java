package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broadcast tree in meshes of 16 and 64 nodes, in virtual time (see {@link
 * BroadcastSimulation}): once the first broadcast has pruned the tree, every node delivers each
 * broadcast exactly once at close to n−1 payload copies; with a fifth of the nodes killed, the
 * survivors still receive every later broadcast.
 */
class BroadcastTreeTest {
    private static final long SEED = 7;

    @ParameterizedTest
    @ValueSource(ints = {16, 64})
    void inSteadyStateEveryNodeDeliversEachBroadcastOnceAtMost115TimesNMinus1Payloads(int n) {
        try (BroadcastSimulation sim = new BroadcastSimulation(n, true, SEED)) {
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                sim.broadcast();
            }
            for (int b = 0; b < 10; b++) {
                BroadcastSimulation.Round r = sim.broadcast();
                assertEquals(r.expected(), r.delivered(), "broadcast " + b + " reached every node");
                assertEquals(0, r.duplicates(), "broadcast " + b + " was delivered once per node");
                assertTrue(
                        r.payloads() <= 1.15 * (n - 1),
                        "broadcast " + b + " cost " + r.payloads() + " payload copies, more than 1.15 (n-1)");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64})
    void afterAFifthOfTheNodesIsKilledTheSurvivorsReceiveEveryLaterBroadcast(int n) {
        try (BroadcastSimulation sim = new BroadcastSimulation(n, true, SEED)) {
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                sim.broadcast();
            }
            sim.kill(0.2);
            List<BroadcastSimulation.Round> after = new ArrayList<>();
            for (int b = 0; b < 10; b++) {
                BroadcastSimulation.Round r = sim.broadcast();
                after.add(r);
                assertEquals(r.expected(), r.delivered(), "broadcast " + b + " after the kill reached every survivor");
                assertEquals(0, r.duplicates(), "broadcast " + b + " after the kill was delivered once per node");
            }
            BroadcastSimulation.Round last = after.get(after.size() - 1);
            assertTrue(
                    last.payloads() <= 1.15 * (sim.live() - 1),
                    "the tree healed: " + last.payloads() + " payload copies for " + sim.live() + " nodes");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 64})
    void whenAllNodesJoinThroughOneContactAtOnceTheOverlayIsOneComponentAndEveryNodeDelivers(int n) {
        try (BroadcastSimulation sim = BroadcastSimulation.throughOneContact(n, true, SEED)) {
            assertEquals(1, sim.components(), "no island after everyone dialed node 0 at once");
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                sim.broadcast();
            }
            for (int b = 0; b < 5; b++) {
                BroadcastSimulation.Round r = sim.broadcast();
                assertEquals(0, r.cutOff(), "broadcast " + b + ": every node is connected to the sender");
                assertEquals(n - 1, r.delivered(), "broadcast " + b + " reached every node");
                assertEquals(0, r.duplicates(), "broadcast " + b + " was delivered once per node");
            }
        }
    }

    /**
     * With a contact that takes only 4 peers, 40 nodes dialing it at once: the contact sends
     * those beyond its limit its peers list and closes their link, so none is left an island.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nodesBeyondTheContactsPeerLimitAreReferredToItsPeersInsteadOfLeftAsIslands(boolean tree) {
        try (BroadcastSimulation sim = BroadcastSimulation.throughOneContact(40, tree, SEED, 4)) {
            assertEquals(1, sim.components(), "no island after 39 nodes dialed a contact with 4 peer slots");
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                sim.broadcast();
            }
            BroadcastSimulation.Round r = sim.broadcast();
            assertEquals(39, r.delivered(), "the broadcast reached every node");
            assertEquals(0, r.duplicates(), "the broadcast was delivered once per node");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16})
    void withoutTheTreeTheSameMeshFloodsMoreThanTwiceNMinus1PayloadsPerBroadcast(int n) {
        try (BroadcastSimulation sim = new BroadcastSimulation(n, false, SEED)) {
            List<BroadcastSimulation.Round> rounds = new ArrayList<>();
            for (int b = 0; b < 5; b++) {
                rounds.add(sim.broadcast());
            }
            System.out.println(BroadcastSimulation.row("flood", n, sim.links(), rounds));
            for (BroadcastSimulation.Round r : rounds) {
                assertEquals(r.expected(), r.delivered());
                assertEquals(0, r.ids(), "no ids are announced without the tree");
                assertTrue(r.payloads() > 2 * (n - 1), r.payloads() + " payload copies");
            }
        }
    }

    @Test
    void inRealTimeBroadcastsSentFromEveryNodeAtOnceReachEveryNodeOnce() throws InterruptedException {
        int n = 12;
        int each = 20;
        Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
        CountDownLatch broadcasts = new CountDownLatch(n * (n - 1) * each);
        CountDownLatch markers = new CountDownLatch(n * (n - 1));
        try (TestMesh mesh = TestMesh.realTime()) {
            List<MeshSocket> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MeshSocket node = mesh.start("r" + i, b -> b.broadcastTree(true));
                node.registerHandler(m -> {
                    String text = (String) m.packets().get(1);
                    int count = copies.computeIfAbsent(node.id() + " " + text, k -> new AtomicInteger())
                            .incrementAndGet();
                    if (count == 1) {
                        (text.endsWith("/marker") ? markers : broadcasts).countDown();
                    }
                    return true;
                });
                if (i > 0) {
                    mesh.joinAndAwait(node, nodes.get((i - 1) / 2));
                }
                nodes.add(node);
            }
            for (int b = 0; b < each; b++) {
                for (MeshSocket node : nodes) {
                    node.send(List.of(node.id() + "/" + b));
                }
            }
            assertTrue(
                    broadcasts.await(60, TimeUnit.SECONDS),
                    "every node delivered every other node's broadcasts; missing: " + broadcasts.getCount());
            for (MeshSocket node : nodes) {
                node.send(List.of(node.id() + "/marker"));
            }
            assertTrue(markers.await(60, TimeUnit.SECONDS), "the markers arrived");
            copies.forEach((delivery, count) -> assertEquals(1, count.get(), delivery + " delivered once"));
            long announced =
                    nodes.stream().mapToLong(x -> x.stats().idsAnnounced()).sum();
            assertTrue(announced > 0, "the tree pruned links and announced ids on them");
        }
    }
}
