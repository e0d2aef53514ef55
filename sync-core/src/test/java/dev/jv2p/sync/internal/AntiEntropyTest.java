package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.at;
import static dev.jv2p.sync.internal.Fixtures.del;
import static dev.jv2p.sync.internal.Fixtures.delta;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jv2p.sync.MetaTuple;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Digests, bucket listings and history exchange: how two stores find and repair their differences. */
class AntiEntropyTest {
    /** One anti-entropy round between two nodes: compare digests, swap the histories of differing buckets. */
    static void exchange(SyncStore a, SyncStore b, long now) {
        Set<Integer> buckets =
                Arrays.stream(a.digest().differingBuckets(b.digest())).boxed().collect(Collectors.toSet());
        List<KeyHistory> fromA = a.historiesIn(buckets);
        List<KeyHistory> fromB = b.historiesIn(buckets);
        fromA.forEach(h -> b.importHistory(h, now));
        fromB.forEach(h -> a.importHistory(h, now));
    }

    @Test
    void storesHoldingTheSameWritesHaveEqualDigestsWhateverTheArrivalOrder() {
        List<Write> writes = List.of(
                set("a", 1, T, "bob"),
                set("a", 2, T + 1, "carol"),
                del("b", T, "bob"),
                delta("c", Map.of("x", 1), T, "bob"),
                delta("c", Map.of("y", 2), T + 2, "dan"));
        SyncStore forward = Fixtures.store(false);
        SyncStore backward = Fixtures.store(false);
        writes.forEach(w -> forward.apply(w, T + 5));
        for (int i = writes.size() - 1; i >= 0; i--) {
            backward.apply(writes.get(i), T + 5);
        }

        assertEquals(forward.digest(), backward.digest());
        assertEquals(forward.allEntries(), backward.allEntries());
        assertNotEquals(Fixtures.store(false).digest(), forward.digest());
    }

    @Test
    void aDifferenceShowsInExactlyTheBucketOfItsKey() {
        SyncStore a = Fixtures.store(false);
        SyncStore b = Fixtures.store(false);
        for (int i = 0; i < 50; i++) {
            a.apply(set("key" + i, i, T, "bob"), T);
            b.apply(set("key" + i, i, T, "bob"), T);
        }
        b.apply(set("key7", "changed", T + 1, "bob"), T + 1);

        assertArrayEquals(
                new int[] {StoreDigest.bucketOf(key("key7"))}, a.digest().differingBuckets(b.digest()));
    }

    @Test
    void aTombstoneCountsInTheDigestAndInTheBucketListing() {
        SyncStore a = Fixtures.store(false);
        a.apply(set("k", "v", T, "bob"), T);
        a.apply(del("k", T + 1, "bob"), T + 1);
        a.apply(set("other", "v", T, "bob"), T);
        int bucket = StoreDigest.bucketOf(key("k"));

        List<Entry> listed = a.entriesIn(Set.of(bucket));

        assertEquals(
                List.of(new Entry(key("k"), null, at(T + 1, "bob"))),
                listed.stream().filter(e -> e.key().equals(key("k"))).toList());
        listed.forEach(e -> assertEquals(bucket, StoreDigest.bucketOf(e.key())));
        assertNotEquals(0, a.digest().bucket(bucket));
    }

    @Test
    void swappingTheHistoriesOfDifferingBucketsRepairsWritesEachSideMissed() {
        SyncStore a = Fixtures.store(true);
        SyncStore b = Fixtures.store(true);
        for (SyncStore s : List.of(a, b)) {
            s.apply(set("shared", 0, T, "bob"), T);
        }
        a.apply(set("only a", 1, T, "bob"), T);
        b.apply(set("only b", 2, T, "carol"), T);
        b.apply(set("shared", 3, T - 5, "carol"), T);

        exchange(a, b, T + 1);

        assertEquals(a.digest(), b.digest());
        assertEquals(a.allEntries(), b.allEntries());
        assertEquals(3L, a.get(key("shared")), "carol's older write held the lease first");
    }

