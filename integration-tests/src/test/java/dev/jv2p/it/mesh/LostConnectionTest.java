package dev.jv2p.it.mesh;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.it.sync.RawPeer;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.spi.Flags;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections whose other end is gone without the close arriving (a network cut): a node must
 * not keep them for good, since a peer not known as jv2p is never dropped for silence, and a
 * stale connection must not keep the peer from connecting again. Nodes use a keep-alive
 * timeout of 2 s ({@link MeshTestNodes}).
 */
class LostConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /**
     * A listener always follows its first handshake with a second one and a peers list (spec
     * §9.2). One that sent only the first, then nothing, has dropped the connection: the
     * dialing node closes it once the keep-alive timeout has passed, not before.
     */
    @Test
    void aDialedPeerThatNeverFollowsItsFirstHandshakeIsDropped() throws Exception {
        try (MeshTestNodes nodes = new MeshTestNodes();
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MeshSocket node = nodes.start();
            try (Dialed d = Dialed.by(node, server, "gone-after-one-handshake")) {
                RawPeer peer = d.peer();
                PeerInfo info = d.dialed().get(10, TimeUnit.SECONDS);
                long handshaken = System.nanoTime();
                assertEquals("gone-after-one-handshake", info.id());
                assertFalse(peer.staysOpenFor(Duration.ofSeconds(15)), "the node kept the connection");
                long after = System.nanoTime() - handshaken;
                assertTrue(after >= TIMEOUT.toNanos(), "closed after " + after / 1_000_000 + " ms");
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> node.routingTable().isEmpty());
            }
        }
    }

    /**
     * What js2p does as a listener: its second handshake and a peers list, then silence for as
     * long as nothing happens. Such a peer is kept through several keep-alive timeouts.
     */
    @Test
    void aSilentListenerThatSentItsPeersListIsKept() throws Exception {
        try (MeshTestNodes nodes = new MeshTestNodes();
                ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MeshSocket node = nodes.start();
            try (Dialed d = Dialed.by(node, server, "silent-js2p-like")) {
                RawPeer peer = d.peer();
                long now = System.currentTimeMillis() / 1000;
                peer.send(List.of(
                        (long) Flags.WHISPER,
                        "silent-js2p-like",
                        now,
                        (long) Flags.HANDSHAKE,
                        "silent-js2p-like",
                        node.protocolId(),
                        List.of("127.0.0.1", (long) server.getLocalPort()),
                        List.of()));
                peer.send(List.of((long) Flags.WHISPER, "silent-js2p-like", now, (long) Flags.PEERS, List.of()));
                peer.flush();
                d.dialed().get(10, TimeUnit.SECONDS);
                assertTrue(peer.staysOpenFor(TIMEOUT.multipliedBy(3)), "the node dropped a silent js2p-like peer");
                assertTrue(node.routingTable().containsKey("silent-js2p-like"));
            }
        }
    }

    /**
     * A peer dials again while the older connection it dialed has gone silent past the
     * keep-alive timeout (its close was lost): the node takes the new connection instead of
     * refusing it as a duplicate of the stale one.
     */
    @Test
    void aPeerThatDialsAgainAfterLosingItsConnectionIsTakenBack() throws Exception {
        try (MeshTestNodes nodes = new MeshTestNodes()) {
            MeshSocket node = nodes.start();
            int port = node.localAddress().getPort();
            try (RawPeer stale =
                    RawPeer.connect(new Socket("127.0.0.1", port), node.protocolId(), "redialer", 1 << 20, false)) {
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> node.routingTable().containsKey("redialer"));
                long since = System.nanoTime();
                // the old connection stays open but silent, as one whose close was lost would
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> System.nanoTime() - since > TIMEOUT.toNanos() * 5 / 4);
                try (RawPeer fresh =
                        RawPeer.connect(new Socket("127.0.0.1", port), node.protocolId(), "redialer", 1 << 20, false)) {
                    assertFalse(stale.staysOpenFor(Duration.ofSeconds(10)), "the stale connection was kept");
                    assertTrue(fresh.roundTrip(node.id(), Duration.ofSeconds(10)), "the new connection was refused");
                    assertEquals(1, node.routingTable().size());
                }
            }
        }
    }
    /**
     * The node dials {@code server}; the accepted end answers as {@code id} with a listener's
     * first handshake only, and the test decides what follows.
     */
    private record Dialed(RawPeer peer, CompletableFuture<PeerInfo> dialed) implements AutoCloseable {
        static Dialed by(MeshSocket node, ServerSocket server, String id) throws java.io.IOException {
            CompletableFuture<PeerInfo> dialed = node.connect("127.0.0.1", server.getLocalPort());
            Socket accepted = server.accept();
            try {
                return new Dialed(RawPeer.connect(accepted, node.protocolId(), id, 1 << 20, false), dialed);
            } catch (java.io.IOException | RuntimeException e) {
                accepted.close();
                throw e;
            }
        }

        @Override
        public void close() throws java.io.IOException {
            peer.close(); // closes the accepted socket
        }
    }
}
