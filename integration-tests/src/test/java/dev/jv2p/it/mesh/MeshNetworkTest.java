package dev.jv2p.it.mesh;

import static dev.jv2p.it.mesh.MeshChecks.settings;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.HandshakeException;
import dev.jv2p.mesh.MeshListener;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.Message;
import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.testkit.TestMesh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"msgpack", "protobuf"})
class MeshNetworkTest {
    private final String codec;

    MeshNetworkTest(String codec) {
        this.codec = codec;
    }

    @Test
    void twoNodesHandshakeAndSeeEachOther() {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec));
            MeshSocket b = mesh.start("b", settings(codec));
            mesh.joinAndAwait(b, a);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> a.routingTable().containsKey(b.id())
                            && b.routingTable().containsKey(a.id()));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> a.routingTable().get(b.id()).jv2p());
        }
    }

    @Test
    void broadcastReachesThePeerExactlyOnceAndReplyComesBack() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec));
            MeshSocket b = mesh.start("b", settings(codec));
            mesh.joinAndAwait(b, a);
            a.send(List.of("hello", 42));
            Message m = b.recv(Duration.ofSeconds(5));
            assertEquals(a.id(), m.sender());
            assertEquals(List.of(0L, "hello", 42L), m.packets());
            m.reply(List.of("ack"));
            Message r = a.recv(Duration.ofSeconds(5));
            assertEquals(List.of(2L, "ack"), r.packets());
            assertEquals(b.id(), r.sender());
            assertNull(b.recv(Duration.ofMillis(300)), "no second copy");
        }
    }

    @Test
    void connectEventFiresWhenTheRoutingTableStopsBeingEmpty() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec));
            MeshSocket b = mesh.start("b", settings(codec));
            CountDownLatch connected = new CountDownLatch(1);
            a.addListener(new MeshListener() {
                @Override
                public void onConnect(MeshSocket socket) {
                    connected.countDown();
                }
            });
            mesh.joinAndAwait(b, a);
            assertTrue(connected.await(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void foreignProtocolIsRefusedAtTheHandshake() {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec));
            MeshSocket other = mesh.start(
                    "other", settings(codec, b -> b.protocol(new Protocol("elsewhere", "Plaintext", codec))));
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> other.connect("127.0.0.1", a.localAddress().getPort()).join());
            assertTrue(e.getCause() instanceof HandshakeException, e.toString());
            assertTrue(a.routingTable().isEmpty());
        }
    }

    @Test
    void aNodeOfTheOtherCodecIsRefusedAtTheHandshakeAndTheLogSaysWhy() {
        String otherCodec = "msgpack".equals(codec) ? "protobuf" : "msgpack";
        try (TestMesh mesh = TestMesh.loopback();
                StderrCapture log = new StderrCapture()) {
            MeshSocket a = mesh.start("a", settings(codec));
            MeshSocket other = mesh.start(
                    "other",
                    settings(codec, b -> b.protocol(Protocol.defaultMesh().withCodec(otherCodec))));
            assertNotEquals(a.protocolId(), other.protocolId());
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> other.connect("127.0.0.1", a.localAddress().getPort()).join());
            assertTrue(e.getCause() instanceof HandshakeException, e.toString());
            // Neither can read the other's handshake; whichever reads first closes, at least one says why.
            String fromA = "not a " + codec + " body, so it uses another codec or is no p2p.today node; this node "
                    + a.protocolId();
            String fromOther = "not a " + otherCodec + " body, so it uses another codec or is no p2p.today node;"
                    + " this node " + other.protocolId();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> log.text()
                            .lines()
                            .anyMatch(line -> line.contains("INFO")
                                    && line.contains("protocol mismatch")
                                    && (line.contains(fromA) || line.contains(fromOther))));
            assertTrue(a.routingTable().isEmpty());
            assertTrue(other.routingTable().isEmpty());
        }
    }

    @Test
    void fiveNodesThroughOneSeedGetPeersAndBroadcastsReachAllExactlyOnce() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket seed = mesh.start("seed", settings(codec));
            List<MeshSocket> all = new ArrayList<>(List.of(seed));
            for (int i = 0; i < 4; i++) {
                MeshSocket n = mesh.start("node-" + i, settings(codec));
                mesh.joinAndAwait(n, seed);
                all.add(n);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> all.stream().allMatch(n -> n.routingTable().size() >= 2));
            for (MeshSocket origin : all) {
                origin.send(List.of("from " + origin.id()));
                for (MeshSocket n : all) {
                    if (n == origin) {
                        continue;
                    }
                    Message m = n.recv(Duration.ofSeconds(5));
                    assertEquals(origin.id(), m.sender(), "at " + n.id());
                }
            }
            for (MeshSocket n : all) {
                assertNull(n.recv(Duration.ofMillis(200)), "duplicate delivery at " + n.id());
            }
        }
    }

    @Test
    void aClosedNodeLeavesEveryRoutingTable() {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec));
            MeshSocket b = mesh.start("b", settings(codec));
            MeshSocket c = mesh.start("c", settings(codec));
            mesh.joinAndAwait(b, a);
            mesh.joinAndAwait(c, a);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.routingTable().size() == 2);
            c.close();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !a.routingTable().containsKey(c.id())
                            && !b.routingTable().containsKey(c.id()));
            assertFalse(a.routingTable().isEmpty());
        }
    }

    @Test
    void replyReachesANodeThatIsNotANeighbour() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec, b -> b.dialPeerLists(false)));
            MeshSocket hub = mesh.start("hub", settings(codec, b -> b.dialPeerLists(false)));
            MeshSocket c = mesh.start("c", settings(codec, b -> b.dialPeerLists(false)));
            mesh.joinAndAwait(a, hub);
            mesh.joinAndAwait(c, hub);
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.routingTable().size() == 2);
            assertFalse(a.routingTable().containsKey(c.id()));
            a.send(List.of("question"));
            Message m = c.recv(Duration.ofSeconds(5));
            assertEquals(a.id(), m.sender());
            m.reply(List.of("answer"));
            Message r = a.recv(Duration.ofSeconds(5));
            assertEquals(List.of(2L, "answer"), r.packets());
            assertEquals(c.id(), r.sender());
        }
    }

    @Test
    void simultaneousDialsLeaveOneConnection() throws Exception {
        try (TestMesh mesh = TestMesh.loopback()) {
            MeshSocket a = mesh.start("a", settings(codec, b -> b.dialPeerLists(false)));
            MeshSocket b = mesh.start("b", settings(codec, x -> x.dialPeerLists(false)));
            var f1 = a.connect("127.0.0.1", b.localAddress().getPort());
            var f2 = b.connect("127.0.0.1", a.localAddress().getPort());
            try {
                f1.join();
            } catch (CompletionException ignored) {
                // one of the two connections may lose the tie-break before its handshake completes
            }
            try {
                f2.join();
            } catch (CompletionException ignored) {
                // same
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() ->
                            a.routingTable().size() == 1 && b.routingTable().size() == 1);
            a.send(List.of("over the surviving connection"));
            assertEquals(a.id(), assertTimely(b).sender());
            b.send(List.of("and back"));
            assertEquals(b.id(), assertTimely(a).sender());
        }
    }

    private static Message assertTimely(MeshSocket node) throws InterruptedException {
        Message m = node.recv(Duration.ofSeconds(5));
        assertTrue(m != null, "no message at " + node.id());
        return m;
    }
}