    @Test
    void aMissedWriteUnderADeltaIsRepairedRatherThanTheMergedValueCopied() {
        SyncStore a = Fixtures.store(false);
        SyncStore b = Fixtures.store(false);
        a.apply(set("k", Map.of("a", 1), T, "bob"), T);
        for (SyncStore s : List.of(a, b)) {
            s.apply(delta("k", Map.of("b", 2), T + 10, "carol"), T + 10);
        }
        assertEquals(Map.of("b", 2L), b.get(key("k")));

        exchange(a, b, T + 11);

        assertEquals(Map.of("a", 1L, "b", 2L), a.get(key("k")));
        assertEquals(Map.of("a", 1L, "b", 2L), b.get(key("k")));
    }

    @Test
    void aFullTransferWithTheGraveyardReproducesTheStoreOnAJoiningNode() {
        SyncStore source = Fixtures.shortWindows(false);
        source.apply(set("old", "compacted", T, "bob"), T);
        source.apply(del("gone", T, "bob"), T);
        source.collectGarbage(T + 1200);
        source.apply(set("new", "v", T + 1150, "carol"), T + 1200);
        source.apply(del("deleted", T + 1160, "carol"), T + 1200);
        SyncStore joiner = Fixtures.shortWindows(false);

        joiner.mergeGraveyard(source.graveyard(), T + 1200);
        source.histories().forEach(h -> joiner.importHistory(h, T + 1200));

        assertEquals(source.allEntries(), joiner.allEntries());
        assertEquals(source.digest(), joiner.digest());
        assertEquals(source.histories(), joiner.histories());
        assertArrayEquals(source.graveyard(), joiner.graveyard());
    }

    @Test
    void aStoreTakesNotAPeersHorizonButCompactsAlikeOnItsOwnClock() {
        SyncStore compacted = Fixtures.shortWindows(false);
        SyncStore behind = Fixtures.shortWindows(false);
        for (SyncStore s : List.of(compacted, behind)) {
            s.apply(set("k", "first", T, "bob"), T);
            s.apply(set("k", "second", T + 10, "carol"), T + 10);
        }
        compacted.collectGarbage(T + 1020);

        behind.importHistory(compacted.history(key("k")).orElseThrow(), T + 1020);

        assertEquals(0, behind.history(key("k")).orElseThrow().horizon()); // its own, not the peer's
        assertEquals("second", behind.get(key("k")));
        assertEquals(compacted.digest(), behind.digest());
        behind.collectGarbage(T + 1020);
        assertEquals(compacted.history(key("k")), behind.history(key("k")));
    }

    @Test
    void aPeersBaseIsMergedAsTheWriteThatMadeItSoAnOldSignedValueCannotRollAKeyBack() {
        SyncStore store = Fixtures.shortWindows(true);
        store.apply(set("k", "old", T, "bob"), T);
        store.apply(set("k", "new", T + 500, "bob"), T + 500);
        store.collectGarbage(T + 1100); // base "old" folded; "new" still a write
        KeyHistory replayed = new KeyHistory(key("k"), T + 900, new Entry(key("k"), "old", at(T, "bob")), List.of());

        store.importHistory(replayed, T + 1100);

        assertEquals("new", store.get(key("k")));
    }

    @Test
    void aPeersHigherHorizonDoesNotLetItsBaseTakeALeasedKey() {
        SyncStore store = Fixtures.shortWindows(true);
        store.apply(set("k", "holder's", T + 1000, "bob"), T + 1000);
        // mallory claims a compacted state of its own, stamped within bob's lease, behind a
        // horizon that would fold bob's write away if it were believed
        KeyHistory takeover = new KeyHistory(
                key("k"), T + 1060, new Entry(key("k"), "mallory's", at(T + 1050, "mallory")), List.of());

        store.importHistory(takeover, T + 1060);

        assertEquals("holder's", store.get(key("k")));
        assertEquals("bob", store.entry(key("k")).orElseThrow().stamp().owner());
    }

