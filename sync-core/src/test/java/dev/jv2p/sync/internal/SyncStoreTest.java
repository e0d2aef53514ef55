package dev.jv2p.sync.internal;

import static dev.jv2p.sync.internal.Fixtures.T;
import static dev.jv2p.sync.internal.Fixtures.at;
import static dev.jv2p.sync.internal.Fixtures.del;
import static dev.jv2p.sync.internal.Fixtures.key;
import static dev.jv2p.sync.internal.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jv2p.sync.MetaTuple;
import dev.jv2p.sync.internal.ApplyResult.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncStoreTest {
    private final SyncStore lww = Fixtures.store(false);
    private final SyncStore leasing = Fixtures.store(true);

    @Test
    void theFirstWriteOfAKeyIsAcceptedAndReportedAsAnUpdate() {
        ApplyResult result = lww.apply(set("k", "v", T, "bob"), T);

        assertEquals(Outcome.ACCEPTED, result.outcome());
        assertNull(result.before());
        assertEquals(Optional.of(new Change.Update(key("k"), "v", new MetaTuple("bob", T))), result.change());
        assertEquals("v", lww.get(key("k")));
        assertEquals(new MetaTuple("bob", T), lww.entry(key("k")).orElseThrow().meta());
    }

    @Test
    void aKeySetOnceKeepsItsWriteUnchangedForTransfersThoughItIsHeldAsItsEntry() {
        Write text = set("k", "v", T, "bob");
        Write bytes = Write.set(key("b"), new byte[] {1, 2, 3}, at(T, "bob"));
        Write delete = del("d", T, "carol");
        for (Write w : List.of(text, bytes, delete)) {
            lww.apply(w, T);
        }

        for (Write w : List.of(text, bytes, delete)) {
            assertEquals(List.of(w), lww.history(w.key()).orElseThrow().writes());
        }
        Write later = set("k", "w", T + 1, "carol");
        lww.apply(later, T + 1);
        assertEquals(List.of(text, later), lww.history(key("k")).orElseThrow().writes());
        assertEquals("w", lww.get(key("k")));
    }

    @Test
    void getIsNullForUnknownAndDeletedKeys() {
        lww.apply(set("k", "v", T, "bob"), T);
        lww.apply(del("k", T + 1, "bob"), T + 1);

        assertNull(lww.get(key("k")));
        assertNull(lww.get(key("never")));
        assertEquals(Optional.empty(), lww.entry(key("never")));
    }

    @Test
    void aDeleteLeavesATombstoneAndIsReportedAsADelete() {
        lww.apply(set("k", "v", T, "bob"), T);

        ApplyResult result = lww.apply(del("k", T + 1, "carol"), T + 1);

        assertEquals(Outcome.ACCEPTED, result.outcome());
        assertEquals(Optional.of(new Change.Delete(key("k"))), result.change());
        Entry tombstone = lww.entry(key("k")).orElseThrow();
        assertTrue(tombstone.isTombstone());
        assertEquals(at(T + 1, "carol"), tombstone.stamp());
    }

    @Test
    void deletingAKeyNobodyHasIsKeptAsATombstoneButChangesNothingVisible() {
        ApplyResult result = lww.apply(del("k", T, "carol"), T);

        assertEquals(Outcome.ACCEPTED, result.outcome());
        assertEquals(Optional.empty(), result.change());
        assertTrue(lww.entry(key("k")).orElseThrow().isTombstone());
    }

    @Test
    void sizeCountsKeysThatHoldAValue() {
        lww.apply(set("a", 1, T, "bob"), T);
        lww.apply(set("b", 2, T, "bob"), T);
        lww.apply(set("b", 3, T + 1, "bob"), T + 1);
        lww.apply(del("a", T + 1, "bob"), T + 1);
        lww.apply(del("c", T + 1, "bob"), T + 1);

        assertEquals(1, lww.size());
    }

    @Test
    void entriesListLiveKeysByKeyAndAllEntriesAddTombstones() {
        lww.apply(set("b", 2, T, "bob"), T);
        lww.apply(set("a", 1, T, "carol"), T);
        lww.apply(del("c", T, "bob"), T);

        assertEquals(
                List.of(new Entry(key("a"), 1L, at(T, "carol")), new Entry(key("b"), 2L, at(T, "bob"))), lww.entries());
        assertEquals(
                List.of(key("a"), key("b"), key("c")),
                lww.allEntries().stream().map(Entry::key).toList());
    }

    @Test
    void theSameWriteTwiceIsADuplicateAndChangesNothing() {
        lww.apply(set("k", new byte[] {1}, T, "bob"), T);
        lww.apply(set("k", "later", T + 5, "carol"), T + 5);
        StoreDigest digest = lww.digest();

        ApplyResult again = lww.apply(set("k", new byte[] {1}, T, "bob"), T + 6);

        assertEquals(Outcome.DUPLICATE, again.outcome());
        assertEquals(Optional.empty(), again.change());
        assertEquals(digest, lww.digest());
        assertEquals(2, lww.history(key("k")).orElseThrow().writes().size());
    }

    @Test
    void aLateOlderWriteTakesItsPlaceInStampOrderInsteadOfOverwriting() {
        lww.apply(set("k", "newer", T + 10, "bob"), T + 10);

        ApplyResult late = lww.apply(set("k", "older", T, "carol"), T + 11);

        assertEquals(Outcome.SUPERSEDED, late.outcome());
        assertEquals(Optional.empty(), late.change());
        assertEquals("newer", lww.get(key("k")));
    }

    @Test
    void aLateWriteCanChangeWhoHoldsTheLeaseAndSoTheValue() {
        leasing.apply(set("k", "carol's", T + 200, "carol"), T + 200);
        assertEquals(
                Outcome.REFUSED_LEASE,
                leasing.apply(set("k", "bob's second", T + 300, "bob"), T + 300).outcome());

        ApplyResult late = leasing.apply(set("k", "bob's first", T + 100, "bob"), T + 301);

        // bob held the key from T+100, so carol's write is refused and bob's second one stands
        assertEquals(Outcome.ACCEPTED, late.outcome());
        assertEquals("bob's second", leasing.get(key("k")));
        assertEquals(
                Optional.of(new Change.Update(key("k"), "bob's second", new MetaTuple("bob", T + 300))), late.change());
    }

    @Test
    void sameSecondWritesOfDifferentOwnersLeaveTheSmallerOwnerIdInEitherArrivalOrder() {
        SyncStore one = Fixtures.store(true);
        SyncStore two = Fixtures.store(true);
        one.apply(set("k", "from b", T, "b"), T);
        one.apply(set("k", "from a", T, "a"), T);
        two.apply(set("k", "from a", T, "a"), T);
        two.apply(set("k", "from b", T, "b"), T);

        assertEquals("from a", one.get(key("k")));
        assertEquals("from a", two.get(key("k")));
    }

    @Test
    void twoWritesSharingAWholeStampAreOrderedByContentTheSameWayEverywhere() {
        // a js2p owner that writes one key twice in a second sends two writes with one stamp
        Write one = set("k", "one", T, "js");
        Write two = set("k", "two", T, "js");
        SyncStore first = Fixtures.store(false);
        SyncStore second = Fixtures.store(false);
        first.apply(one, T);
        first.apply(two, T);
        second.apply(two, T);
        second.apply(one, T);

        assertEquals(first.allEntries(), second.allEntries());
        assertEquals("two", first.get(key("k"))); // canonical order puts "two" last
        // both are one owner's run of one second: the set ordered first is folded away
        assertEquals(List.of(two), first.history(key("k")).orElseThrow().writes());
        assertEquals(first.histories(), second.histories());
    }

    @Test
    void leaseExpiryIsJudgedByTheWritesTimestampsNotTheReceiversClock() {
        leasing.apply(set("k", "bob's", T, "bob"), T);

        // js2p would accept this: by its clock bob's write is 4000 s old
        ApplyResult late = leasing.apply(set("k", "carol's", T + 100, "carol"), T + 4000);

        assertEquals(Outcome.REFUSED_LEASE, late.outcome());
        assertEquals("bob's", leasing.get(key("k")));
    }

    @Test
    void aWriteStampedTooFarAheadOfTheClockIsRefusedAndNotKept() {
        assertEquals(
                Outcome.ACCEPTED, lww.apply(set("k", "ok", T + 10, "bob"), T).outcome());
        ApplyResult future = lww.apply(set("k", "ahead", T + 11, "carol"), T);

        assertEquals(Outcome.FUTURE, future.outcome());
        assertEquals("ok", lww.get(key("k")));
        assertEquals(1, lww.history(key("k")).orElseThrow().writes().size());
        assertEquals(
                Outcome.FUTURE,
                lww.apply(set("other", "ahead", T + 11, "carol"), T).outcome());
        assertEquals(Optional.empty(), lww.entry(key("other")));
    }

    @Test
    void theHistoryCapFoldsOnlyWritesOlderThanTheRetentionAndNeverRefusesAWriteWithinIt() {
        SyncStore capped = new SyncStore(SyncStoreConfig.builder()
                .maxHistoryPerKey(3)
                .retention(Duration.ofSeconds(100))
                .build());
        for (int i = 0; i < 5; i++) {
            capped.apply(set("k", i, T + i, "bob"), T + 10);
        }

        // all five are within the retention at T + 10: none may be folded, none refused
        assertEquals(5, capped.history(key("k")).orElseThrow().writes().size());
        assertEquals(
                Outcome.SUPERSEDED,
                capped.apply(set("k", "late", T + 1, "alice"), T + 10).outcome());

        // at T + 102 the writes before T + 2 are older than the retention: the cap folds them
        capped.apply(set("k", 5, T + 102, "bob"), T + 102);
        KeyHistory history = capped.history(key("k")).orElseThrow();
        assertEquals(T + 2, history.horizon());
        assertEquals(new Entry(key("k"), "late", at(T + 1, "alice")), history.base());
        assertEquals(5L, capped.get(key("k")));
        assertEquals(
                Outcome.STALE,
                capped.apply(set("k", "older", T + 1, "dave"), T + 102).outcome());
    }

    @Test
    void theHistoryOfAKeyHoldsEveryWriteInMergeOrder() {
        leasing.apply(set("k", "b", T + 5, "bob"), T + 5);
        leasing.apply(set("k", "c", T + 1, "carol"), T + 5);
        leasing.apply(set("k", "a", T + 3, "alice"), T + 5);

        KeyHistory history = leasing.history(key("k")).orElseThrow();

        assertEquals(
                List.of(at(T + 1, "carol"), at(T + 3, "alice"), at(T + 5, "bob")),
                history.writes().stream().map(Write::stamp).toList());
        assertNull(history.base());
        assertEquals("c", leasing.get(key("k")));
    }

    @Test
    void configurationDefaultsFollowP2pToday() {
        SyncStoreConfig config = SyncStoreConfig.defaults();

        assertFalse(config.leasing());
        assertEquals(Duration.ofHours(1), config.leaseDuration());
        assertEquals(Duration.ofHours(24), config.retention());
        assertEquals(Duration.ofSeconds(10), config.maxFutureSkew());
        assertEquals(config, lww.config());
    }
}
