package dev.jv2p.it.mesh;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.it.sync.RawPeer;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.spi.Flags;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node dials again the peers it dialed from peers lists when the dial fails or the link is
 * lost ({@code MeshConfig.redialFor}). Without it a mesh can split for good: a node paused or
 * cut off while its neighbours dialed it is forgotten by them, and may still list them itself
 * on links whose close never reached it (as a CI run of {@code ClusterScheduleIT} with seed
 * 7931364706578831253 showed).
 */
class RedialTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /**
     * The first dial reaches a peer that accepts the connection but never answers (a paused
     * process: the operating system accepts for it), so the handshake times out; the node dials
     * again, and the peer, now answering, joins its routing table.
     */
    @Test
    void aPeerThatDidNotAnswerIsDialedAgain() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (MeshTestNodes nodes = new MeshTestNodes();
                ServerSocket seedServer = new ServerSocket(0, 1, loopback);
                ServerSocket pausedServer = new ServerSocket(0, 4, loopback)) {
            seedServer.setSoTimeout((int) WAIT.toMillis());
            pausedServer.setSoTimeout((int) WAIT.toMillis());
            MeshSocket node = nodes.start(b -> b.handshakeTimeout(Duration.ofSeconds(1)));
            node.connect("127.0.0.1", seedServer.getLocalPort());
            try (Socket seedSocket = seedServer.accept();
                    RawPeer seed = RawPeer.connect(seedSocket, node.protocolId(), "seed", 1 << 20, true)) {
                long now = System.currentTimeMillis() / 1000;
                seed.send(List.of(
                        (long) Flags.WHISPER,
                        "seed",
                        now,
                        (long) Flags.PEERS,
                        List.of(List.of(List.of("127.0.0.1", (long) pausedServer.getLocalPort()), "paused"))));
                seed.flush();

                try (Socket first = pausedServer.accept()) {
                    first.setSoTimeout((int) WAIT.toMillis());
                    drainUntilClosed(first.getInputStream()); // the node gives up on the handshake
                }
                assertFalse(node.routingTable().containsKey("paused"));
                try (Socket second = pausedServer.accept();
                        RawPeer paused = RawPeer.connect(second, node.protocolId(), "paused", 1 << 20, true)) {
                    await().atMost(WAIT).until(() -> node.routingTable().containsKey("paused"));
                    assertTrue(node.routingTable().get("paused").outgoing());
                }
            }
        }
    }

    /**
     * The peer a node dialed from a peers list drops the link; the node dials it again, and the
     * peer sees a new connection from it (a new remote port), not one it made itself.
     */
    @Test
    void aPeerWhoseLinkWasLostIsDialedAgain() {
        try (MeshTestNodes nodes = new MeshTestNodes()) {
            MeshSocket seed = nodes.start();
            MeshSocket peer = nodes.start();
            MeshSocket node = nodes.start();
            MeshTestNodes.join(peer, seed);
            MeshTestNodes.join(node, seed);
            // the seed's peers list names the peer, so the node dials it
            await().atMost(WAIT).until(() -> peer.routingTable().containsKey(node.id()));
            InetSocketAddress before = peer.routingTable().get(node.id()).remoteAddress();

            peer.disconnect(node.id());
            await().atMost(WAIT).until(() -> {
                PeerInfo now = peer.routingTable().get(node.id());
                return now != null
                        && !now.remoteAddress().equals(before)
                        && node.routingTable().containsKey(peer.id());
            });
            PeerInfo redialed = peer.routingTable().get(node.id());
            assertFalse(redialed.outgoing(), "the node should have dialed the peer, not the other way round");
            assertTrue(node.routingTable().get(peer.id()).outgoing());
            assertEquals(2, node.routingTable().size());
        }
    }

    private static void drainUntilClosed(InputStream in) throws java.io.IOException {
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // the node's handshake; nothing is answered
        }
    }
}
