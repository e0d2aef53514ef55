package dev.jv2p.metrics.micrometer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.MeshSocket;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.mesh.testkit.VirtualTime;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncSocket;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binders' meters move as two real loopback nodes exchange messages. */
class MetricsTest {
    private static final Duration T = Duration.ofSeconds(10);

    private static double counter(MeterRegistry r, String name, SocketId node, String... tags) {
        FunctionCounter c = r.find(name).tag("node.id", node.id()).tags(tags).functionCounter();
        assertNotNull(c, name + " is registered");
        return c.count();
    }

    private static double gauge(MeterRegistry r, String name, SocketId node) {
        return r.get(name).tag("node.id", node.id()).gauge().value();
    }

    /** Either kind of node, by its id. */
    private interface SocketId {
        String id();
    }

    @Test
    void meshMetersCountTheBytesAndMessagesOfABroadcastAndItsRelay() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeshConfig chain = MeshConfig.builder().port(0).dialPeerLists(false).build(); // a - b - c, no shortcut
        try (MeshSocket a = MeshSocket.start(chain);
                MeshSocket b = MeshSocket.start(chain);
                MeshSocket c = MeshSocket.start(chain)) {
            new MeshMetrics(a, Tags.of("app", "test"), Duration.ZERO).bindTo(registry);
            new MeshMetrics(b, Tags.empty(), Duration.ZERO).bindTo(registry);
            SocketId ida = a::id;
            SocketId idb = b::id;
            assertEquals(0, gauge(registry, "jv2p.mesh.peers", ida));
            double bytesInBefore = counter(registry, "jv2p.mesh.bytes.in", idb);

            b.connect("127.0.0.1", a.localAddress().getPort()).join();
            c.connect("127.0.0.1", b.localAddress().getPort()).join();
            await().atMost(T).until(() -> gauge(registry, "jv2p.mesh.peers", idb) == 2);
            await().atMost(T).until(() -> gauge(registry, "jv2p.mesh.peers", ida) == 1); // a broadcasts to b

            a.send(List.of("hello"));
            assertNotNull(c.recv(T), "c got the broadcast through b");
            await().atMost(T).until(() -> counter(registry, "jv2p.mesh.broadcasts.relayed", idb) >= 1);
            assertTrue(counter(registry, "jv2p.mesh.bytes.in", idb) > bytesInBefore);
            assertTrue(counter(registry, "jv2p.mesh.messages.out", ida) >= 1);
            assertTrue(counter(registry, "jv2p.mesh.bytes.out", ida) > 0);
            assertEquals(
                    1,
                    registry.get("jv2p.mesh.peers").tags("app", "test").gauges().size());
            assertEquals(0, counter(registry, "jv2p.mesh.broadcasts.dropped", ida, "reason", "expired"));
        }
    }

    @Test
    void syncMetersFollowWritesDeletesAndAntiEntropy() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SyncConfig config = SyncConfig.builder()
                .mesh(MeshConfig.builder().port(0).build())
                .antiEntropyInterval(Duration.ofMillis(200))
                .build();
        try (SyncSocket a = SyncSocket.start(config);
                SyncSocket b = SyncSocket.start(config)) {
            new SyncMetrics(b, Tags.empty(), Duration.ZERO).bindTo(registry);
            SocketId idb = b::id;
            b.mesh().connect("127.0.0.1", a.mesh().localAddress().getPort()).join();

            a.set("k", "a value");
            await().atMost(T).until(() -> gauge(registry, "jv2p.sync.entries", idb) == 1);
            assertTrue(gauge(registry, "jv2p.sync.bytes", idb) > 0);
            assertEquals(1, gauge(registry, "jv2p.sync.history.writes", idb), "the write is held in the key's history");
            assertTrue(counter(registry, "jv2p.sync.writes.applied", idb) >= 1);
            assertTrue(counter(registry, "jv2p.mesh.bytes.in", idb) > 0, "the mesh meters come along");

            a.del("k");
            await().atMost(T).until(() -> gauge(registry, "jv2p.sync.tombstones", idb) == 1);
            double held = gauge(registry, "jv2p.sync.history.writes", idb);
            // one folded state when the set and the delete fell in the same second, else two
            assertTrue(held == 1 || held == 2, "the set and the delete are held: " + held);
            assertEquals(0, gauge(registry, "jv2p.sync.entries", idb));
            await().atMost(T).until(() -> counter(registry, "jv2p.sync.anti.entropy.rounds", idb) >= 2);
        }
    }

    @Test
    void aCachedSnapshotServesEveryReadingWithinItsAgeByItsTicker() {
        int[] taken = new int[1];
        long[] now = {42};
        CachedStatus<Integer> cached = new CachedStatus<>(() -> ++taken[0], () -> now[0], Duration.ofHours(1));
        assertEquals(1, cached.get());
        now[0] += Duration.ofHours(1).toNanos();
        assertEquals(1, cached.get(), "exactly maxAge old: still served");
        now[0]++;
        assertEquals(2, cached.get(), "older than maxAge: taken again");
        assertEquals(2, cached.get());

        CachedStatus<Integer> fresh = new CachedStatus<>(() -> ++taken[0], () -> now[0], Duration.ZERO);
        assertEquals(3, fresh.get());
        now[0]++;
        assertEquals(4, fresh.get(), "maxAge zero: a new snapshot whenever the ticker moved");
        assertThrows(IllegalArgumentException.class, () -> new CachedStatus<>(() -> 0, () -> 0, Duration.ofNanos(-1)));
    }

    /**
     * The meters of a node in virtual time age their snapshot by the node's clock: a peer that
     * joins shows up only once the clock has moved past the snapshot's age, however long that
     * takes in real time.
     */
    @Test
    void aNodesMetersAgeTheirSnapshotByTheNodesClock() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            MeshSocket a = mesh.start("a");
            MeshSocket b = mesh.start("b");
            new MeshMetrics(a, Tags.empty(), Duration.ofSeconds(1)).bindTo(registry);
            SocketId ida = a::id;
            assertEquals(0, gauge(registry, "jv2p.mesh.peers", ida));

            mesh.joinAndAwait(b, a);
            assertEquals(1, a.routingTable().size());
            assertEquals(0, gauge(registry, "jv2p.mesh.peers", ida), "the snapshot is not a second old yet");
            time.advance(Duration.ofSeconds(1));
            assertEquals(0, gauge(registry, "jv2p.mesh.peers", ida), "exactly a second old: still served");
            time.advance(Duration.ofMillis(1));
            assertEquals(1, gauge(registry, "jv2p.mesh.peers", ida), "older than a second: taken again");
        }
    }
}
