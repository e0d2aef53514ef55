package dev.jv2p.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.SyncSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first frames on a new link: a node sends its jv2p hello right behind its first handshake,
 * before it has heard anything, so a peer tells jv2p from js2p as soon as the handshake has
 * come (not a round trip later); a peer that sends no hello behind its handshake (js2p) is sent
 * the per-key transfer, and one that does (jv2p) never is.
 */
class FirstFramesTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final int KEYS = 20;

    private SyncSocket node;

    @BeforeEach
    void start() {
        node = QuietNode.start();
        for (int i = 0; i < KEYS; i++) {
            node.set("k" + i, "v" + i);
        }
    }

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aNodeSaysItsHelloRightBehindItsFirstHandshakeBeforeHearingAnything() throws IOException {
        try (Socket silent = new Socket("127.0.0.1", port())) {
            RawPeer peer = RawPeer.accepting(silent, node.mesh().maxFrameLength());
            List<Object> first = peer.next(T);
            List<Object> second = peer.next(T);
            assertEquals((long) Flags.HANDSHAKE, first.get(3), "first frame: " + first);
            assertEquals((long) Flags.JV2P_HELLO, second.get(3), "second frame: " + second);
            assertEquals("jv2p", second.get(4));
        }
    }

    @Test
    void aPeerWithoutAHelloBehindItsHandshakeIsSentThePerKeyTransfer() throws IOException {
        try (RawPeer js2pLike = RawPeer.connect(
                new Socket("127.0.0.1", port()), node.mesh().protocolId(), "js2p-like", maxFrame(), false)) {
            Set<Object> keys = new HashSet<>();
            while (keys.size() < KEYS) {
                List<Object> m = js2pLike.next(T);
                if (Long.valueOf(Flags.STORE).equals(m.get(3)) && m.size() == 8) {
                    keys.add(m.get(4));
                }
            }
            assertEquals(KEYS, keys.size());
        }
    }

    @Test
    void aJv2pPeerIsNeverSentThePerKeyTransfer() throws IOException {
        try (RawPeer jv2p = RawPeer.connect(
                new Socket("127.0.0.1", port()), node.mesh().protocolId(), "jv2p-peer", maxFrame(), true)) {
            // Everything the node sends until it has processed a request sent after the hello,
            // and then for well past the transfer delay.
            List<Object> seen = new ArrayList<>();
            String requestId = "after-hello";
            jv2p.send(List.of(
                    (long) Flags.WHISPER,
                    jv2p.id(),
                    System.currentTimeMillis() / 1000,
                    (long) Flags.REQUEST,
                    requestId,
                    node.id()));
            while (true) {
                List<Object> m = jv2p.next(T);
                seen.add(m.get(3));
                if (Long.valueOf(Flags.RESPONSE).equals(m.get(3)) && requestId.equals(m.get(4))) {
                    break;
                }
            }
            long until = System.nanoTime()
                    + node.config().js2pTransferDelay().multipliedBy(4).toNanos();
            for (long left; (left = until - System.nanoTime()) > 0; ) {
                try {
                    seen.add(jv2p.next(Duration.ofNanos(Math.max(1_000_000, left)))
                            .get(3));
                } catch (SocketTimeoutException e) {
                    break; // nothing more within the window
                }
            }
            assertFalse(seen.contains((long) Flags.STORE), "per-key stores sent to a jv2p peer: " + seen);
        }
    }

    private int port() {
        return node.mesh().localAddress().getPort();
    }

    private int maxFrame() {
        return node.mesh().maxFrameLength();
    }
}
