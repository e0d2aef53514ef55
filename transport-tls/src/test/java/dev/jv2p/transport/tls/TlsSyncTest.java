package dev.jv2p.transport.tls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.codec.msgpack.MsgpackCodec;
import dev.jv2p.mesh.PeerLink;
import dev.jv2p.mesh.spi.Codec;
import dev.jv2p.mesh.spi.CodecException;
import dev.jv2p.mesh.spi.DecodeLimits;
import dev.jv2p.mesh.spi.Flags;
import dev.jv2p.sync.Key;
import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.SyncConfig;
import dev.jv2p.sync.SyncListener;
import dev.jv2p.sync.SyncSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSyncTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final int SYNC_HISTORY = 0x39;

    @TempDir
    Path dir;

    private TlsTransport tls(String name) {
        return TlsTransport.builder().keyFile(dir.resolve(name + ".key")).build();
    }

    @Test
    void twoTlsNodesSyncSetsDeltasAndDeletesSignedByTheirOwners() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            SyncSocket a = nodes.sync(tls("a"));
            SyncSocket b = nodes.sync(tls("b"));
            nodes.join(b, a);
            a.set("greeting", "hello");
            b.applyDelta("config", Map.of("x", 1L));
            a.set("doomed", 1L);
            await().atMost(T).until(() -> b.get("doomed") != null && a.get("config") != null);
            a.del("doomed");
            await().atMost(T).until(() -> "hello".equals(b.get("greeting")) && b.get("doomed") == null);
            assertEquals(
                    new MetaTuple(a.id(), a.meta("greeting").orElseThrow().timestamp()),
                    b.meta("greeting").orElseThrow());
            assertEquals(Map.of("x", 1L), a.get("config"));
            assertEquals(0, a.rejectedMessages() + b.rejectedMessages());
            assertTrue(a.signatureCounts()[0] > 0 && b.signatureCounts()[1] > 0);
        }
    }

    @Test
    void aLateJoinerGetsTheWritesThroughHistoriesThatCarryTheOwnersSignatures() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            SyncSocket a = nodes.sync(tls("a"));
            SyncSocket b = nodes.sync(tls("b"));
            nodes.join(b, a);
            a.set("from-a", "1");
            b.set("from-b", "2");
            b.applyDelta("merged", Map.of("k", "v"));
            await().atMost(T).until(() -> a.size() == 3);
            SyncSocket late = nodes.sync(tls("late"));
            nodes.join(late, a);
            await().atMost(T).until(() -> late.size() == 3);
            assertEquals(b.id(), late.meta("from-b").orElseThrow().owner(), "relayed in a history, still b's");
            assertEquals(0, late.rejectedMessages());
        }
    }

    @Test
    void aMemberRelayingAStoreWithAForgedOwnerIsRefusedWhileTheRealOwnersWritesPass() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            Relay r = relay(nodes); // the observer hears the victim only through the member
            SyncSocket victim = r.victim();
            ForgingCodec forger = r.forger();
            SyncSocket member = r.member();
            SyncSocket observer = r.observer();
            forger.victim = victim.id();

            List<String> forgedOwners = new java.util.concurrent.CopyOnWriteArrayList<>();
            observer.addListener(new SyncListener() {
                @Override
                public void onUpdate(SyncSocket s, Key key, Object value, MetaTuple meta) {
                    if (key.equals(Key.of("forged"))) {
                        forgedOwners.add(meta.owner());
                    }
                }
            });
            member.set("forged", "by the member, claiming to be the victim");
            victim.set("genuine", "by the victim");
            await().atMost(T).until(() -> "by the victim".equals(observer.get("genuine")));
            await().atMost(T).until(() -> observer.rejectedMessages() > 0 && victim.rejectedMessages() > 0);
            // The member did make the write, under its own key: anti-entropy later brings it in as
            // the member's. What never happens is that it counts as the victim's.
            await().atMost(T).until(() -> observer.meta("forged").isPresent());
            assertEquals(member.id(), observer.meta("forged").orElseThrow().owner());
            assertFalse(forgedOwners.contains(victim.id()), forgedOwners.toString());
            assertFalse(victim.meta("forged").map(MetaTuple::owner).orElse("").equals(victim.id()));
        }
    }

    private record Relay(SyncSocket victim, ForgingCodec forger, SyncSocket member, SyncSocket observer) {}

    /** A victim and an observer, each linked only to a member whose codec can forge the victim's id. */
    private Relay relay(TlsNodes nodes) {
        SyncSocket victim = nodes.sync(tls("victim"));
        ForgingCodec forger = new ForgingCodec();
        SyncSocket member = nodes.sync(tls("member"), m -> m.codec(forger));
        SyncSocket observer = nodes.sync(tls("observer"));
        nodes.join(member, victim);
        nodes.join(member, observer);
        return new Relay(victim, forger, member, observer);
    }

    /** The jv2p-only sub-flag of a write batch. */
    private static final int WRITE_BATCH = Flags.LAYER_EXTENSION_BASE + 4;

    /**
     * Many writes of one second travel as one batch under one signature, and a relay passes
     * it on: the observer, which hears the victim only through the member, holds them all as
     * the victim's. A batch the member sends under the victim's id is refused whole.
     */
    /**
     * A node with an allow-list refuses writes signed by keys outside it, whichever peer relays
     * them: here a member without an allow-list relays the writes of a node the first one would
     * not let connect. The two members' allow-lists differ, so each leaves the other out of
     * anti-entropy (and says so), while the admitted member's live writes still flow.
     */
    @Test
    void aNodeWithAnAllowListRefusesWritesOfKeysOutsideItWhoeverRelaysThem() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            TlsTransport tb = tls("b");
            TlsTransport ta = TlsTransport.builder()
                    .keyFile(dir.resolve("a.key"))
                    .allow(tb.nodeId())
                    .build();
            SyncSocket a = nodes.sync(ta);
            SyncSocket b = nodes.sync(tb);
            SyncSocket outsider = nodes.sync(tls("outsider"));
            nodes.join(b, a);
            nodes.join(outsider, b);

            outsider.set("from-outsider", 1L);
            await().atMost(T).until(() -> b.get("from-outsider") != null);
            // b relayed the outsider's write to a before its own later one (one link, in order).
            b.set("from-b", 2L);
            await().atMost(T).until(() -> a.get("from-b") != null);

            assertNull(a.get("from-outsider"), "a took a write signed by a key outside its allow-list");
            assertTrue(a.rejectedMessages() > 0);
            await().atMost(T).until(() -> !a.status().differingPeers().isEmpty());
            assertTrue(
                    a.status().differingPeers().get(0).contains("allow-list"),
                    a.status().differingPeers().get(0));
        }
    }

    /**
     * Nodes that list each other on their allow-lists (each its own id left out, as one writes
     * them) admit the same owners: they agree at hello time and repair each other by
     * anti-entropy, so a key written before they met reaches the other.
     */
    @Test
    void nodesListingEachOtherAgreeOnTheirAllowListsAndRepairEachOther() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            TlsTransport ta = tls("a");
            TlsTransport tb = tls("b");
            SyncSocket a = nodes.sync(TlsTransport.builder()
                    .keyFile(dir.resolve("a.key"))
                    .allow(tb.nodeId())
                    .build());
            SyncSocket b = nodes.sync(TlsTransport.builder()
                    .keyFile(dir.resolve("b.key"))
                    .allow(ta.nodeId())
                    .build());
            a.set("before", "written apart");
            nodes.join(b, a);
            await().atMost(T).until(() -> "written apart".equals(b.get("before")));
            assertTrue(
                    a.status().differingPeers().isEmpty(),
                    a.status().differingPeers().toString());
            assertTrue(
                    b.status().differingPeers().isEmpty(),
                    b.status().differingPeers().toString());
        }
    }

    /**
     * Deltas one owner makes within one second are not folded in a mesh that signs writes:
     * folded, they would have no owner's proof, and a late joiner would refuse the key's
     * history and miss the fields.
     */
    @Test
    void manyDeltasOfOneSecondReachALateJoinerWithTheirProofs() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            SyncSocket a = nodes.sync(tls("a"));
            for (long i = 0; i < 50; i++) {
                a.applyDelta("fields", Map.of("f" + i, i));
            }
            SyncSocket late = nodes.sync(tls("late"));
            nodes.join(late, a);
            await().atMost(T).until(() -> late.get("fields") instanceof Map<?, ?> m && m.size() == 50);
            assertEquals(a.get("fields"), late.get("fields"));
            assertEquals(0, late.rejectedMessages());
        }
    }

    /**
     * A key whose writes are older than the retention is kept as one folded base; folded from
     * deltas of two owners, no single signature covers it. It now travels with the signed
     * writes that establish it (a set and the deltas after it, shadowed ones dropped), which
     * the joiner replays and checks, keeps, and passes on to the next joiner. Before, the base
     * was sent unproven, refused, and joiners never got the key.
     */
    @Test
    void aKeyCompactedFromDeltasOfTwoOwnersReachesJoinersWithTheProofsThatEstablishIt() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            UnaryOperator<SyncConfig.Builder> shortRetention =
                    s -> s.leasing(false).retention(Duration.ofSeconds(3)).antiEntropyInterval(Duration.ofMillis(200));
            SyncSocket a = nodes.sync(tls("a"), m -> m, shortRetention);
            SyncSocket b = nodes.sync(tls("b"), m -> m, shortRetention);
            nodes.join(b, a);
            a.set("fields", Map.of("base", "a"));
            long setAt = a.meta("fields").orElseThrow().timestamp();
            // A set of a greater owner id in the second of the deltas would lose to them (the
            // same-second tie rule): the deltas come a second later.
            await().atMost(T).until(() -> b.get("fields") != null && a.mesh().now() > setAt);
            for (long i = 0; i < 20; i++) {
                (i % 2 == 0 ? a : b).applyDelta("fields", Map.of("shared", i, "from-" + (i % 2 == 0 ? "a" : "b"), i));
            }
            // Which owner's "shared" wins depends on the merge order (same second: the owner ids).
            await().atMost(T).untilAsserted(() -> {
                assertEquals(
                        "a",
                        map(a).get("base"),
                        () -> "a holds " + a.get("fields") + " " + a.meta("fields") + ", b " + b.get("fields") + " "
                                + b.meta("fields") + ", a is " + a.id() + ", b " + b.id());
                assertEquals(18L, map(a).get("from-a"));
                assertEquals(19L, map(a).get("from-b"));
                assertEquals(a.get("fields"), b.get("fields"));
            });
            Object expected = a.get("fields");
            long written = a.mesh().now();
            // Past the retention and an anti-entropy round: both hold the key as a base only.
            await().atMost(T).until(() -> a.mesh().now() >= written + 5);

            SyncSocket late = nodes.sync(tls("late"), m -> m, shortRetention);
            nodes.join(late, a);
            await().atMost(T).untilAsserted(() -> assertEquals(expected, late.get("fields")));
            assertEquals(a.meta("fields"), late.meta("fields"));
            assertEquals(0, late.rejectedMessages());

            a.close();
            b.close();
            SyncSocket later = nodes.sync(tls("later"), m -> m, shortRetention);
            nodes.join(later, late);
            await().atMost(T).untilAsserted(() -> assertEquals(expected, later.get("fields")));
            assertEquals(0, later.rejectedMessages());
        }
    }

    private static Map<?, ?> map(SyncSocket node) {
        return node.get("fields") instanceof Map<?, ?> m ? m : Map.of();
    }

    @Test
    void writeBatchesCarryOneSignatureAndAForgedBatchIsRefusedWhole() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            Relay r = relay(nodes);
            SyncSocket victim = r.victim();
            ForgingCodec forger = r.forger();
            SyncSocket member = r.member();
            SyncSocket observer = r.observer();
            await().atMost(T)
                    .until(() -> member.mesh().routingTable().values().stream().allMatch(p -> p.jv2p())
                            && victim.mesh().routingTable().values().stream().allMatch(p -> p.jv2p()));

            Map<String, Object> genuine = new LinkedHashMap<>();
            for (int i = 0; i < 500; i++) {
                genuine.put("genuine-" + i, "value " + i);
            }
            long frames = victim.mesh().stats().framesOut();
            long signed = victim.signatureCounts()[0];
            victim.update(genuine);
            await().atMost(T).until(() -> observer.size() >= 500);
            for (String k : genuine.keySet()) {
                assertEquals(victim.id(), observer.meta(k).orElseThrow().owner(), k);
            }
            assertTrue(
                    victim.mesh().stats().framesOut() - frames < 20,
                    "500 writes took " + (victim.mesh().stats().framesOut() - frames) + " frames");
            assertTrue(
                    victim.signatureCounts()[0] - signed <= 3,
                    "500 writes took " + (victim.signatureCounts()[0] - signed) + " signatures");
            assertEquals(0, observer.rejectedMessages());

            forger.victim = victim.id();
            forger.forgeBatches = true;
            Map<String, Object> forged = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                forged.put("forged-" + i, "claimed to be the victim's");
            }
            member.update(forged);
            await().atMost(T).until(() -> observer.rejectedMessages() > 0 && victim.rejectedMessages() > 0);
            for (String k : forged.keySet()) {
                assertFalse(observer.meta(k).map(MetaTuple::owner).orElse("").equals(victim.id()), k);
                assertFalse(victim.meta(k).map(MetaTuple::owner).orElse("").equals(victim.id()), k);
            }
        }
    }

    @Test
    void anUnsignedStoreNamingAnotherOwnerIsRefused() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            SyncSocket victim = nodes.sync(tls("victim"));
            ForgingCodec forger = new ForgingCodec();
            forger.stripProofs = true;
            SyncSocket member = nodes.sync(tls("member"), m -> m.codec(forger));
            SyncSocket observer = nodes.sync(tls("observer"));
            nodes.join(observer, member);
            forger.victim = victim.id();
            member.set("forged", "unsigned");
            await().atMost(T).until(() -> observer.rejectedMessages() > 0);
            assertFalse(observer.meta("forged").map(MetaTuple::owner).orElse("").equals(victim.id()));
        }
    }

    @Test
    void transfersAndHistoriesNamingAnotherOwnerWithoutItsSignatureAreRefused() {
        try (TlsNodes nodes = TlsNodes.inMemory()) {
            SyncSocket victim = nodes.sync(tls("victim"));
            SyncSocket member = nodes.sync(tls("member"));
            SyncSocket observer = nodes.sync(tls("observer"));
            nodes.join(member, observer);
            PeerLink toObserver = member.mesh().layerContext().peerLinks().get(0);
            long now = member.mesh().now();
            // the js2p transfer form names its owner in the packet
            toObserver.whisper(List.of((long) Flags.STORE, "transferred", "v", victim.id(), now));
            // a history batch: one write with no proof, one with a made-up proof, a base with no proof
            byte[] key = "history".getBytes(StandardCharsets.UTF_8);
            List<Object> unsigned = Arrays.asList(0L, "v1", victim.id(), now, 0L);
            List<Object> fakeProof = Arrays.asList(0L, "v2", victim.id(), now, 1L, new byte[64]);
            List<Object> history = Arrays.asList(key, 0L, null, List.of(unsigned, fakeProof));
            List<Object> based = Arrays.asList(
                    "based".getBytes(StandardCharsets.UTF_8),
                    now,
                    Arrays.asList("v0", victim.id(), now - 10, 0L, false),
                    List.of());
            toObserver.whisper(List.of((long) SYNC_HISTORY, List.of(history, based)));
            await().atMost(T).until(() -> observer.rejectedMessages() >= 3);
            assertNull(observer.get("transferred"));
            assertNull(observer.get("history"));
            assertNull(observer.get("based"));
            // the member's own genuine writes still pass
            member.set("own", "fine");
            await().atMost(T).until(() -> "fine".equals(observer.get("own")));
        }
    }

    @Test
    void aNodeKeepsItsIdAndItsLeasesAcrossARestartWithTheSameKeyFile() {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            SyncSocket other = nodes.sync(tls("other"));
            String id;
            try (TlsNodes first = TlsNodes.loopback()) {
                SyncSocket owner = first.sync(tls("owner"));
                id = owner.id();
                first.join(owner, other);
                owner.set("leased", "before restart");
                await().atMost(T).until(() -> "before restart".equals(other.get("leased")));
            }
            SyncSocket again = nodes.sync(tls("owner"));
            assertEquals(id, again.id());
            nodes.join(again, other);
            await().atMost(T).until(() -> "before restart".equals(again.get("leased")));
            again.set("leased", "after restart"); // still its lease: no LeaseConflictException
            await().atMost(T).until(() -> "after restart".equals(other.get("leased")));
        }
    }

    @Test
    void writesAreSignedInBatchesNotOneSignatureEach() {
        int n = 2000;
        double plaintext = writeRate(
                new dev.jv2p.mesh.internal.PlaintextTransport(), new dev.jv2p.mesh.internal.PlaintextTransport(), n);
        double tls = writeRate(tls("a"), tls("b"), n);
        System.out.printf(
                "[measure] %d sets from one thread until all arrived: Plaintext %.0f writes/s, TLS with "
                        + "owner signatures %.0f writes/s%n",
                n, plaintext, tls);
    }

    private static double writeRate(dev.jv2p.mesh.spi.Transport ta, dev.jv2p.mesh.spi.Transport tb, int n) {
        try (TlsNodes nodes = TlsNodes.loopback()) {
            SyncSocket a = nodes.sync(ta);
            SyncSocket b = nodes.sync(tb);
            nodes.join(b, a);
            Map<String, Object> entries = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                entries.put("k" + i, (long) i);
            }
            long start = System.nanoTime();
            a.update(entries);
            await().atMost(Duration.ofSeconds(120)).until(() -> b.size() == n);
            double rate = n / ((System.nanoTime() - start) / 1e9);
            long[] signed = a.signatureCounts();
            long[] verified = b.signatureCounts();
            if (a.mesh().identity().isPresent()) {
                System.out.printf(
                        "[measure] %d writes: %d batch signatures (%.1f writes each), %d signature checks "
                                + "at the receiver%n",
                        n, signed[0], (double) n / signed[0], verified[1]);
                assertTrue(signed[0] < n, "one signature per write: " + signed[0]);
            }
            assertEquals(0, b.rejectedMessages());
            return rate;
        }
    }

    /**
     * A codec that makes its node lie: every broadcast store it sends names {@link #victim} as
     * its sender (so as the write's owner); with {@link #stripProofs} it drops the signature too.
     */
    static final class ForgingCodec implements Codec {
        private final MsgpackCodec real = new MsgpackCodec();
        volatile String victim;
        volatile boolean stripProofs;
        /** Also put the victim's id on this node's write batches (sub-flag 0x3C). */
        volatile boolean forgeBatches;

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public byte[] encode(List<?> packets) {
            if (victim != null
                    && packets.size() > 3
                    && Long.valueOf(Flags.BROADCAST).equals(packets.get(0))
                    && (Long.valueOf(Flags.STORE).equals(packets.get(3))
                            || forgeBatches && Long.valueOf(WRITE_BATCH).equals(packets.get(3)))) {
                List<Object> forged = new ArrayList<>(packets);
                forged.set(1, victim);
                if (stripProofs) {
                    forged = new ArrayList<>(forged.subList(0, 7));
                }
                return real.encode(forged);
            }
            return real.encode(packets);
        }

        @Override
        public List<Object> decode(byte[] body, DecodeLimits limits) throws CodecException {
            return real.decode(body, limits);
        }
    }
}
