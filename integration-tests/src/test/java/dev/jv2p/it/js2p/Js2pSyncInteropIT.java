package dev.jv2p.it.js2p;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.MeshConfig;
import dev.jv2p.mesh.PeerInfo;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.spi.Values;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jv2p {@link SyncSocket} nodes against real js2p 0.7.870 SyncSocket nodes (spec
 * {@code p2p-today-0.7-wire.md} §12): live stores and deltas in both directions, leases as
 * js2p constructed with {@code leasing = true} enforces them, join transfers in both
 * directions, jv2p deletes in a mixed mesh, and the non-leasing {@code sync0} network.
 *
 * <p>Nothing sleeps. Links are ordered, so once a later marker written by the same node has
 * arrived, everything that node sent before it has been processed too; a refused write is
 * proven refused that way. Where the lease rule depends on the second a write is stamped in,
 * the test waits (with Awaitility) until the clock, which js2p and jv2p share, has passed the
 * second of the write that holds the key.
 *
 * <p>js2p's {@code set()} reads the clock twice, once for its own metadata and once for the
 * packet (spec §12.2: the receivers' metadata is the packet's time), so a js2p writer's own
 * timestamp can be one second below what its receivers store. Receivers of the same packet,
 * jv2p or js2p, always agree exactly; jv2p writers stamp their metadata and the packet alike.
 */
