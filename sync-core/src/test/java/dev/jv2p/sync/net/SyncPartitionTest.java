package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.spi.Values;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.mesh.testkit.VirtualTime;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Partitions, heals and late joiners between jv2p nodes: anti-entropy makes them converge. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"msgpack", "protobuf"})
class SyncPartitionTest {
    private final String codec;

    private static final Duration T = Duration.ofSeconds(5);

    SyncPartitionTest(String codec) {
        this.codec = codec;
    }

    /** Everything a node holds: key → [value, owner, timestamp], for comparing replicas. */
    static Map<Key, List<Object>> state(SyncSocket node) {
        Map<Key, List<Object>> out = new TreeMap<>();
        for (Map.Entry<Key, Object> e : node.items()) {
            var meta = node.meta(e.getKey()).orElseThrow();
            out.put(e.getKey(), List.of(e.getValue(), meta.owner(), meta.timestamp()));
        }
        return out;
    }

    static boolean identical(SyncSocket... nodes) {
        Map<Key, List<Object>> first = state(nodes[0]);
        for (int i = 1; i < nodes.length; i++) {
            if (!Values.deepEquals(first, state(nodes[i]))) {
                return false;
            }
        }
        return true;
    }

    /** In virtual time: the nodes converge by their anti-entropy rounds, whose clock the test moves. */
    @Test
    void aHealedPartitionConvergesAndKeepsDeletesDeleted() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            SyncSocket a = SyncNodes.start(mesh, "a", codec, sync -> sync, m -> m.dialPeerLists(false));
            SyncSocket b = SyncNodes.start(mesh, "b", codec, sync -> sync, m -> m.dialPeerLists(false));
            SyncSocket c = SyncNodes.start(mesh, "c", codec, sync -> sync, m -> m.dialPeerLists(false));
            mesh.joinAndAwait(b.mesh(), a.mesh());
            mesh.joinAndAwait(c.mesh(), a.mesh());
            mesh.joinAndAwait(c.mesh(), b.mesh());
            a.set("doomed", "soon deleted");
            c.set("c-before", 1L);
            time.advanceUntil(
                    () -> c.get("doomed") != null && a.get("c-before") != null && b.get("c-before") != null, T);

            c.mesh().disconnect(a.id());
            c.mesh().disconnect(b.id());
            time.advanceUntil(
                    () -> c.mesh().routingTable().isEmpty()
                            && a.mesh().routingTable().size() == 1
                            && b.mesh().routingTable().size() == 1,
                    T);

            a.set("same", "from a");
            c.set("same", "from c");
            a.set("only-a", "x");
            b.set("only-b", List.of(1L, 2L));
            c.set("only-c", Map.of("deep", true));
            a.del("doomed");
            time.advanceUntil(() -> b.get("only-a") != null && b.get("doomed") == null, T);
            assertEquals("soon deleted", c.get("doomed"));

            mesh.joinAndAwait(c.mesh(), a.mesh());
            Duration converged = time.advanceUntil(
                    () -> identical(a, b, c) && c.get("only-b") != null && a.get("only-c") != null, T);
            System.out.printf("partition healed: identical after %s of virtual time%n", converged);
            assertNull(c.get("doomed"), "a deleted key came back after the heal");
            assertEquals(5, a.size());
        }
    }

    @Test
    void aJoinerReceivesEntriesAndNewerValuesForKeysItAlreadyHas() {
        SyncNodes.ManualClock clock = new SyncNodes.ManualClock(1_800_000_000L);
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start(s -> s.leasing(false), m -> m.clock(clock));
            SyncSocket b = nodes.start(s -> s.leasing(false), m -> m.clock(clock));
            b.set("k", "old");
            clock.advanceSeconds(5);
            a.set("k", "new");
            a.set("other", 1L);
            SyncNodes.join(b, a);
            await().atMost(Duration.ofSeconds(5)).until(() -> "new".equals(b.get("k")) && b.get("other") != null);
            await().atMost(Duration.ofSeconds(5)).until(() -> identical(a, b));
        }
    }

    /** In virtual time: what is left is the work of writing and sending the entries, no waiting. */
    @Test
    void aLateJoinerOfAHundredThousandEntriesHoldsAllOfThem() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            SyncSocket seed = SyncNodes.start(mesh, "seed", codec);
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                // "key-%08d" without String.format, which took a twelfth of this test's CPU
                seed.set("key-" + Integer.toString(100_000_000 + i).substring(1), "value-" + i);
            }
            SyncSocket joiner = SyncNodes.start(mesh, "joiner", codec);
            long t0 = System.nanoTime();
            mesh.joinAndAwait(joiner.mesh(), seed.mesh());
            Duration took = time.advanceUntil(() -> joiner.size() == n, Duration.ofSeconds(60));
            System.out.printf(
                    "late joiner: %d entries in %.0f ms (%s of virtual time)%n",
                    n, (System.nanoTime() - t0) / 1e6, took);
            assertEquals("value-12345", joiner.get("key-00012345"));
            assertEquals(seed.meta("key-00099999"), joiner.meta("key-00099999"));
        }
    }

    /**
     * A joiner dials the peers its first peer lists while that peer's digest is still on its
     * way; it must not send them its own digest before the first answers, or each sends it the
     * whole dictionary. Here it dials two peers at once: one of them sends it the dictionary,
     * the other little more than digests.
     */
    @Test
    void aLateJoinerReceivesTheDictionaryFromOnePeerOnly() {
        // in virtual time: how long the transfer takes on a busy machine does not decide whether
        // a deferral runs out while the first peer's digest is on its way
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            SyncSocket seed = SyncNodes.start(mesh, "seed", codec);
            SyncSocket other = SyncNodes.start(mesh, "other", codec);
            mesh.joinAndAwait(other.mesh(), seed.mesh());
            int n = 20_000;
            Map<String, Object> batch = new java.util.HashMap<>();
            for (int i = 0; i < n; i++) {
                batch.put(String.format("key-%08d", i), "value-" + i);
            }
            seed.update(batch);
            time.advanceUntil(() -> other.size() == n, Duration.ofSeconds(60));
            long seedOut = seed.mesh().stats().bytesOut();
            long otherOut = other.mesh().stats().bytesOut();

            // dials both at once, as it would after a peers list (its own dials from the lists
            // would only race these as duplicates)
            SyncSocket joiner = SyncNodes.start(mesh, "joiner", codec, sync -> sync, m -> m.dialPeerLists(false));
            joiner.mesh().connect("seed", seed.mesh().localAddress().getPort());
            joiner.mesh().connect("other", other.mesh().localAddress().getPort());
            time.advanceUntil(() -> joiner.size() == n, Duration.ofSeconds(60));
            long fromSeed = seed.mesh().stats().bytesOut() - seedOut;
            long fromOther = other.mesh().stats().bytesOut() - otherOut;
            long most = Math.max(fromSeed, fromOther);
            assertTrue(most > 20L * n, "the peers sent " + fromSeed + " and " + fromOther + " bytes");
            assertTrue(
                    Math.min(fromSeed, fromOther) < most / 10,
                    "both peers sent the dictionary: " + fromSeed + " and " + fromOther + " bytes");
        }
    }
}
