package dev.jv2p.sync.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.mesh.Protocol;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.mesh.testkit.TestMesh;
import dev.jv2p.mesh.testkit.VirtualTime;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.LeaseConflictException;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"msgpack", "protobuf"})
class SyncSocketTest {
    private static final Duration T = Duration.ofSeconds(5);
    /** The protocol ids of sync1 and sync0 (leasing on, off) per codec; msgpack's are js2p's. */
    private static final Map<String, List<String>> SYNC_PROTOCOL_IDS = Map.of(
            "msgpack",
                    List.of(
                            "p7sAnBsK3n5enFXH7vEGQjzS6t6RH1CeEoYekNjr5Jn",
                            "EB8PreScNDAFMALGBs1uyocDXLXCxZKzWEP5oR6VVh2z"),
            "protobuf",
                    List.of(
                            "A56NxR9VErPNekdrLYCtBkuEQ4zHxjJuNQFxnsGRVwii",
                            "4E5RGnaC8mSw1etGAqtUeXLB8WGSbQHjazstnfg8NNgX"));

    private final String codec;

    SyncSocketTest(String codec) {
        this.codec = codec;
    }

    @Test
    void announcesTheSubnetWithTheLeasingSuffixAsJs2pDoes() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            assertEquals(
                    new Protocol("sync1", "Plaintext", codec).id(),
                    nodes.start().mesh().protocolId());
            assertEquals(
                    SYNC_PROTOCOL_IDS.get(codec).get(0), nodes.start().mesh().protocolId());
            assertEquals(
                    SYNC_PROTOCOL_IDS.get(codec).get(1),
                    nodes.start(s -> s.leasing(false), m -> m).mesh().protocolId());
        }
    }

    @Test
    void aSetOnOneNodeReachesTheOtherWithItsMetadataAndAnUpdateEvent() throws Exception {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();
            b.addListener(new SyncListener() {
                @Override
                public void onUpdate(SyncSocket s, Key key, Object value, MetaTuple meta) {
                    events.add(new Object[] {
                        key, value, meta, Thread.currentThread().getName()
                    });
                }
            });
            SyncNodes.join(b, a);
            a.set("greeting", "hello");
            Object[] e = events.poll(5, TimeUnit.SECONDS);
            assertEquals(Key.of("greeting"), e[0]);
            assertEquals("hello", e[1]);
            assertEquals(a.id(), ((MetaTuple) e[2]).owner());
            assertFalse(((String) e[3]).contains("EventLoop"), "listener ran on " + e[3]);
            assertEquals("hello", b.get("greeting"));
            assertEquals(a.meta("greeting"), b.meta("greeting"));
        }
    }

    @Test
    void everyValueTypeOfTheMsgpackModelTravels() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            SyncNodes.join(b, a);
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("x", 1L);
            map.put("y", List.of("a", 2.5));
            a.update(Map.of(
                    "bool",
                    true,
                    "int",
                    1L << 40,
                    "float",
                    0.25,
                    "str",
                    "text",
                    "list",
                    List.of(1L, "two"),
                    "map",
                    map));
            a.set(new byte[] {(byte) 0xff, 0}, new byte[] {1, 2, 3});
            await().atMost(T).until(() -> b.size() == 7);
            assertEquals(true, b.get("bool"));
            assertEquals(1L << 40, b.get("int"));
            assertEquals(0.25, b.get("float"));
            assertEquals(map, b.get("map"));
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) b.get(new byte[] {(byte) 0xff, 0}));
        }
    }

    @Test
    void aDeleteReachesTheOtherNodeAndFiresADeleteEvent() throws Exception {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            BlockingQueue<Key> deleted = new LinkedBlockingQueue<>();
            b.addListener(new SyncListener() {
                @Override
                public void onDelete(SyncSocket s, Key key) {
                    deleted.add(key);
                }
            });
            SyncNodes.join(b, a);
            a.set("k", "v");
            await().atMost(T).until(() -> "v".equals(b.get("k")));
            a.del("k");
            assertEquals(Key.of("k"), deleted.poll(5, TimeUnit.SECONDS));
            assertNull(b.get("k"));
            assertNull(a.get("k"));
        }
    }

    @Test
    void setNullDeletesLikeDel() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            a.set("k", "v");
            a.set("k", null);
            assertFalse(a.containsKey("k"));
        }
    }

    /**
     * A thread's set and then delete of one key are both queued; the loop applies the set while
     * the delete still waits behind another task. The thread must still read its own latest
     * write (the key absent), and every write must settle as made. Before the read view counted
     * queued writes per key, applying the set put its value back into the view until the delete
     * ran (setNullDeletesLikeDel failed that way on a loaded machine).
     */
    @Test
    void aThreadReadsItsLatestQueuedWriteWhileTheLoopAppliesAnEarlierOne() throws Exception {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            CountDownLatch first = new CountDownLatch(1);
            CountDownLatch second = new CountDownLatch(1);
            CountDownLatch betweenReached = new CountDownLatch(1);
            try {
                a.mesh().layerContext().execute(() -> awaitQuietly(first));
                a.set("k", "v"); // queued behind the first blocker
                a.mesh().layerContext().execute(() -> {
                    betweenReached.countDown();
                    awaitQuietly(second);
                });
                a.set("k", null); // queued behind the second blocker
                assertFalse(a.containsKey("k"), "the delete is read at once");

                first.countDown(); // the loop applies the set, then waits on the second blocker
                assertTrue(betweenReached.await(10, TimeUnit.SECONDS));
                assertFalse(a.containsKey("k"), "applying the earlier set does not hide the later delete");
                assertNull(a.get("k"));

                second.countDown();
                await().atMost(T).until(() -> a.status().writesApplied() == 2);
                assertFalse(a.containsKey("k"));
                assertEquals(0, a.status().queuedWritesRefused());
            } finally { // a failed assertion does not leave the loop blocked
                first.countDown();
                second.countDown();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void deltasMergeIntoMapsOnBothNodesAndRefuseNonMappings() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            SyncNodes.join(b, a);
            a.applyDelta("m", Map.of("x", 1L));
            a.applyDelta("m", Map.of("y", 2L));
            await().atMost(T).until(() -> Map.of("x", 1L, "y", 2L).equals(b.get("m")));
            a.set("s", "text");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> a.applyDelta("s", Map.of("x", 1L)));
            assertTrue(e.getMessage().contains("not a mapping"), e.getMessage());
        }
    }

    @Test
    void writingAKeyLeasedByAnotherNodeIsRefusedAndNothingIsSent() {
        // A later second: in the same second the smaller node id would win the tie (spec §12.6).
        SyncNodes.ManualClock clock = new SyncNodes.ManualClock(1_800_000_000L);
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start(s -> s, m -> m.clock(clock));
            SyncSocket b = nodes.start(s -> s, m -> m.clock(clock));
            SyncNodes.join(b, a);
            a.set("owned", "by a");
            await().atMost(T).until(() -> "by a".equals(b.get("owned")));
            clock.advanceSeconds(1);
            LeaseConflictException e = assertThrows(LeaseConflictException.class, () -> b.set("owned", "by b"));
            assertTrue(e.getMessage().contains("owned"), e.getMessage());
            assertEquals("by a", b.get("owned"));
            a.set("marker", 1L);
            await().atMost(T).until(() -> b.get("marker") != null);
            assertEquals("by a", a.get("owned"));
        }
    }

    @Test
    void withoutLeasingTheNewerWriteWins() {
        SyncNodes.ManualClock clock = new SyncNodes.ManualClock(1_800_000_000L);
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start(s -> s.leasing(false), m -> m.clock(clock));
            SyncSocket b = nodes.start(s -> s.leasing(false), m -> m.clock(clock));
            SyncNodes.join(b, a);
            a.set("k", "first");
            await().atMost(T).until(() -> "first".equals(b.get("k")));
            clock.advanceSeconds(1);
            b.set("k", "second");
            await().atMost(T).until(() -> "second".equals(a.get("k")));
            assertEquals(new MetaTuple(b.id(), 1_800_000_001L), a.meta("k").orElseThrow());
        }
    }

    @Test
    void mapLikeReadsPopAndPopItem() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            a.set("a", 1L);
            a.set("b", 2L);
            assertEquals(List.of(Key.of("a"), Key.of("b")), a.keys());
            assertEquals(List.of(1L, 2L), a.values());
            assertEquals(Map.entry(Key.of("a"), 1L), a.items().get(0));
            assertEquals("none", a.get("missing", "none"));
            assertEquals(2, a.asMap().size());
            assertEquals(1L, a.asMap().get("a"));
            assertThrows(UnsupportedOperationException.class, () -> a.asMap().put(Key.of("c"), 3L));
            assertEquals(1L, a.pop("a"));
            assertEquals("fb", a.pop("a", "fb"));
            assertThrows(NoSuchElementException.class, () -> a.pop("a"));
            assertEquals(Map.entry(Key.of("b"), 2L), a.popItem());
            assertThrows(NoSuchElementException.class, a::popItem);
        }
    }

    @Test
    void badKeysAndValuesAreRefusedBeforeAnythingIsSent() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            assertThrows(IllegalArgumentException.class, () -> a.set(42, "v"));
            assertThrows(IllegalArgumentException.class, () -> a.set("k", new Object()));
            assertThrows(IllegalArgumentException.class, () -> a.get(null));
            assertEquals(0, a.size());
        }
    }

    @Test
    void malformedSyncMessagesAreRejectedAndTheConnectionKept() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            SyncNodes.join(b, a);
            b.mesh().send(List.of(42L, "integer key"), Flags.BROADCAST, Flags.STORE);
            b.mesh().send(List.of("k".getBytes()), Flags.BROADCAST, Flags.STORE);
            b.mesh().send(List.of("m".getBytes(), "not a map"), Flags.BROADCAST, Flags.DELTA);
            await().atMost(T).until(() -> a.rejectedMessages() == 3);
            b.set("fine", 1L);
            await().atMost(T).until(() -> a.get("fine") != null);
            assertTrue(a.mesh().routingTable().containsKey(b.id()));
            assertEquals(1, a.size());
        }
    }

    @Test
    void aStoreStampedBeyondTheAllowedSkewIsRefused() {
        SyncNodes.ManualClock clockA = new SyncNodes.ManualClock(1_800_000_000L);
        SyncNodes.ManualClock clockB = new SyncNodes.ManualClock(1_800_000_000L + 600);
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start(s -> s, m -> m.clock(clockA));
            SyncSocket b = nodes.start(s -> s, m -> m.clock(clockB).broadcastWindow(Duration.ofHours(1)));
            SyncNodes.join(b, a);
            b.set("future", "ten minutes ahead");
            await().atMost(T).until(() -> a.rejectedMessages() >= 1);
            assertNull(a.get("future"));
        }
    }

    /**
     * An update of many keys goes out as a few write batches (one frame for up to 1,000
     * writes), and a relay passes them on: c, which hears only from b, holds every key. Anti-
     * entropy is set to an hour so that only the live broadcasts can deliver the writes.
     */
    @Test
    void anUpdateOfManyKeysTravelsAsWriteBatchesThroughARelay() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start(s -> s.antiEntropyInterval(Duration.ofHours(1)), m -> m);
            SyncSocket b = nodes.start(s -> s.antiEntropyInterval(Duration.ofHours(1)), m -> m);
            SyncSocket c = nodes.start(s -> s.antiEntropyInterval(Duration.ofHours(1)), m -> m.dialPeerLists(false));
            SyncNodes.join(a, b);
            SyncNodes.join(c, b);
            await().atMost(T)
                    .until(() -> b.mesh().routingTable().size() == 2
                            && b.mesh().routingTable().values().stream().allMatch(p -> p.jv2p())
                            && a.mesh().routingTable().values().stream().allMatch(p -> p.jv2p()));
            Map<String, Object> entries = new LinkedHashMap<>();
            for (int i = 0; i < 2500; i++) {
                entries.put(String.format("batch-%05d", i), List.of((long) i, "value " + i));
            }
            long framesBefore = a.mesh().stats().framesOut();
            a.update(entries);
            assertEquals(2500, a.size(), "the writer reads its own writes at once");
            await().atMost(T).until(() -> b.size() == 2500 && c.size() == 2500);
            long frames = a.mesh().stats().framesOut() - framesBefore;
            assertTrue(frames < 50, "2,500 writes took " + frames + " frames");
            for (Map.Entry<String, Object> e : entries.entrySet()) {
                assertEquals(e.getValue(), c.get(e.getKey()));
                assertEquals(a.meta(e.getKey()), c.meta(e.getKey()));
            }
            assertEquals(0, b.rejectedMessages() + c.rejectedMessages());
        }
    }

    /** Writes queued from one thread keep their order: the last of a key's writes wins everywhere. */
    @Test
    void queuedWritesFromOneThreadKeepTheirOrder() {
        try (SyncNodes nodes = new SyncNodes(codec)) {
            SyncSocket a = nodes.start();
            SyncSocket b = nodes.start();
            SyncNodes.join(b, a);
            for (int round = 0; round < 300; round++) {
                a.set("k" + (round % 7), (long) round);
                if (round % 5 == 0) {
                    a.del("k" + (round % 3));
                }
            }
            a.set("done", true);
            await().atMost(T).until(() -> Boolean.TRUE.equals(b.get("done")));
            for (int k = 0; k < 7; k++) {
                assertEquals(a.get("k" + k), b.get("k" + k), "k" + k);
                assertEquals(a.meta("k" + k), b.meta("k" + k), "k" + k);
            }
            assertEquals(299L, a.get("k" + (299 % 7)));
        }
    }

    /**
     * Two nodes holding the same entries have equal digests under either codec, so their
     * anti-entropy rounds exchange digests and nothing else: a value that decoded to another
     * type on one side would make them re-send histories every round. An empty graveyard
     * travels as an empty list.
     */
    @Test
    void identicalNodesExchangeOnlyDigests() {
        try (TestMesh mesh = TestMesh.virtual()) {
            VirtualTime time = mesh.time();
            SyncSocket a = SyncNodes.start(mesh, "a", codec);
            SyncSocket b = SyncNodes.start(mesh, "b", codec);
            mesh.joinAndAwait(b.mesh(), a.mesh());
            Map<String, Object> entries = new LinkedHashMap<>();
            for (int i = 0; i < 1000; i++) {
                entries.put(
                        "same-" + i,
                        List.of(
                                "value " + i + " " + "x".repeat(600),
                                (long) i,
                                i * 0.5d,
                                Map.of("n", (long) i),
                                new byte[] {(byte) i},
                                i % 2 == 0));
            }
            a.update(entries);
            b.set("from-b", "x");
            time.advanceUntil(() -> b.size() == 1001 && a.size() == 1001, T);
            long rounds = a.status().antiEntropyRounds();
            time.advanceUntil(() -> a.status().antiEntropyRounds() >= rounds + 2, T);
            long before = a.mesh().stats().bytesOut() + b.mesh().stats().bytesOut();
            long fromA = a.status().antiEntropyRounds();
            long fromB = b.status().antiEntropyRounds(); // each node counts its own rounds
            time.advanceUntil(
                    () -> a.status().antiEntropyRounds() >= fromA + 3
                            && b.status().antiEntropyRounds() >= fromB + 3,
                    T);
            long sent = a.mesh().stats().bytesOut() + b.mesh().stats().bytesOut() - before;
            // Three rounds of digests (256 hashes each way: about 2.3 kB in msgpack, 6.6 kB in
            // protobuf) and keep-alives come to some tens of kB; one re-sent bucket set would be
            // the 1,001 histories, over 600 kB.
            assertTrue(sent < 200_000, "identical nodes sent " + sent + " bytes in three rounds");
        }
    }
}
