package dev.jv2p.it.js2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Transport;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import dev.jv2p.transport.ws.WsTransport;
import dev.jv2p.transport.ws.WssTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * jv2p's {@code ws}/{@code wss} transports against real js2p 0.7.870 nodes using encryption
 * {@code ws}/{@code wss} (js2p's optional dependency nodejs-websocket): js2p dials jv2p and jv2p
 * dials js2p, mesh broadcasts and replies, dictionary writes, deltas and lease conflicts, frames
 * larger than nodejs-websocket's 2 MiB buffer, and a js2p {@code wss} dialer trusting a jv2p
 * listener's self-signed certificate through {@code NODE_EXTRA_CA_CERTS}.
 */
@ExtendWith(Js2pLogsOnFailure.class)
class Js2pWsInteropIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String NO_PERMISSION = "You don't have permission to change this yet";

    @TempDir
    Path dir;

    private static MeshConfig.Builder mesh(Transport transport) {
        return MeshConfig.builder()
                .bindHost("127.0.0.1")
                .port(0)
                .transport(transport)
                .protocol(new Protocol("mesh", transport.name()));
    }

    private static SyncSocket sync(Transport transport) {
        return SyncSocket.start(
                SyncConfig.builder().mesh(mesh(transport).build()).build());
    }

    private static Message awaitJv(MeshSocket jv, String tag) throws InterruptedException {
        long end = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < end) {
            Message m = jv.recv(Duration.ofMillis(200));
            if (m != null && m.packets().contains(tag)) {
                return m;
            }
        }
        throw new AssertionError("jv2p never received a message tagged " + tag);
    }

    @Test
    void js2pDialsJv2pOverWsAndBroadcastsAndRepliesFlowBothWays() throws Exception {
        try (MeshSocket jv = MeshSocket.start(mesh(new WsTransport()).build());
                Js2pNode js = Js2pNode.mesh().encryption("ws").name("ws-mesh").start()) {
            assertEquals(
                    "57pLfYoGgbS8ntjsL3HTnzhHYs9Pq8pTiLiCYr6yfU7A", jv.protocolId(), "spec's id table: mesh over ws");
            assertEquals(jv.protocolId(), js.protocolId());
            js.connect("127.0.0.1", jv.localAddress().getPort());
            js.awaitPeer(jv.id(), T);
            await().atMost(T).until(() -> jv.routingTable().containsKey(js.id()));

            js.send(List.of("from-js", 1L));
            Message fromJs = awaitJv(jv, "from-js");
            assertEquals(js.id(), fromJs.sender());
            fromJs.reply(List.of("reply-from-jv", Map.of("ok", true)));
            assertEquals(
                    jv.id(),
                    js.awaitMessage(e -> e.packets().contains("reply-from-jv"), T)
                            .sender());

            jv.send(List.of("from-jv", 2.5));
            Js2pEvent fromJv = js.awaitMessage(e -> e.packets().contains("from-jv"), T);
            assertEquals(jv.id(), fromJv.sender());
            js.reply(fromJv.msgId(), List.of("reply-from-js"));
            assertEquals(js.id(), awaitJv(jv, "reply-from-js").sender());
        }
    }

    @Test
    void jv2pDialsJs2pOverWsAndWritesDeltasAndLeasesWorkBothWays() {
        try (SyncSocket jv = sync(new WsTransport());
                Js2pNode js = Js2pNode.sync()
                        .encryption("ws")
                        .leasing(true)
                        .name("ws-sync")
                        .start()) {
            assertEquals(jv.mesh().protocolId(), js.protocolId());
            jv.mesh().connect(js.host(), js.port()).join();
            js.awaitPeer(jv.id(), T);

            js.set("js-key", "from js2p");
            jv.set("jv-key", List.of(1L, "two"));
            await().atMost(T).until(() -> "from js2p".equals(jv.get("js-key")));
            assertEquals(js.id(), jv.meta("js-key").orElseThrow().owner());
            assertEquals(
                    jv.id(), js.awaitUpdate("jv-key", List.of(1L, "two"), T).owner());

            js.applyDelta("js-delta", Map.of("a", 1L));
            jv.applyDelta("jv-delta", Map.of("b", "two"));
            await().atMost(T).until(() -> Values.deepEquals(Map.of("a", 1L), jv.get("js-delta")));
            js.awaitUpdate("jv-delta", Map.of("b", "two"), T);

            // leases: past the writers' own second only the one-hour lease decides (spec §12.6)
            long last = Math.max(
                    jv.meta("jv-key").orElseThrow().timestamp(),
                    jv.meta("js-key").orElseThrow().timestamp());
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> System.currentTimeMillis() / 1000 > last);
            Js2pCommandException refused = assertThrows(Js2pCommandException.class, () -> js.set("jv-key", "taken"));
            assertEquals(NO_PERMISSION, refused.jsMessage());
            LeaseConflictException conflict =
                    assertThrows(LeaseConflictException.class, () -> jv.set("js-key", "taken"));
            assertEquals(js.id(), conflict.holder());
            assertEquals("from js2p", jv.get("js-key"));
            assertTrue(js.peerIds().contains(jv.id()), "the connection survived the refusals");
        }
    }

    @Test
    void aFrameLargerThanNodejsWebsocketsBufferReachesJs2pInPieces() {
        byte[] big = new byte[5 * 1024 * 1024];
        new Random(18).nextBytes(big);
        try (SyncSocket jv = sync(new WsTransport());
                Js2pNode js = Js2pNode.sync()
                        .encryption("ws")
                        .name("ws-big")
                        .timeout(Duration.ofSeconds(60))
                        .start()) {
            jv.mesh().connect(js.host(), js.port()).join();
            js.awaitPeer(jv.id(), T);
            jv.set("big", big);
            js.awaitUpdate("big", Duration.ofSeconds(60));
            Object got = js.get("big");
            assertInstanceOf(byte[].class, got);
            assertArrayEquals(big, (byte[]) got);
            js.set("after-big", "still connected");
            await().atMost(T).until(() -> "still connected".equals(jv.get("after-big")));
        }
    }

    @Test
    void aJs2pWssDialerJoinsAJv2pWssListenerItTrusts() throws Exception {
        WssTransport wss = new WssTransport();
        Path ca = Files.writeString(dir.resolve("jv2p-wss.pem"), wss.certificatePem());
        try (SyncSocket jv = sync(wss);
                Js2pNode js = Js2pNode.sync()
                        .encryption("wss")
                        .env("NODE_EXTRA_CA_CERTS", ca.toString())
                        .name("wss-dialer")
                        .start()) {
            assertEquals(jv.mesh().protocolId(), js.protocolId());
            js.connect("127.0.0.1", jv.mesh().localAddress().getPort());
            js.awaitPeer(jv.id(), T);
            js.set("over", "wss");
            await().atMost(T).until(() -> "wss".equals(jv.get("over")));
            jv.set("back", "wss too");
            js.awaitUpdate("back", "wss too", T);
        }
    }
}
