package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A node dials again the peers it dialed from peers lists when the dial fails or the link is
 * lost ({@code MeshConfig.redialFor}). Without it a mesh can split for good: a node paused or
 * cut off while its neighbours dialed it is forgotten by them, and may still list them itself
 * on links whose close never reached it (as a CI run of {@code ClusterScheduleIT} with seed
 * 7931364706578831253 showed). In virtual time.
 */
class RedialTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /**
     * The first dial reaches a peer that accepts the connection but never answers (a paused
     * process), so the handshake times out; the node dials again, and the peer, now answering,
     * joins its routing table.
     */
    @Test
    void aPeerThatDidNotAnswerIsDialedAgain() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            NetworkEmulator network = mesh.network();
            MeshSocket seed = mesh.start("seed");
            MeshSocket paused = mesh.start("paused");
            mesh.joinAndAwait(paused, seed);
            MeshSocket node = mesh.start("node", b -> b.handshakeTimeout(Duration.ofSeconds(1)));
            network.isolate("paused");

            mesh.joinAndAwait(node, seed); // the seed's peers list names the paused peer
            assertEquals(1, network.open("node", "paused"), "the node did not dial the peer from the peers list");
            time.advance(Duration.ofMillis(999));
            assertEquals(1, network.open("node", "paused"), "the node gave up before its handshake timeout");
            time.advance(Duration.ofMillis(1));
            assertEquals(0, network.open("node", "paused"), "the node did not give up on the handshake");
            assertFalse(node.routingTable().containsKey(paused.id()));

            network.restore();
            time.advanceUntil(() -> node.routingTable().containsKey(paused.id()), WAIT);
            assertEquals(2, network.dialed("node", "paused"));
            assertTrue(node.routingTable().get(paused.id()).outgoing());
        }
    }

    /**
     * The peer a node dialed from a peers list drops the link; the node dials it again, and the
     * peer sees a new connection from it (a second one the node dialed), not one it made itself.
     */
    @Test
    void aPeerWhoseLinkWasLostIsDialedAgain() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket seed = mesh.start("seed");
            MeshSocket peer = mesh.start("peer");
            MeshSocket node = mesh.start("node");
            mesh.joinAndAwait(peer, seed);
            mesh.joinAndAwait(node, seed);
            // the seed's peers list names the peer, so the node dials it
            mesh.time().advanceUntil(() -> peer.routingTable().containsKey(node.id()), WAIT);
            assertEquals(1, mesh.network().dialed("node", "peer"));

            peer.disconnect(node.id());
            mesh.time()
                    .advanceUntil(
                            () -> {
                                PeerInfo now = peer.routingTable().get(node.id());
                                return now != null
                                        && mesh.network().open("node", "peer") == 1
                                        && mesh.network().dialed("node", "peer") == 2
                                        && node.routingTable().containsKey(peer.id());
                            },
                            WAIT);
            PeerInfo redialed = peer.routingTable().get(node.id());
            assertFalse(redialed.outgoing(), "the node should have dialed the peer, not the other way round");
            assertTrue(node.routingTable().get(peer.id()).outgoing());
            assertEquals(2, node.routingTable().size());
        }
    }
}
