package dev.jv2p.it.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A live {@link SyncSocket} node with an honest peer, and a raw-socket adversary that
 * handshakes properly and then sends whatever packet lists it is given. After each batch,
 * {@link #deliver} checks that the node still answers, still relays to the honest peer, and
 * that neither node logged an unexpected failure; {@link #assertHonestPeersServed} checks
 * that writes still go both ways. A connection the node closes (a mismatched handshake, say)
 * is replaced by a new adversary.
 */
final class HostileSyncSetup implements AutoCloseable {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final String REPLICATOR_LOG_LEVEL = "org.slf4j.simpleLogger.log.dev.jv2p.sync.Replicator";

    private final String run = UUID.randomUUID().toString();
    private final LogWatch log;
    private final TestMesh mesh = TestMesh.loopback();
    private final SyncSocket node;
    private final SyncSocket honest;
    private RawPeer adversary;
    private int adversaries;
    private long honestWrites;
    private long marks;

    HostileSyncSetup() {
        // A line per refused message would cost more than the message; a refusal is the
        // expected outcome here, and what counts is that nothing unexpected is logged.
        System.setProperty(REPLICATOR_LOG_LEVEL, "error");
        log = LogWatch.start();
        node = start("node");
        honest = start("honest");
        mesh.joinAndAwait(honest.mesh(), node.mesh());
    }

    private SyncSocket start(String name) {
        // No node dials the addresses that messages name. The broadcast tree is on, whatever the
        // default, so that a hello announcing "tree" makes the adversary's link a tree link.
        MeshConfig m = mesh.config(name)
                .protocol(Protocol.defaultMesh())
                .dialPeerLists(false)
                .broadcastTree(true)
                .keepAliveInterval(Duration.ofSeconds(1))
                .keepAliveTimeout(Duration.ofSeconds(30))
                .build();
        return mesh.track(SyncSocket.start(SyncConfig.builder()
                .mesh(m)
                .antiEntropyInterval(Duration.ofSeconds(1))
                .build()));
    }

    /** A generator of messages from the current adversary, connecting a new one if needed. */
    FuzzedMessages messages(FuzzedDataProvider data) throws IOException {
        return new FuzzedMessages(
                data, node.mesh().now(), node.mesh().protocolId(), adversary().id(), node.id(), honest.id());
    }

    /**
     * Sends the batch through the current adversary, then a marked broadcast, and waits until
     * the node has answered a request and the honest peer has the marked broadcast: both have
     * then handled everything before it, so what they logged or did is the batch's doing.
     */
    void deliver(List<List<Object>> batch) throws IOException {
        RawPeer peer = adversary();
        for (List<Object> message : batch) {
            peer.send(message);
        }
        roundTrip(peer);
        String mark = "mark-" + ++marks;
        // On a new connection if the node closed this one.
        for (int attempt = 0; ; attempt++) {
            RawPeer marker = adversary();
            marker.send(List.of((long) Flags.BROADCAST, marker.id(), node.mesh().now(), (long) Flags.BROADCAST, mark));
            if (roundTrip(marker)) {
                break;
            }
            if (attempt == 2) {
                throw new AssertionError("the node closed three new connections in a row");
            }
        }
        awaitAtHonestPeer(mark);
        log.assertQuiet();
        // User messages pile up otherwise.
        node.mesh().recv(Integer.MAX_VALUE);
    }

    private RawPeer adversary() throws IOException {
        if (adversary == null || adversary.isClosed()) {
            adversary = RawPeer.connect(
                    node.mesh().localAddress().getPort(),
                    node.mesh().protocolId(),
                    "adversary-" + ++adversaries,
                    node.mesh().maxFrameLength());
        }
        return adversary;
    }

    /** Whether the node answered; false if it closed the connection instead. */
    private boolean roundTrip(RawPeer peer) throws IOException {
        try {
            return peer.roundTrip(node.id(), ANSWER_TIMEOUT);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node answered no request for " + ANSWER_TIMEOUT, e);
        }
    }

    private void awaitAtHonestPeer(String mark) {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        try {
            while (true) {
                Message m = honest.mesh().recv(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (m == null) {
                    throw new AssertionError("the honest peer got no broadcast relayed by the node for "
                            + ANSWER_TIMEOUT + "; node: "
                            + node.mesh().routingTable().keySet() + ", "
                            + node.mesh().stats() + "; honest peer: "
                            + honest.mesh().routingTable().values() + ", "
                            + honest.mesh().stats());
                }
                if (m.packets().size() == 2 && mark.equals(m.packets().get(1))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A write on each side reaches the other, and the honest peer is still in the node's table. */
    void assertHonestPeersServed() {
        long n = ++honestWrites;
        String fromHonest = "honest-" + run + "-" + n;
        String fromNode = "node-" + run + "-" + n;
        honest.set(fromHonest, n);
        node.set(fromNode, n);
        await().atMost(ANSWER_TIMEOUT)
                .until(() -> Long.valueOf(n).equals(node.get(fromHonest))
                        && Long.valueOf(n).equals(honest.get(fromNode)));
        assertTrue(node.mesh().routingTable().containsKey(honest.id()), "the node dropped its honest peer");
        log.assertQuiet();
    }

    @Override
    public void close() throws IOException {
        try {
            if (adversary != null) {
                adversary.close();
            }
            mesh.close();
        } finally {
            log.close();
            System.clearProperty(REPLICATOR_LOG_LEVEL);
        }
    }
}