@ExtendWith(Js2pLogsOnFailure.class)
class Js2pSyncInteropIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static final String LOOPBACK = "127.0.0.1";
    /** Spec §8.2 / §12.6. */
    private static final String SYNC1_PROTOCOL_ID = "p7sAnBsK3n5enFXH7vEGQjzS6t6RH1CeEoYekNjr5Jn";

    private static final String SYNC0_PROTOCOL_ID = "EB8PreScNDAFMALGBs1uyocDXLXCxZKzWEP5oR6VVh2z";
    private static final String NO_PERMISSION = "You don't have permission to change this yet";

    private final List<Js2pNode> jsNodes = new ArrayList<>();
    private final List<SyncSocket> jvNodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        try {
            for (SyncSocket n : jvNodes) {
                n.close();
            }
        } finally {
            for (Js2pNode n : jsNodes) {
                n.close();
            }
        }
        for (SyncSocket n : jvNodes) {
            assertTrue(n.mesh().isClosed(), n + " not closed");
        }
        for (Js2pNode n : jsNodes) {
            assertFalse(n.isAlive(), n + " still running after close()");
        }
    }

    // ================================================================ 1. live stores, both ways

    @Test
    void setsOnEitherSideReachTheOtherWithTheWriterAsOwnerAndTheSameTimestamp() {
        Js2pNode a = js("a", null);
        Js2pNode b = js("b", null);
        SyncSocket jv = jv();
        link(b, a);
        jvDials(jv, a);
        // jv2p also dials b from a's peers list (js2p would not: same host, spec §9.4); either
        // way every broadcast reaches every node exactly once after deduplication.
        await().atMost(T)
                .alias("jv2p dials b from a's peers list")
                .until(() -> jv.mesh().routingTable().containsKey(b.id()));
        assertEquals(SYNC1_PROTOCOL_ID, jv.mesh().protocolId());
        assertEquals(jv.mesh().protocolId(), a.protocolId());

        Map<String, Object> values = sampleValues();

        // jv2p -> js2p: both js2p nodes store exactly jv2p's value, owner and timestamp.
        for (Map.Entry<String, Object> e : values.entrySet()) {
            jv.set("jv-" + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = "jv-" + e.getKey();
            MetaTuple mine = jv.meta(key).orElseThrow();
            assertEquals(jv.id(), mine.owner());
            for (Js2pNode n : List.of(a, b)) {
                Js2pEvent u = n.awaitUpdate(key, e.getValue(), T);
                assertEquals(jv.id(), u.owner(), n + " owner of " + key);
                assertEquals(mine.timestamp(), u.timestamp(), n + " timestamp of " + key);
                assertEquals("bin", u.keyType(), "a live store carries its key as bin (spec §15.5)");
            }
        }
        Map<String, Js2pNode.Item> atA = a.itemMap();
        for (String k : values.keySet()) {
            Js2pNode.Item item = atA.get("jv-" + k);
            assertTrue(Js2pJson.deepEquals(values.get(k), item.value()), k + ": " + item);
            assertEquals(jv.meta("jv-" + k).orElseThrow(), new MetaTuple(item.owner(), item.timestamp()));
        }

        // js2p -> jv2p: jv2p stores js2p's value with the packet's sender and time, like b does.
        for (Map.Entry<String, Object> e : values.entrySet()) {
            a.set("js-" + e.getKey(), e.getValue());
        }
        Map<String, Object> expected = new LinkedHashMap<>(values);
        // js2p (msgpack-lite) sends integers outside the signed 32-bit range as float64 (spec §6.2).
        expected.put("big", (double) (1L << 40));
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            String key = "js-" + e.getKey();
            await().atMost(T)
                    .alias("jv2p holds " + key)
                    .until(() -> jv.meta(key).isPresent());
            assertTrue(
                    Values.deepEquals(e.getValue(), jv.get(key)),
                    key + ": expected " + Values.toString(e.getValue()) + ", jv2p holds "
                            + Values.toString(jv.get(key)));
            MetaTuple atJv = jv.meta(key).orElseThrow();
            assertEquals(a.id(), atJv.owner(), key);
            // js2p stamps each peer's copy of a broadcast separately (spec §10.3): when a second
            // boundary falls between them, b and jv2p receive copies one second apart and each
            // relays its own to the other. jv2p's metadata is then that of one of the copies b
            // received (b keeps whichever arrived last).
            await().atMost(T)
                    .alias("b received the copy jv2p holds for " + key)
                    .until(() -> b.events(ev -> ev.is(Js2pEvent.UPDATE) && key.equals(ev.key())).stream()
                            .anyMatch(ev -> new MetaTuple(ev.owner(), ev.timestamp())
                                    .equals(jv.meta(key).orElseThrow())));
            Js2pEvent local = a.awaitUpdate(key, T);
            assertWriterStamp(local.timestamp(), atJv.timestamp(), key);
        }
        assertInstanceOf(Double.class, jv.get("js-big"));

        assertEquals(2 * values.size(), jv.size());
        assertEquals(2 * values.size(), a.items().size());
        assertHealthy(a, b);
    }

    /**
     * jv2p nodes send a burst of writes to each other as write batches (a jv2p-only
     * sub-flag); a jv2p relay expands them into the single stores a js2p neighbour expects,
     * byte for byte what the writer would have sent: js2p c, which hears only from relay b,
     * stores every key with a's owner and timestamp.
     */
    @Test
    void aBurstFromJv2pReachesJs2pBehindAJv2pRelayAsSingleStores() {
        SyncSocket a = jv(s -> s, m -> m.dialPeerLists(false));
        SyncSocket b = jv();
        Js2pNode c = js("c", null);
        jsDials(c, b);
        jvDialsJv(a, b);
        Map<String, Object> burst = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            burst.put(String.format("burst-%03d", i), "value " + i);
        }
        a.update(burst);
        await().atMost(T)
                .alias("js2p c holds the whole burst")
                .until(() -> c.itemMap().keySet().containsAll(burst.keySet()));
        Map<String, Js2pNode.Item> atC = c.itemMap();
        for (Map.Entry<String, Object> e : burst.entrySet()) {
            Js2pNode.Item item = atC.get(e.getKey());
            assertEquals(e.getValue(), item.value(), e.getKey());
            assertEquals(a.meta(e.getKey()).orElseThrow(), new MetaTuple(item.owner(), item.timestamp()), e.getKey());
        }
        assertFalse(a.mesh().routingTable().containsKey(c.id()), "a must reach c only through b");
        assertHealthy(c);
    }

    // ================================================================ 2. deltas, both ways

    @Test
    void deltasFromEitherSideMergeIntoTheSameMappingsOnBoth() {
        Js2pNode js = js("js", null);
        SyncSocket jv = jv();
        jvDials(jv, js);

        // js2p deltas onto an absent key and onto a key js2p set; jv2p merges them.
        js.applyDelta("js-delta", Map.of("a", 1L));
        js.applyDelta("js-delta", Map.of("b", "two"));
        js.set("js-set-then-delta", Map.of("keep", List.of(1L, 2L), "over", "old"));
        js.applyDelta("js-set-then-delta", mapOf("over", "new", "nil", null));
        awaitJv(jv, "js-delta", Map.of("a", 1L, "b", "two"));
        awaitJv(jv, "js-set-then-delta", mapOf("keep", List.of(1L, 2L), "over", "new", "nil", null));
        assertEquals(js.id(), jv.meta("js-delta").orElseThrow().owner());

        // jv2p deltas onto an absent key and onto a key jv2p set; js2p merges them.
        jv.applyDelta("jv-delta", Map.of("x", 1.5));
        jv.applyDelta("jv-delta", Map.of("y", List.of(1L, "z"), "bin", new byte[] {9, 8}));
        jv.set("jv-set-then-delta", Map.of("keep", true, "over", "old"));
        jv.applyDelta("jv-set-then-delta", Map.of("over", "new"));
        Map<String, Object> jvDelta = Map.of("x", 1.5, "y", List.of(1L, "z"), "bin", new byte[] {9, 8});
        Js2pEvent u = js.awaitUpdate("jv-delta", jvDelta, T);
        assertEquals(jv.id(), u.owner());
        assertEquals(jv.meta("jv-delta").orElseThrow().timestamp(), u.timestamp());
        assertEquals("bin", u.keyType());
        js.awaitUpdate("jv-set-then-delta", Map.of("keep", true, "over", "new"), T);
        assertTrue(Values.deepEquals(jvDelta, jv.get("jv-delta")));

        // The whole dictionaries agree: values, owners, and timestamps (within js2p's own quirk).
        Map<String, Js2pNode.Item> items = js.itemMap();
        assertEquals(new TreeSet<>(items.keySet()), jvKeys(jv));
        for (Js2pNode.Item item : items.values()) {
            assertTrue(
                    Values.deepEquals(item.value(), jv.get(item.key())),
                    item.key() + ": js2p " + item + " vs jv2p " + Values.toString(jv.get(item.key())));
            MetaTuple meta = jv.meta(item.key()).orElseThrow();
            assertEquals(item.owner(), meta.owner(), item.key());
            if (item.owner().equals(jv.id())) {
                assertEquals(meta.timestamp(), item.timestamp(), item.key());
            } else {
                assertWriterStamp(item.timestamp(), meta.timestamp(), item.key());
            }
        }
        assertHealthy(js);
    }

    // ================================================================ 3. leases (js2p leasing = true)

    @Test
    void leasesHeldOnEitherSideAreEnforcedByBoth() {
        Js2pNode js = js("js-leasing", true);
        SyncSocket jv = jv(); // leasing is on by default
        assertTrue(jv.config().leasing());
        assertEquals(js.protocolId(), jv.mesh().protocolId(), "leasing true and jv2p leasing both announce sync1");
        jvDials(jv, js);

        jv.set("jv-owned", "jv value");
        jv.set("jv-map", Map.of("a", 1L));
        js.set("js-owned", "js value");
        js.set("js-map", Map.of("a", 1L));
        js.awaitUpdate("jv-owned", "jv value", T);
        js.awaitUpdate("jv-map", Map.of("a", 1L), T);
        awaitJv(jv, "js-owned", "js value");
        awaitJv(jv, "js-map", Map.of("a", 1L));
        MetaTuple jvOwned = jv.meta("jv-owned").orElseThrow();
        MetaTuple jsOwned = jv.meta("js-owned").orElseThrow();
        assertEquals(js.id(), jsOwned.owner());
        // A write in the holder's own second can pass the same-second rule (smaller owner id
        // wins, spec §12.6 rule 5); from the next second on only the lease decides.
        awaitClockPast(Math.max(
                Math.max(jvOwned.timestamp(), jsOwned.timestamp()),
                Math.max(
                        jv.meta("jv-map").orElseThrow().timestamp(),
                        jv.meta("js-map").orElseThrow().timestamp())));

        // --- jv2p holds: js2p refuses locally and sends nothing ...
        Js2pCommandException e = assertThrows(Js2pCommandException.class, () -> js.set("jv-owned", "js value"));
        assertEquals(NO_PERMISSION, e.jsMessage());
        e = assertThrows(Js2pCommandException.class, () -> js.applyDelta("jv-map", Map.of("b", 2L)));
        assertEquals(NO_PERMISSION, e.jsMessage());
        assertEquals("jv value", js.get("jv-owned"));
        // ... and when js2p's own send() pushes the same writes onto the wire, jv2p refuses them.
        js.send(List.of(bytes("jv-owned"), "forced by js2p"), Flags.BROADCAST, Flags.STORE);
        js.send(List.of(bytes("jv-map"), Map.of("b", 2L)), Flags.BROADCAST, Flags.DELTA);
        js.set("js-marker", 1L);
        awaitJv(jv, "js-marker", 1L);
        assertEquals("jv value", jv.get("jv-owned"), "jv2p keeps the value it holds the lease for");
        assertEquals(jvOwned, jv.meta("jv-owned").orElseThrow());
        assertTrue(Values.deepEquals(Map.of("a", 1L), jv.get("jv-map")), Values.toString(jv.get("jv-map")));
        assertEquals(0, jv.rejectedMessages(), "a lease refusal is not a malformed message");

        // --- js2p holds: jv2p refuses locally (LeaseConflictException, nothing sent) ...
        LeaseConflictException c = assertThrows(LeaseConflictException.class, () -> jv.set("js-owned", "jv value"));
        assertEquals(Key.of("js-owned"), c.key());
        assertEquals(js.id(), c.holder());
        assertEquals(jsOwned.timestamp(), c.leaseTimestamp());
        assertEquals(jsOwned.timestamp() + 3601, c.writableAt(), "the lease lasts one hour (spec §12.6 rule 4)");
        assertThrows(LeaseConflictException.class, () -> jv.applyDelta("js-map", Map.of("b", 2L)));
        assertThrows(LeaseConflictException.class, () -> jv.del("js-owned"), "a delete is a write under the lease");
        assertEquals("js value", jv.get("js-owned"));
        // ... and when jv2p's mesh pushes the same writes onto the wire, js2p refuses them.
        jv.mesh().send(List.of(bytes("js-owned"), "forced by jv2p"), Flags.BROADCAST, Flags.STORE);
        jv.mesh().send(List.of(bytes("js-map"), Map.of("b", 2L)), Flags.BROADCAST, Flags.DELTA);
        jv.set("jv-marker", 1L);
        js.awaitUpdate("jv-marker", 1L, T);
        assertEquals("js value", js.get("js-owned"), "js2p keeps the value it holds the lease for");
        assertTrue(Js2pJson.deepEquals(Map.of("a", 1L), js.get("js-map")), String.valueOf(js.get("js-map")));
        Js2pNode.Item held = js.itemMap().get("js-owned");
        assertEquals(js.id(), held.owner());
        assertEquals(List.of(), js.events(ev -> ev.is(Js2pEvent.UPDATE) && "forced by jv2p".equals(ev.updateValue())));
        assertEquals("jv value", js.get("jv-owned"));

        assertEquals(Set.of(js.id()), jv.mesh().routingTable().keySet());
        assertHealthy(js);
    }

    // ================================================================ 4. join transfers

    @Test
    void jv2pJoiningAJs2pNetworkReceivesEveryKeyWithItsOwnerAndTimestamp() {
        Js2pNode a = js("a", null);
        Js2pNode b = js("b", null);
        link(b, a);
        Map<String, Object> values = sampleValues();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            a.set("a-" + e.getKey(), e.getValue());
            b.set("b-" + e.getKey(), e.getValue());
            expected.put("a-" + e.getKey(), e.getValue());
            expected.put("b-" + e.getKey(), e.getValue());
        }
        a.applyDelta("a-merged", Map.of("x", 1L));
        b.awaitUpdate("a-merged", Map.of("x", 1L), T);
        b.applyDelta("a-merged", Map.of("y", "b's")); // js2p's default accepts another owner's delta
        expected.put("a-merged", Map.of("x", 1L, "y", "b's"));
        // js2p sends integers outside the signed 32-bit range as float64 (spec §6.2).
        expected.put("a-big", (double) (1L << 40));
        expected.put("b-big", (double) (1L << 40));
        a.awaitUpdate("a-merged", Map.of("x", 1L, "y", "b's"), T);
        for (String k : expected.keySet()) {
            a.awaitUpdate(k, T);
            b.awaitUpdate(k, T);
        }
        Map<String, Js2pNode.Item> atA = a.itemMap();
        Map<String, Js2pNode.Item> atB = b.itemMap();
        assertEquals(expected.keySet(), atA.keySet());

        SyncSocket jv = jv();
        jvDials(jv, a);
        // jv2p also dials b from a's peers list and gets b's transfer too. js2p writers stamp
        // their own metadata up to a second before the packet (class comment), so a and b may
        // disagree by a second on a key; jv2p keeps the later write of that same owner.
        await().atMost(T)
                .alias("jv2p dials b from a's peers list")
                .until(() -> jv.mesh().routingTable().containsKey(b.id()));
        await().atMost(T)
                .alias("jv2p holds all " + expected.size() + " keys")
                .until(() -> jv.size() == expected.size());
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            String k = e.getKey();
            Js2pNode.Item ia = atA.get(k);
            Js2pNode.Item ib = atB.get(k);
            assertEquals(ia.owner(), ib.owner(), k);
            MetaTuple want = new MetaTuple(ia.owner(), Math.max(ia.timestamp(), ib.timestamp()));
            await().atMost(T)
                    .alias(k + " has metadata " + want + " at jv2p")
                    .until(() -> want.equals(jv.meta(k).orElse(null)));
            assertTrue(
                    Values.deepEquals(e.getValue(), jv.get(k)),
                    k + ": expected " + Values.toString(e.getValue()) + ", jv2p holds " + Values.toString(jv.get(k)));
        }
        assertEquals(a.id(), jv.meta("a-str").orElseThrow().owner());
        assertEquals(b.id(), jv.meta("b-str").orElseThrow().owner());
        assertEquals(b.id(), jv.meta("a-merged").orElseThrow().owner(), "a delta's writer owns the merged mapping");

        // The joined node takes part: its writes reach both js2p nodes.
        jv.set("from-the-joiner", "hi");
        a.awaitUpdate("from-the-joiner", "hi", T);
        b.awaitUpdate("from-the-joiner", "hi", T);
        assertHealthy(a, b);
    }

    @ParameterizedTest(name = "js2p dials: {0}")
    @ValueSource(booleans = {true, false})
    void js2pJoiningAJv2pNetworkReceivesEveryLiveKeyAsAPerKeyTransfer(boolean js2pDials) {
        SyncSocket p = jv();
        SyncSocket q = jv();
        jvDialsJv(q, p);
        Map<String, Object> values = sampleValues();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            p.set("p-" + e.getKey(), e.getValue());
            q.set("q-" + e.getKey(), e.getValue());
        }
        q.applyDelta("q-merged", Map.of("x", 1L));
        q.applyDelta("q-merged", Map.of("y", List.of("z")));
        p.set("gone", "deleted before the join");
        p.del("gone");
        await().atMost(T)
                .alias("p and q converge")
                .until(() -> p.size() == 2 * values.size() + 1 && q.size() == p.size() && !q.containsKey("gone"));

        Js2pNode js = js("joiner", null);
        if (js2pDials) {
            jsDials(js, p);
        } else {
            jvDials(p, js); // p dials without knowing the id, so p sends its state (spec §9.2)
        }
        List<Key> keys = p.keys();
        assertEquals(2 * values.size() + 1, keys.size());
        for (Key key : keys) {
            String k = key.toString();
            Js2pEvent u = js.awaitUpdate(k, T);
            assertEquals("str", u.keyType(), "a join transfer carries its key as str (spec §12.3)");
            assertTrue(
                    Js2pJson.deepEquals(p.get(key), u.updateValue()),
                    k + ": jv2p " + Values.toString(p.get(key)) + ", js2p got " + u.updateValue());
            MetaTuple meta = p.meta(key).orElseThrow();
            assertEquals(
                    meta, new MetaTuple(u.owner(), u.timestamp()), k + ": the transfer carries owner and timestamp");
        }
        assertEquals(q.id(), js.itemMap().get("q-str").owner());
        assertEquals(p.id(), js.itemMap().get("p-str").owner());

        // Everything p sent before this marker has been processed: a deleted key is not transferred.
        p.set("after-join", "marker");
        js.awaitUpdate("after-join", "marker", T);
        assertNull(js.itemMap().get("gone"), "a tombstone is never transferred");
        assertEquals(keys.size() + 1, js.items().size());
        assertEquals(
                1,
                js.events(ev -> ev.is(Js2pEvent.UPDATE) && "p-str".equals(ev.key()))
                        .size(),
                "each key is transferred once");
        q.set("from-q-after-join", 1L); // reaches js2p through p
        js.awaitUpdate("from-q-after-join", 1L, T);
        assertHealthy(js);
    }

    // ================================================================ 5. jv2p deletes in a mixed mesh

    @Test
    void aJv2pDeleteNeverBreaksTheJs2pConnectionAndJs2pKeepsTheKey() {
        Js2pNode x = js("relay", null);
        // jv nodes that only meet through js2p: the delete reaches b by js2p's relay (spec §17a).
        SyncSocket a = jv(s -> s, m -> m.dialPeerLists(false));
        SyncSocket b = jv(s -> s, m -> m.dialPeerLists(false));
        jvDials(a, x);
        jvDials(b, x);
        List<Key> deletedAtB = new CopyOnWriteArrayList<>();
        b.addListener(new SyncListener() {
            @Override
            public void onDelete(SyncSocket socket, Key key) {
                deletedAtB.add(key);
            }
        });

        a.set("doomed", "v");
        a.set("doomed-too", List.of(1L, 2L));
        a.set("popped", 3L);
        x.awaitUpdate("doomed", "v", T);
        x.awaitUpdate("doomed-too", List.of(1L, 2L), T);
        x.awaitUpdate("popped", 3L, T);
        await().atMost(T).alias("b holds a's three keys").until(() -> b.size() == 3);
        Set<String> jsPeers = x.peerIds();
        assertEquals(Set.of(a.id(), b.id()), jsPeers);
        Set<String> aPeers = Set.copyOf(a.mesh().routingTable().keySet());
        Set<String> bPeers = Set.copyOf(b.mesh().routingTable().keySet());
        assertEquals(Set.of(x.id()), aPeers);
        assertEquals(Set.of(x.id()), bPeers);

        a.del("doomed");
        a.set("doomed-too", null);
        assertEquals(3L, a.pop("popped"));
        assertNull(a.get("doomed"));

        // The deletes never go out as nil-valued stores (which js2p answers by dropping the
        // connection, spec §12.4): a later store from a still reaches js2p over the same link,
        // and js2p relays the deletes to b.
        a.set("after", "still connected");
        x.awaitUpdate("after", "still connected", T);
        awaitJv(b, "after", "still connected");
        await().atMost(T)
                .alias("b got the three deletes relayed by js2p: " + deletedAtB)
                .until(() -> b.size() == 1 && deletedAtB.size() == 3);
        assertEquals(Set.of(Key.of("doomed"), Key.of("doomed-too"), Key.of("popped")), Set.copyOf(deletedAtB));

        assertEquals(List.of(), x.exceptions(), "no js2p connection exception");
        assertEquals("Nominal", x.status());
        assertEquals(List.of(), x.events(Js2pEvent.PEER_REMOVED));
        assertEquals(jsPeers, x.peerIds(), "js2p's routing table is unchanged");
        assertEquals(aPeers, a.mesh().routingTable().keySet());
        assertEquals(bPeers, b.mesh().routingTable().keySet());
        assertEquals(List.of(), x.events(Js2pEvent.DELETE));
        Map<String, Js2pNode.Item> kept = x.itemMap();
        assertEquals(
                "v",
                x.get("doomed"),
                "by design in a mixed mesh: js2p keeps a key jv2p deleted, since the "
                        + "delete travels under the jv2p-only sub-flag 0x38 that js2p relays and ignores (spec §12.4, §17a)");
        assertTrue(
                Js2pJson.deepEquals(List.of(1L, 2L), kept.get("doomed-too").value()),
                "js2p keeps a key jv2p set to null (mixed mesh, by design): " + kept.get("doomed-too"));
        assertEquals(3L, kept.get("popped").value(), "js2p keeps a key jv2p popped (mixed mesh, by design)");
        assertEquals(a.id(), kept.get("doomed").owner());

        // A later write of a deleted key by its owner reaches js2p as an ordinary store.
        a.set("doomed", "back");
        x.awaitUpdate("doomed", "back", T);
        awaitJv(b, "doomed", "back");
        assertHealthy(x);
    }

    @Test
    void keysThatAreNotUtf8TravelBetweenJv2pNodesButNeverReachJs2p() {
        Js2pNode x = js("relay", null);
        SyncSocket a = jv(s -> s, m -> m.dialPeerLists(false));
        SyncSocket b = jv(s -> s, m -> m.dialPeerLists(false));
        jvDials(a, x);
        jvDials(b, x);
        byte[] ff = {(byte) 0xff};
        byte[] fe = {(byte) 0xfe};
        a.set(ff, "first");
        a.set(fe, "second");
        a.applyDelta(new byte[] {(byte) 0xc3}, Map.of("x", 1L));
        a.set("marker", "after the binary keys");
        x.awaitUpdate("marker", "after the binary keys", T);
        // js2p relays the jv2p-only sub-flag byte for byte, so b receives the keys through it.
        await().atMost(T).alias("b holds the three binary keys").until(() -> b.size() == 4);
        assertEquals("first", b.get(ff));
        assertEquals("second", b.get(fe));
        assertEquals(Map.of("x", 1L), b.get(new byte[] {(byte) 0xc3}));
        assertEquals(
                List.of("marker"),
                x.keys(),
                "js2p would decode such keys as text and merge them into one "
                        + "\uFFFD key; they travel under a jv2p-only sub-flag js2p ignores");
        assertHealthy(x);
    }

    // ================================================================ 6. leasing off: sync0

    @Test
    void withLeasingOffOnBothSidesTheSync0NetworkWorks() {
        Js2pNode js = js("js-sync0", false);
        SyncSocket jv = jv(s -> s.leasing(false), m -> m);
        assertEquals(SYNC0_PROTOCOL_ID, js.protocolId());
        assertEquals(SYNC0_PROTOCOL_ID, jv.mesh().protocolId());
        assertEquals("sync0", js.subnet());
        assertEquals("sync0", jv.config().announcedSubnet());

        // Both hold a key before js2p dials in: each side's join transfer carries its own
        // metadata (spec §12.3), js2p's as the dialer without an id, jv2p's as the listener.
        js.set("js-before", "from js2p");
        jv.set("jv-before", Map.of("from", "jv2p"));
        Js2pNode.Item jsBefore = js.itemMap().get("js-before");
        jsDials(js, jv);
        awaitJv(jv, "js-before", "from js2p");
        assertEquals(
                new MetaTuple(js.id(), jsBefore.timestamp()),
                jv.meta("js-before").orElseThrow(),
                "a transfer carries js2p's own metadata");
        Js2pEvent transfer = js.awaitUpdate("jv-before", Map.of("from", "jv2p"), T);
        assertEquals("str", transfer.keyType());
        assertEquals(jv.meta("jv-before").orElseThrow(), new MetaTuple(transfer.owner(), transfer.timestamp()));

        jv.set("from-jv", Map.of("n", 1L));
        js.set("from-js", List.of("x", 2.5));
        Js2pEvent u = js.awaitUpdate("from-jv", Map.of("n", 1L), T);
        assertEquals(jv.id(), u.owner());
        assertEquals(jv.meta("from-jv").orElseThrow().timestamp(), u.timestamp());
        awaitJv(jv, "from-js", List.of("x", 2.5));
        assertEquals(js.id(), jv.meta("from-js").orElseThrow().owner());

        // Without leasing a newer write by another owner wins on both sides (spec §12.6 rule 6).
        jv.set("shared", "jv first");
        js.awaitUpdate("shared", "jv first", T);
        awaitClockPast(jv.meta("shared").orElseThrow().timestamp());
        js.set("shared", "js second");
        awaitJv(jv, "shared", "js second");
        MetaTuple second = jv.meta("shared").orElseThrow();
        assertEquals(js.id(), second.owner());
        awaitClockPast(second.timestamp());
        jv.set("shared", "jv third");
        js.awaitUpdate("shared", "jv third", T);
        assertEquals(jv.id(), js.itemMap().get("shared").owner());

        // Deltas by another owner are accepted without leasing (rule 3): one key, merged by both.
        js.applyDelta("both", Map.of("js", 1L));
        awaitJv(jv, "both", Map.of("js", 1L));
        jv.applyDelta("both", Map.of("jv", 2L));
        js.awaitUpdate("both", Map.of("js", 1L, "jv", 2L), T);
        js.applyDelta("both", Map.of("js2", 3L));
        awaitJv(jv, "both", Map.of("js", 1L, "jv", 2L, "js2", 3L));
        assertTrue(Js2pJson.deepEquals(jv.get("both"), js.get("both")));
        assertHealthy(js);
    }

    @Test
    void aSync0NodeAndASync1NodeNeverConnect() {
        Js2pNode js = js("js-sync1", null);
        SyncSocket jv = jv(s -> s.leasing(false), m -> m);
        assertNotEquals(js.protocolId(), jv.mesh().protocolId());
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> jv.mesh().connect(LOOPBACK, js.port()).get(T.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(jv.mesh().routingTable().isEmpty(), String.valueOf(e.getCause()));
        assertEquals(Set.of(), js.peerIds());
        assertEquals(List.of(), js.events(Js2pEvent.PEER_ADDED));
    }

    // ================================================================ helpers

    /** One value of each kind of the msgpack model that both sides carry unchanged. */
    private static Map<String, Object> sampleValues() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", 1L);
        nested.put("b", "two");
        nested.put("c", mapOf("deep", List.of(true, "x")));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("str", "text ü € 😀");
        v.put("int", 42L);
        v.put("neg", -7L);
        v.put("big", 1L << 40);
        v.put("float", 0.25);
        v.put("true", true);
        v.put("bin", new byte[] {0, 1, (byte) 0xff});
        v.put("list", Arrays.asList(1L, "two", null, 2.5));
        v.put("map", nested);
        return v;
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Js2pNode js(String name, Boolean leasing) {
        Js2pNode n = Js2pNode.sync().leasing(leasing).name(name).start();
        jsNodes.add(n);
        return n;
    }

    private SyncSocket jv() {
        return jv(s -> s, m -> m);
    }

    private SyncSocket jv(UnaryOperator<SyncConfig.Builder> sync, UnaryOperator<MeshConfig.Builder> mesh) {
        MeshConfig.Builder m = MeshConfig.builder().bindHost(LOOPBACK).port(0);
        SyncSocket s = SyncSocket.start(
                sync.apply(SyncConfig.builder().mesh(mesh.apply(m).build())).build());
        jvNodes.add(s);
        return s;
    }

    private static int port(SyncSocket jv) {
        return jv.mesh().localAddress().getPort();
    }

    /** js2p {@code dialer} dials js2p {@code listener}; returns once both have the other. */
    private static void link(Js2pNode dialer, Js2pNode listener) {
        assertNull(dialer.connect(listener));
        listener.awaitPeer(dialer.id(), T);
        dialer.awaitPeer(listener.id(), T);
    }

    private static void jvDials(SyncSocket jv, Js2pNode js) {
        PeerInfo info = join(jv.mesh().connect(LOOPBACK, js.port()));
        assertEquals(js.id(), info.id());
        assertFalse(info.jv2p(), "a js2p peer never says the jv2p hello");
        js.awaitPeer(jv.id(), T);
    }

    private static void jsDials(Js2pNode js, SyncSocket jv) {
        assertNull(js.connect(LOOPBACK, port(jv)));
        js.awaitPeer(jv.id(), T);
        await().atMost(T)
                .alias("js2p in jv2p's routing table")
                .until(() -> jv.mesh().routingTable().containsKey(js.id()));
    }

    private static void jvDialsJv(SyncSocket dialer, SyncSocket listener) {
        join(dialer.mesh().connect(LOOPBACK, port(listener)));
        await().atMost(T)
                .alias("jv2p peers know each other as jv2p")
                .until(() -> listener.mesh().routingTable().containsKey(dialer.id())
                        && listener.mesh().routingTable().get(dialer.id()).jv2p()
                        && dialer.mesh().routingTable().get(listener.id()).jv2p());
    }

    private static PeerInfo join(java.util.concurrent.CompletableFuture<PeerInfo> f) {
        try {
            return f.get(T.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connect failed: " + e, e);
        }
    }

    private static void awaitJv(SyncSocket jv, String key, Object value) {
        await().atMost(T)
                .alias(jv + " holds " + key + " = " + Values.toString(value))
                .until(() -> Values.deepEquals(value, jv.get(key)));
    }

    /** Waits, without sleeping a fixed time, until the shared wall clock is past {@code second}. */
    private static void awaitClockPast(long second) {
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> System.currentTimeMillis() / 1000 > second);
    }

    /**
     * A js2p writer's own timestamp against what the receivers of its packet store: equal, or
     * one second lower when a second boundary fell between set()'s two clock reads.
     */
    private static void assertWriterStamp(long writerOwn, long received, String key) {
        assertTrue(
                received == writerOwn || received == writerOwn + 1,
                key + ": the js2p writer stamped " + writerOwn + ", its packet carried " + received);
    }

    private static TreeSet<String> jvKeys(SyncSocket jv) {
        return jv.keys().stream().map(Key::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertHealthy(Js2pNode... nodes) {
        for (Js2pNode n : nodes) {
            assertEquals(List.of(), n.exceptions(), n + " exceptions");
            assertEquals(List.of(), n.events(Js2pEvent.PEER_REMOVED), n + " lost a peer");
            assertEquals("Nominal", n.status(), n + " status");
        }
    }
}
