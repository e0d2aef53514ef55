package dev.jv2p.mesh.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.spi.Flags;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Connections whose other end is gone without the close arriving (a network cut): a node must
 * not keep them for good, since a peer not known as jv2p is never dropped for silence, and a
 * stale connection must not keep the peer from connecting again. Nodes ping every 200 ms with a
 * keep-alive timeout of 2 s. In virtual time; the peers are {@link RawLink}s driven by hand.
 */
class LostConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final UnaryOperator<MeshConfig.Builder> KEEP_ALIVE =
            b -> b.keepAliveInterval(Duration.ofMillis(200)).keepAliveTimeout(TIMEOUT);

    /**
     * A listener always follows its first handshake with a second one and a peers list (spec
     * §9.2). One that sent only the first, then nothing, has dropped the connection: the
     * dialing node closes it once the keep-alive timeout has passed, not before.
     */
    @Test
    void aDialedPeerThatNeverFollowsItsFirstHandshakeIsDropped() {
        Queue<RawLink> accepted = new ConcurrentLinkedQueue<>();
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket node = mesh.start("node", KEEP_ALIVE);
            Channel server = RawLink.listen(mesh, "gone", accepted);
            try {
                Dialed d = Dialed.by(mesh, node, server, accepted, "gone-after-one-handshake");
                PeerInfo info = d.dialed().join();
                assertEquals("gone-after-one-handshake", info.id());
                Duration after = mesh.time().advanceUntil(() -> !d.peer().isOpen(), Duration.ofSeconds(15));
                assertTrue(after.compareTo(TIMEOUT) >= 0, "closed after " + after);
                mesh.awaitCondition(() -> node.routingTable().isEmpty(), "the node kept the peer");
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }

    /**
     * What js2p does as a listener: its second handshake and a peers list, then silence for as
     * long as nothing happens. Such a peer is kept through several keep-alive timeouts.
     */
    @Test
    void aSilentListenerThatSentItsPeersListIsKept() {
        Queue<RawLink> accepted = new ConcurrentLinkedQueue<>();
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket node = mesh.start("node", KEEP_ALIVE);
            Channel server = RawLink.listen(mesh, "silent", accepted);
            try {
                Dialed d = Dialed.by(mesh, node, server, accepted, "silent-js2p-like");
                RawLink peer = d.peer();
                peer.handshake("silent-js2p-like", node.protocolId(), "silent", port(mesh, server));
                long now = System.currentTimeMillis() / 1000;
                peer.send(List.of((long) Flags.WHISPER, "silent-js2p-like", now, (long) Flags.PEERS, List.of()));
                d.dialed().join();
                mesh.time().advance(TIMEOUT.multipliedBy(3));
                assertTrue(peer.isOpen(), "the node dropped a silent js2p-like peer");
                assertTrue(node.routingTable().containsKey("silent-js2p-like"));
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }

    /**
     * A peer dials again while the older connection it dialed has gone silent past the
     * keep-alive timeout (its close was lost): the node takes the new connection instead of
     * refusing it as a duplicate of the stale one.
     */
    @Test
    void aPeerThatDialsAgainAfterLosingItsConnectionIsTakenBack() {
        try (TestMesh mesh = TestMesh.virtual()) {
            MeshSocket node = mesh.start("node", KEEP_ALIVE);
            int port = node.localAddress().getPort();
            RawLink stale = RawLink.dial(mesh, "node", port);
            stale.handshake("redialer", node.protocolId(), "redialer", 1);
            mesh.awaitCondition(() -> node.routingTable().containsKey("redialer"), "the node did not take the peer");
            // the old connection stays open but silent, as one whose close was lost would
            mesh.time().advance(TIMEOUT.multipliedBy(5).dividedBy(4));
            RawLink fresh = RawLink.dial(mesh, "node", port);
            fresh.handshake("redialer", node.protocolId(), "redialer", 1);
            mesh.time().advanceUntil(() -> !stale.isOpen(), Duration.ofSeconds(10));
            String request = fresh.request("redialer", node.id());
            mesh.awaitCondition(
                    () -> fresh.answered(request) || !fresh.isOpen(), "the node neither answered nor closed");
            assertTrue(fresh.answered(request), "the new connection was refused");
            assertFalse(stale.isOpen(), "the stale connection was kept");
            assertEquals(1, node.routingTable().size());
            fresh.close();
        }
    }

    private static int port(TestMesh mesh, Channel server) {
        return mesh.network().network().hostAndPort(server.localAddress()).getPort();
    }

    /**
     * The node dials {@code server}; the accepted end answers as {@code id} with a listener's
     * first handshake only, and the test decides what follows.
     */
    private record Dialed(RawLink peer, CompletableFuture<PeerInfo> dialed) {
        static Dialed by(TestMesh mesh, MeshSocket node, Channel server, Queue<RawLink> accepted, String id) {
            String host = mesh.network().nameOf(server.localAddress());
            CompletableFuture<PeerInfo> dialed = node.connect(host, port(mesh, server));
            mesh.awaitCondition(() -> !accepted.isEmpty(), "the node did not dial");
            RawLink peer = accepted.poll();
            peer.handshake(id, node.protocolId(), host, port(mesh, server));
            mesh.time().runUntilIdle();
            return new Dialed(peer, dialed);
        }
    }
}
