package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node with fewer peers than {@code maxOutgoing} dials again, with a jittered back-off, the
 * contacts its user dialed and addresses it learnt from peers lists; in virtual time.
 */
class MembershipTest {
    private static final long SEED = 7;
    private static final Duration WAIT = Duration.ofMinutes(1);

    /**
     * 59 nodes dial a contact with 4 peer slots at once: it takes 4, refers 16 more to its peers
     * and refuses the other 39, which dial it again after their back-off and are referred then.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nodesTheContactRefusedAtItsPeerLimitDialAgainUntilTheOverlayIsOneComponent(boolean tree) {
        try (BroadcastSimulation sim = BroadcastSimulation.throughOneContact(60, tree, SEED, 4)) {
            assertEquals(
                    1,
                    sim.components(),
                    "no island after 59 nodes dialed a contact with 4 peer slots: " + sim.describeComponents());
            for (int warmUp = 0; warmUp < 3; warmUp++) {
                sim.broadcast();
            }
            BroadcastSimulation.Round r = sim.broadcast();
            assertEquals(59, r.delivered(), "the broadcast reached every node");
            assertEquals(0, r.duplicates(), "the broadcast was delivered once per node");
        }
    }

    /**
     * The node joined a hub only ({@code maxOutgoing} 1); the hub's peers list named three other
     * nodes. When the hub dies, the node dials one of them rather than stay alone.
     */
    @Test
    void aNodeWhoseOnlyNeighbourDiedDialsAnAddressItLearntFromAPeersList() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket hub = mesh.start("hub");
            List<MeshSocket> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MeshSocket other = mesh.start("p" + i);
                mesh.joinAndAwait(other, hub);
                others.add(other);
            }
            MeshSocket node = mesh.start("node", b -> b.maxOutgoing(1));
            mesh.joinAndAwait(node, hub);
            mesh.time().advance(Duration.ofSeconds(5));
            assertEquals(1, node.routingTable().size(), "at its floor of 1 the node dialed no one else");

            hub.close();
            mesh.time().advanceUntil(() -> !node.routingTable().isEmpty(), WAIT);
            String peer = node.routingTable().keySet().iterator().next();
            assertTrue(others.stream().anyMatch(o -> o.id().equals(peer)), peer + " is one of the hub's peers");
        }
    }

    /**
     * A peer named by a peers list is at its limit and refers the node elsewhere. The dial
     * succeeded (a handshake, then the close), so a redial's back-off would start over each time:
     * the node is not to come back every second, only after the peer's time as full is over.
     */
    @Test
    void aPeerThatReferredTheNodeElsewhereIsNotDialedAgainEverySecond() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket seed = mesh.start("seed");
            MeshSocket full = mesh.start("full", b -> b.maxPeers(1));
            mesh.joinAndAwait(full, seed);
            MeshSocket node = mesh.start("node");
            mesh.joinAndAwait(node, seed); // the seed's peers list names the full peer

            mesh.time().advance(Duration.ofMinutes(1));

            int dials = mesh.network().dialed("node", "full");
            assertTrue(dials >= 1 && dials <= 5, "the node dialed the full peer " + dials + " times in a minute");
            assertEquals(1, full.routingTable().size(), "the full peer kept its one link");
        }
    }

    /**
     * The node sat below its floor for minutes, dialing its contact, which is full and refers
     * it, so its back-off grew to {@code keepAliveTimeout}. When its last peers die, it starts
     * over from the first wait, and is linked again within a second: the contact has room now.
     */
    @Test
    void aNodeThatLostItsLastPeerDialsAgainWithinASecondEvenAfterALongWaitBelowTheFloor() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket seed = mesh.start("seed");
            MeshSocket other = mesh.start("other");
            mesh.joinAndAwait(other, seed);
            MeshSocket full = mesh.start("full", b -> b.maxPeers(1).dialPeerLists(false));
            mesh.joinAndAwait(full, seed);
            MeshSocket node = mesh.start("node");
            node.connect(
                    full.localAddress().getHostString(), full.localAddress().getPort());
            mesh.time().advance(Duration.ofMinutes(2));
            assertEquals(Set.of(seed.id(), other.id()), node.routingTable().keySet(), "referred to the seed");
            int dialed = mesh.network().dialed("node", "full");
            assertTrue(dialed >= 5, "the node kept dialing its full contact: " + dialed);

            seed.close();
            other.close();
            mesh.time().advance(Duration.ofMillis(1100));

            assertEquals(Set.of(full.id()), node.routingTable().keySet(), "linked again to the contact");
        }
    }

    /**
     * A node whose contact never answers dials it again after waits that double, and stops after
     * {@code redialFor}: never at a fixed rate for good.
     */
    @Test
    void aNodeAloneBacksOffBetweenDialsToItsContactAndGivesUpAfterRedialFor() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket contact = mesh.start("contact");
            mesh.network().isolate("contact");
            MeshSocket node = mesh.start(
                    "node", b -> b.handshakeTimeout(Duration.ofMillis(100)).redialFor(Duration.ofMinutes(2)));
            node.connect(
                    contact.localAddress().getHostString(),
                    contact.localAddress().getPort());
            List<Integer> dialsPerHalfMinute = new ArrayList<>();
            int before = 0;
            for (int i = 0; i < 10; i++) {
                mesh.time().advance(Duration.ofSeconds(30));
                int now = mesh.network().dialed("node", "contact");
                dialsPerHalfMinute.add(now - before);
                before = now;
            }
            int first = dialsPerHalfMinute.get(0);
            assertTrue(
                    first >= 4 && first <= 8,
                    "the first half minute: the user's dial, then waits of 1, 2, 4, 8, 16 s, each 0.5-1 of that: "
                            + dialsPerHalfMinute);
            int third = dialsPerHalfMinute.get(2);
            assertTrue(third >= 1 && third <= 3, "later waits are 10-20 s (keepAliveTimeout): " + dialsPerHalfMinute);
            assertEquals(
                    List.of(0, 0, 0, 0, 0),
                    dialsPerHalfMinute.subList(5, 10),
                    "no dial after redialFor (2 min): " + dialsPerHalfMinute);
        }
    }
}
