package dev.jv2p.it.sync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jv2p.mesh.Flags;
import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A live {@link SyncSocket} node, with an honest peer, takes messages from a handshaken peer
 * on a real socket: framed and checksummed correctly, with contents the fuzzer chooses (see
 * {@link FuzzedMessages}). After each input the node must answer a request (its event loop
 * is not stuck) and still relay a broadcast to the honest peer, neither node may have logged an
 * unexpected failure (the router logs a stack trace when a handler throws), and the two nodes
 * must still exchange writes both ways: checked after every saved input, every thousandth
 * input when fuzzing, and at the end.
 *
 * <p>Every input travels through the node's whole inbound path: frame decoder, checksum,
 * codec, packet-list and handshake checks, router, and the sync handlers. A peer the node
 * closes (for a mismatched handshake, say) is replaced by a new one.
 */
class LiveSyncNodeFuzzTest {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** When fuzzing, how often the sync layer's service to the honest peer is checked; else always. */
    private static final int HONEST_CHECK_EVERY = 1000;
    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null
            && !System.getenv("JAZZER_FUZZ").isEmpty();
    private static final String RUN = UUID.randomUUID().toString();
    private static final String REPLICATOR_LOG_LEVEL = "org.slf4j.simpleLogger.log.dev.jv2p.sync.Replicator";
    /** Only connections to this machine: a fuzzed message must never make a node dial elsewhere. */
    private static final BiPredicate<String, Integer> LOOPBACK = (host, port) -> host.startsWith("127.")
            || host.equals("localhost");

    private static LogWatch log;
    private static SyncSocket node;
    private static SyncSocket honest;
    private static RawPeer adversary;
    private static int adversaries;
    private static long inputs;
    private static long honestWrites;
    private static long marks;

    @BeforeAll
    static void startNodes() {
        // A line per refused message would cost more than the message; a refusal is the
        // expected outcome here, and what counts is that nothing unexpected is logged.
        System.setProperty(REPLICATOR_LOG_LEVEL, "error");
        log = LogWatch.start();
        node = start();
        honest = start();
        honest.mesh().connect("127.0.0.1", node.mesh().localAddress().getPort()).join();
    }

    private static SyncSocket start() {
        MeshConfig mesh = MeshConfig.builder().bindHost("127.0.0.1").port(0).protocol(Protocol.defaultMesh())
                .dialPeerLists(false).keepAliveInterval(Duration.ofSeconds(1)).keepAliveTimeout(Duration.ofSeconds(30))
                .build();
        return SyncSocket.start(SyncConfig.builder().mesh(mesh).antiEntropyInterval(Duration.ofSeconds(1)).build());
    }

    @AfterAll
    static void stopNodes() throws IOException {
        try {
            assertHonestPeersServed();
            log.assertQuiet();
        } finally {
            if (adversary != null) {
                adversary.close();
            }
            honest.close();
            node.close();
            log.close();
            System.clearProperty(REPLICATOR_LOG_LEVEL);
        }
    }

    @FuzzTest
    void survivesWhateverAHandshakenPeerSends(FuzzedDataProvider data) throws IOException {
        // Jazzer's SSRF detector reports any other connection. The permission does not outlive
        // an input that fails, so it is given for each input.
        SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections(LOOPBACK);
        try {
            deliver(data);
        } finally {
            loopbackOnly.close();
        }
        log.assertQuiet();
        // User messages pile up otherwise.
        node.mesh().recv(Integer.MAX_VALUE);
        if (!FUZZING || inputs++ % HONEST_CHECK_EVERY == 0) {
            assertHonestPeersServed();
        }
    }

    /**
     * Sends one to three messages, then a marked broadcast, and waits until the node has
     * answered a request and the honest peer has the marked broadcast: both have then handled
     * everything before it, so what they log or do is the doing of this input.
     */
    private static void deliver(FuzzedDataProvider data) throws IOException {
        RawPeer peer = adversary();
        FuzzedMessages messages = new FuzzedMessages(data, node.mesh().now(), node.mesh().protocolId(),
                peer.id(), node.id(), honest.id());
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            peer.send(messages.next());
        }
        roundTrip(peer);
        String mark = "mark-" + ++marks;
        // On a new connection if the node closed this one.
        for (int attempt = 0; ; attempt++) {
            RawPeer marker = adversary();
            marker.send(List.of((long) Flags.BROADCAST, marker.id(), node.mesh().now(), (long) Flags.BROADCAST,
                    mark));
            if (roundTrip(marker)) {
                break;
            }
            if (attempt == 2) {
                throw new AssertionError("the node closed three new connections in a row");
            }
        }
        awaitAtHonestPeer(mark);
    }

    private static RawPeer adversary() throws IOException {
        if (adversary == null || adversary.isClosed()) {
            adversary = RawPeer.connect(node.mesh().localAddress().getPort(), node.mesh().protocolId(),
                    "adversary-" + ++adversaries, node.mesh().maxFrameLength());
        }
        return adversary;
    }

    /** Whether the node answered; false if it closed the connection instead. */
    private static boolean roundTrip(RawPeer peer) throws IOException {
        try {
            return peer.roundTrip(node.id(), ANSWER_TIMEOUT);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node answered no request for " + ANSWER_TIMEOUT, e);
        }
    }

    private static void awaitAtHonestPeer(String mark) {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        try {
            while (true) {
                Message m = honest.mesh().recv(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                if (m == null) {
                    throw new AssertionError("the honest peer got no broadcast relayed by the node for "
                            + ANSWER_TIMEOUT + "; node: " + node.mesh().routingTable().keySet() + ", "
                            + node.mesh().stats() + "; honest peer: " + honest.mesh().routingTable().values() + ", "
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
    private static void assertHonestPeersServed() {
        long n = ++honestWrites;
        String fromHonest = "honest-" + RUN + "-" + n;
        String fromNode = "node-" + RUN + "-" + n;
        honest.set(fromHonest, n);
        node.set(fromNode, n);
        await().atMost(ANSWER_TIMEOUT).until(() -> Long.valueOf(n).equals(node.get(fromHonest))
                && Long.valueOf(n).equals(honest.get(fromNode)));
        assertTrue(node.mesh().routingTable().containsKey(honest.id()), "the node dropped its honest peer");
    }
}