    @Test
    void aPeersBaseDoesNotUndoADelete() {
        SyncStore store = Fixtures.shortWindows(false);
        store.apply(set("k", "v", T, "bob"), T);
        store.apply(del("k", T + 10, "bob"), T + 10);
        KeyHistory resurrect = new KeyHistory(key("k"), T + 15, new Entry(key("k"), "v", at(T, "bob")), List.of());

        store.importHistory(resurrect, T + 20);

        assertNull(store.get(key("k")));
    }

    @Test
    void aJoiningStoreTakesABaseOlderThanTheRetentionAsItIs() {
        SyncStore source = Fixtures.shortWindows(false);
        source.apply(set("k", "ancient", T, "bob"), T);
        source.collectGarbage(T + 5000);
        SyncStore joiner = Fixtures.shortWindows(false);

        joiner.importHistory(source.history(key("k")).orElseThrow(), T + 5000);

        assertEquals("ancient", joiner.get(key("k")));
        assertEquals(source.history(key("k")), joiner.history(key("k")));
    }

    @Test
    void twoBasesAtTheSameHorizonSettleOnTheSameOneOnBothSides() {
        SyncStore a = Fixtures.store(false);
        SyncStore b = Fixtures.store(false);
        a.importHistory(new KeyHistory(key("k"), T, new Entry(key("k"), "a's", at(T - 10, "bob")), List.of()), T);
        b.importHistory(new KeyHistory(key("k"), T, new Entry(key("k"), "b's", at(T - 20, "bob")), List.of()), T);

        exchange(a, b, T);

        assertEquals("a's", a.get(key("k")));
        assertEquals(a.histories(), b.histories());
    }

    @Test
    void aHorizonAheadOfTheClockIsNotAdopted() {
        SyncStore store = Fixtures.store(false);
        long future = T + 3600;

        store.importHistory(
                new KeyHistory(key("k"), future, new Entry(key("k"), "v", at(future - 1, "bob")), List.of()), T);

        assertEquals(Optional.empty(), store.entry(key("k")));
    }

    @Test
    void importReportsTheVisibleChange() {
        SyncStore source = Fixtures.store(false);
        source.apply(set("k", "v", T, "bob"), T);
        SyncStore target = Fixtures.store(false);

        Optional<Change> change = target.importHistory(source.history(key("k")).orElseThrow(), T);

        assertEquals(Optional.of(new Change.Update(key("k"), "v", new MetaTuple("bob", T))), change);
        assertEquals(
                Optional.empty(), target.importHistory(source.history(key("k")).orElseThrow(), T));
    }

    @Test
    void aKeyHistoryMustBeConsistentWithItsHorizon() {
        Entry base = new Entry(key("k"), "v", at(T, "bob"));

        assertThrows(IllegalArgumentException.class, () -> new KeyHistory(key("k"), T, base, List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new KeyHistory(key("k"), T + 1, null, List.of(set("k", "v", T, "bob"))));
        assertThrows(
                IllegalArgumentException.class,
                () -> new KeyHistory(key("k"), 0, null, List.of(set("other", "v", T, "bob"))));
        assertThrows(IllegalArgumentException.class, () -> new KeyHistory(key("k"), -1, null, List.of()));
    }

    @Test
    void aDigestComesFromAPeerAsItsBuckets() {
        long[] buckets = new long[StoreDigest.BUCKETS];
        buckets[3] = 42;
        StoreDigest digest = StoreDigest.of(buckets);
        buckets[3] = 0;

        assertEquals(42, digest.bucket(3));
        assertArrayEquals(new int[] {3}, digest.differingBuckets(StoreDigest.of(new long[StoreDigest.BUCKETS])));
        assertEquals(digest, StoreDigest.of(digest.toArray()));
        assertThrows(IllegalArgumentException.class, () -> StoreDigest.of(new long[7]));
    }
}
